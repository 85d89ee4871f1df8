// SPDX-License-Identifier: Apache-2.0
// scheduler/probe_service.h: `/probe?target=host:port` — probe one endpoint now and return its
// judged results, the multi-target pattern Prometheus uses to spread endpoints over instances.
// Only endpoints in the configuration may be probed (with their configured options: client
// certificate, mTLS expectation, STARTTLS) unless `probe.allow_any_target` is set, because an
// open /probe is an open proxy into whatever network the daemon sits in. Thread-safe: HTTP
// workers call probe() concurrently. It follows the configuration in force (the Monitor's),
// loading the trust store again when that changes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/policy.h"
#include "core/result.h"
#include "core/snapshot.h"
#include "probers/endpoint_prober.h"
#include "scheduler/scan_unit.h"

namespace certvigil::scheduler {

struct ProbeRequest {
  std::string target;      ///< host:port or [v6]:port
  std::string servername;  ///< optional: picks among entries for one address, or sets SNI
  std::string mtls;        ///< optional for unconfigured targets: none | optional | required
  std::string starttls;    ///< optional for unconfigured targets
  std::optional<double> timeout_seconds;  ///< optional: caps the configured deadline
};

class ProbeService {
 public:
  using ConfigSource = std::function<std::shared_ptr<const config::Config>()>;
  /// How an endpoint is configured (Monitor::configuredEndpoint); none when it is not.
  using EndpointLookup = std::function<std::optional<ConfiguredEndpoint>(
      std::string_view address, std::string_view servername)>;
  ProbeService(ConfigSource config, EndpointLookup configured, const Clock& clock);
  ~ProbeService();

  /// Probes now. Errors: Invalid (a malformed target or option), NotFound (not configured and
  /// probing any target is not allowed).
  Result<std::vector<TargetResultPtr>> probe(const ProbeRequest& request);

 private:
  struct State;
  Result<std::shared_ptr<const State>> currentState();
  Result<ConfiguredEndpoint> endpointFor(const State& state, const ProbeRequest& request) const;
  void forgetNowAndThen();

  static constexpr uint64_t kForgetEvery = 1024;  ///< probes between cache sweeps

  ConfigSource config_;
  EndpointLookup configured_;
  const Clock& clock_;
  x509::CertificateCache certificates_;
  probers::ChainVerdictCache verdicts_;
  std::atomic<uint64_t> probes_{0};
  mutable std::mutex mutex_;
  std::shared_ptr<const State> state_;
};

}  // namespace certvigil::scheduler
