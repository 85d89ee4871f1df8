// probers/endpoint_prober.h: probes TLS endpoints (tls_probe.h does the I/O) and turns what came
// back into Observations: the server's chain decoded once per fingerprint and its chain verdict
// built against the trust store (cached like files'), the handshake and mTLS facts, the
// served-vs-expected leaf, and the client certificate we present as a target of its own
// ("<address>#client"), judged like a file in the client role.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/endpoint.h"
#include "core/observation.h"
#include "core/time.h"
#include "probers/client_credentials.h"
#include "probers/file_prober.h"

namespace certvigil::probers {

/// One endpoint to probe, everything resolved (defaults applied).
struct EndpointSpec {
  std::string name;     ///< the target name (scheduler::endpointTargetName)
  std::string address;  ///< host:port as configured
  std::string host;     ///< without brackets
  int port = 0;
  std::string servername;  ///< SNI and the name verified; empty: the host
  MtlsExpectation mtls = MtlsExpectation::None;
  ClientCredentialFiles client;
  std::filesystem::path expect_file;
  config::StartTls starttls = config::StartTls::None;
  bool all_addresses = false;
  std::chrono::milliseconds timeout{10000};
};

/// The target name of the client certificate an endpoint presents.
std::string clientTargetName(const std::string& name);

/// What probing one endpoint produced.
struct EndpointProbe {
  std::vector<Observation> server;    ///< one, or one per address with all_addresses
  std::optional<Observation> client;  ///< the configured client certificate, judged on its own
};

class EndpointProber {
 public:
  EndpointProber(x509::CertificateCache& certificates, ChainVerdictCache& verdicts,
                 const x509::TrustStore& trust, int concurrency)
      : certificates_(certificates),
        verdicts_(verdicts),
        trust_(trust),
        concurrency_(concurrency) {}

  /// Probes every spec concurrently; result[i] belongs to specs[i]. Never throws.
  std::vector<EndpointProbe> probe(const std::vector<EndpointSpec>& specs,
                                   const Clock& clock) const;

 private:
  struct Prepared;
  Prepared prepare(const EndpointSpec& spec, const Clock& clock) const;
  Observation toObservation(const EndpointSpec& spec, const Prepared& prepared,
                            const TlsProbeOutcome& outcome,
                            const std::vector<TlsProbeOutcome>* anonymous,
                            const Clock& clock) const;
  void collectServerChain(const TlsProbeOutcome& outcome, Observation& obs,
                          EndpointFacts& facts) const;

  x509::CertificateCache& certificates_;
  ChainVerdictCache& verdicts_;
  const x509::TrustStore& trust_;
  int concurrency_;
};

}  // namespace certvigil::probers
