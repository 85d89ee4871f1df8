// SPDX-License-Identifier: Apache-2.0
// probers/endpoint_prober.h: probes TLS endpoints (tls_probe.h does the I/O) and turns what came
// back into Observations: the server's chain decoded once per fingerprint and its chain verdict
// built against the trust store (cached like files'), the handshake and mTLS facts, the
// served-vs-expected leaf, and the client certificate we present as a target of its own
// ("<address>#client"), judged like a file in the client role.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/boxed.h"
#include "core/endpoint.h"
#include "core/observation.h"
#include "core/shared_text.h"
#include "core/time.h"
#include "probers/client_credentials.h"
#include "probers/file_prober.h"

namespace certvigil::probers {

/// How an endpoint's served chain is judged when not only against the configured trust store.
/// Set by few endpoints (expect_file; kubeconfig clusters), so kept in a box by EndpointSpec.
struct ServerChainRules {
  std::filesystem::path expect_file;  ///< the file holding the leaf it should serve
  /// PEM anchors the server's chain is built to instead of the configured trust store (a
  /// kubeconfig cluster's CA); empty: the configured trust store.
  std::string trust_pem;
  /// Why the server's trust is not judged (a kubeconfig's insecure-skip-tls-verify); empty:
  /// judged. The chain is still collected, its certificates still judged.
  std::string trust_not_judged;
  friend bool operator==(const ServerChainRules&, const ServerChainRules&) = default;
};

/// One endpoint to probe, everything resolved (defaults applied).
struct EndpointSpec {
  SharedText name;      ///< the target name (scheduler::endpointTargetName), its unit's name
  std::string address;  ///< host:port as configured
  std::string host;     ///< without brackets
  int port = 0;
  std::string servername;  ///< SNI and the name verified; empty: the host
  MtlsExpectation mtls = MtlsExpectation::None;
  Boxed<ClientCredentialFiles> client;  ///< boxed: most endpoints present no certificate
  /// Boxed: 96 bytes inline in every endpoint unit, set by few.
  Boxed<ServerChainRules> server_chain;
  config::StartTls starttls = config::StartTls::None;
  bool all_addresses = false;
  std::chrono::milliseconds timeout{10000};
  /// False when the client certificate is a target elsewhere already (a kubeconfig user): no
  /// "<name>#client" target.
  bool client_target = true;
  friend bool operator==(const EndpointSpec&, const EndpointSpec&) = default;
};

/// The target name of the client certificate an endpoint presents.
std::string clientTargetName(const std::string& name);

/// What probing one endpoint produced.
struct EndpointProbe {
  std::vector<Observation> server;  ///< one, or one per address with all_addresses
  /// The configured client certificate, judged on its own; null when none is configured (most
  /// endpoints: a pointer, not an inline Observation, in each of a sweep's probes).
  std::unique_ptr<Observation> client;
};

/// Long-lived (the daemon keeps one per configuration): the TLS contexts built for each client
/// credential set are reused across scans, and client credentials are loaded again only when
/// their files change.
class EndpointProber {
 public:
  EndpointProber(x509::CertificateCache& certificates, ChainVerdictCache& verdicts,
                 const x509::TrustStore& trust, ProbeLimits limits)
      : certificates_(certificates), verdicts_(verdicts), trust_(trust), tls_(limits) {}

  /// Probes every spec concurrently; result[i] belongs to specs[i]. Never throws. `heartbeat`
  /// is called every few seconds while probes run.
  std::vector<EndpointProbe> probe(const std::vector<EndpointSpec>& specs, const Clock& clock,
                                   const std::function<void()>& heartbeat = {});
  /// The same over specs kept elsewhere (the daemon's units): no copy of each for the sweep.
  std::vector<EndpointProbe> probe(const std::vector<const EndpointSpec*>& specs,
                                   const Clock& clock, const std::function<void()>& heartbeat = {});

 private:
  struct Prepared;
  struct CachedClient {
    std::string signature;  ///< stat of every file it was loaded from
    LoadedClient loaded;
  };
  /// Loads what the probe of `spec` needs and writes its request.
  Prepared prepare(const EndpointSpec& spec, const Clock& clock, TlsProbeRequest& request);
  const LoadedClient& client(const ClientCredentialFiles& files);
  const x509::TrustStore& trustFor(const EndpointSpec& spec);
  Observation toObservation(const EndpointSpec& spec, const Prepared& prepared,
                            const TlsProbeOutcome& outcome,
                            const std::vector<TlsProbeOutcome>* anonymous, const Clock& clock);
  /// `facts` as one object with the equal facts of other endpoints: most endpoints ask for no
  /// client certificate and hold the same mTLS facts (~400 bytes each otherwise).
  Shared<ClientAuthFacts> shareClientFacts(ClientAuthFacts facts);
  void collectServerChain(const TlsProbeOutcome& outcome, const x509::TrustStore& trust,
                          TimePoint at, Observation& obs, EndpointFacts& facts);

  x509::CertificateCache& certificates_;
  ChainVerdictCache& verdicts_;
  const x509::TrustStore& trust_;
  TlsProber tls_;
  std::map<std::string, CachedClient> clients_;  ///< by the files' names
  /// Per-endpoint anchors (ServerChainRules::trust_pem) by their PEM: those of the last batch.
  std::map<std::string, x509::TrustStore> trusts_;
  std::map<std::string, x509::TrustStore> trusts_before_;
  /// The distinct mTLS facts seen last, most recent first (a few: compared one by one).
  std::vector<Shared<ClientAuthFacts>> common_client_facts_;
  /// Versions, ciphers, OCSP statuses and why trust was not judged, shared by every probe's facts.
  TextPool texts_;
};

}  // namespace certvigil::probers
