// SPDX-License-Identifier: Apache-2.0
#include "scheduler/kubeconfig_scanner.h"

#include <algorithm>
#include <chrono>

#include "probers/kubeconfig_prober.h"
#include "probers/kubeconfig_servers.h"
#include "scheduler/endpoint_scanner.h"

namespace certvigil::scheduler {
namespace {

/// An endpoint unit for one server of the kubeconfig, scanned as configured endpoints are.
ScanUnit serverUnit(const ScanUnit& parent, probers::EndpointSpec spec) {
  ScanUnit u;
  u.name = spec.name;
  u.kind = TargetKind::Endpoint;
  u.role = Role::Server;
  u.interval = parent.interval;
  u.clients = parent.clients;
  u.revocation = parent.revocation;
  u.endpoint = std::move(spec);
  return u;
}

/// Probes the unit's API servers in one batch; their results become the unit's, labelled with
/// the context each came from. Returns how many probes succeeded.
size_t probeServers(const ScanUnit& unit, const ScanContext& context,
                    probers::EndpointProber& prober, const std::function<void()>& heartbeat,
                    UnitOutcome& out) {
  probers::KubeServers found = probers::kubeconfigServers(
      unit.files->kubeconfig, unit.files->probe_servers->timeout, context.clock);
  std::vector<ScanUnit> children;
  children.reserve(found.servers.size());
  for (probers::KubeServer& s : found.servers) children.push_back(serverUnit(unit, s.spec));
  std::vector<const ScanUnit*> batch;
  for (const ScanUnit& child : children) batch.push_back(&child);
  size_t succeeded = 0;
  std::vector<UnitOutcome> probed = scanEndpointUnits(batch, context, prober, heartbeat);
  for (size_t i = 0; i < probed.size(); ++i) {
    for (const TargetResultPtr& child : probed[i].results) {
      auto labelled = std::make_shared<TargetResult>(*child);
      labelled->unit = unit.name;
      labelled->provenance.edit().origin = found.servers[i].origin;
      succeeded += labelled->observation.success ? 1 : 0;
      out.results.push_back(std::move(labelled));
    }
  }
  for (Observation& problem : found.problems) {
    out.results.push_back(judgeObservation(std::move(problem), unit.name, context));
  }
  return succeeded;
}

}  // namespace

UnitOutcome scanKubeconfigUnit(const ScanUnit& unit, const ScanContext& shared,
                               probers::EndpointProber* prober,
                               const std::function<void()>& heartbeat) {
  const auto start = std::chrono::steady_clock::now();
  const Policy policy = unitPolicy(unit, shared.policy);
  const ScanContext context{shared.certificates, shared.verdicts,  shared.trust, policy,
                            shared.clock,        shared.revocation};
  UnitOutcome out;
  out.scan.unit = unit.name;
  out.scan.kind = unit.kind;
  out.scan.started_at = context.clock.now();
  const probers::FileProber files(context.certificates, context.verdicts, context.trust);
  size_t succeeded = 0;
  for (Observation& obs : probers::probeKubeconfig(unit.files->kubeconfig, files, context.clock)) {
    succeeded += obs.success ? 1 : 0;
    out.results.push_back(judgeObservation(std::move(obs), unit.name, context));
  }
  if (unit.files->probe_servers && prober != nullptr) {
    succeeded += probeServers(unit, context, *prober, heartbeat, out);
  }
  std::sort(out.results.begin(), out.results.end(), [](const auto& a, const auto& b) {
    return a->observation.target < b->observation.target;
  });
  out.files_read = 1;
  out.scan.targets = out.results.size();
  out.scan.success = succeeded > 0 || out.results.empty();
  out.scan.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace certvigil::scheduler
