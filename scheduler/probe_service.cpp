// SPDX-License-Identifier: Apache-2.0
#include "scheduler/probe_service.h"

#include <algorithm>
#include <chrono>

#include "scheduler/endpoint_scanner.h"
#include "scheduler/scan_unit.h"

namespace certvigil::scheduler {

struct ProbeService::State {
  std::shared_ptr<const config::Config> config;
  x509::TrustStore trust;
  Policy policy;
};

ProbeService::ProbeService(ConfigSource config, EndpointLookup configured, const Clock& clock)
    : config_(std::move(config)), configured_(std::move(configured)), clock_(clock) {}
ProbeService::~ProbeService() = default;

Result<std::shared_ptr<const ProbeService::State>> ProbeService::currentState() {
  std::shared_ptr<const config::Config> config = config_();
  if (!config) return makeError(ErrorCode::Invalid, "not configured yet");
  {
    std::lock_guard lock(mutex_);
    if (state_ && state_->config == config) return state_;
  }
  Result<x509::TrustStore> trust =
      x509::TrustStore::load(config->trust.system, config->trust.ca_files);
  if (!trust) return trust.error();
  Policy policy;
  policy.thresholds = config->thresholds;
  auto state = std::make_shared<const State>(State{config, std::move(*trust), policy});
  std::lock_guard lock(mutex_);
  state_ = state;
  return state;
}

namespace {

Result<config::EndpointConfig> adHoc(const ProbeRequest& request) {
  config::EndpointConfig e;
  e.address = request.target;
  e.servername = request.servername;
  if (!request.mtls.empty()) {
    auto mode = config::mtlsModeFromString(request.mtls);
    if (!mode) return makeError(ErrorCode::Invalid, "mtls must be none, optional or required");
    e.mtls = *mode;
  }
  if (!request.starttls.empty()) {
    auto mode = config::startTlsFromString(request.starttls);
    if (!mode) return makeError(ErrorCode::Invalid, "unknown starttls protocol");
    e.starttls = *mode;
  }
  return e;
}

}  // namespace

Result<ConfiguredEndpoint> ProbeService::endpointFor(const State& state,
                                                     const ProbeRequest& request) const {
  std::string why;
  if (!config::parseHostPort(request.target, false, &why)) {
    return makeError(ErrorCode::Invalid, "target must be host:port or [v6]:port: " + why);
  }
  std::optional<ConfiguredEndpoint> endpoint = configured_(request.target, request.servername);
  if (!endpoint) {
    if (!state.config->probe.allow_any_target) {
      return makeError(ErrorCode::NotFound,
                       "not a configured endpoint (set probe.allow_any_target to probe any)");
    }
    Result<config::EndpointConfig> entry = adHoc(request);
    if (!entry) return entry.error();
    endpoint = ConfiguredEndpoint{endpointSpecFrom(*entry, *state.config), state.config->clients};
  }
  if (request.timeout_seconds && *request.timeout_seconds > 0) {
    // Prometheus sends its scrape timeout: answer within it rather than after it.
    const auto cap =
        std::chrono::milliseconds(static_cast<int64_t>(*request.timeout_seconds * 1000));
    endpoint->spec.timeout = std::min(endpoint->spec.timeout, cap);
  }
  return std::move(*endpoint);
}

// The caches serve repeated probes of the same endpoints; with probe.allow_any_target they would
// otherwise grow with every certificate anyone asks about.
void ProbeService::forgetNowAndThen() {
  if (probes_.fetch_add(1) % kForgetEvery != kForgetEvery - 1) return;
  certificates_.prune();
  verdicts_.clear();
}

Result<std::vector<TargetResultPtr>> ProbeService::probe(const ProbeRequest& request) {
  Result<std::shared_ptr<const State>> current = currentState();
  if (!current) return current.error();
  const std::shared_ptr<const State>& state = *current;
  Result<ConfiguredEndpoint> endpoint = endpointFor(*state, request);
  if (!endpoint) return endpoint.error();
  ScanUnit unit;
  unit.name = endpoint->spec.name;
  unit.kind = TargetKind::Endpoint;
  unit.endpoint = std::move(endpoint->spec);
  unit.clients = endpoint->clients;
  const ScanContext context{certificates_, verdicts_, state->trust, state->policy, clock_};
  probers::EndpointProber prober(certificates_, verdicts_, state->trust,
                                 {.in_flight = 2, .loops = 1});
  std::vector<UnitOutcome> outcomes = scanEndpointUnits({&unit}, context, prober);
  forgetNowAndThen();
  return std::move(outcomes.front().results);
}

}  // namespace certvigil::scheduler
