// SPDX-License-Identifier: Apache-2.0
#include "scheduler/kubeconfig_scanner.h"

#include <algorithm>
#include <chrono>

#include "probers/kubeconfig_prober.h"
#include "scheduler/endpoint_scanner.h"

namespace certvigil::scheduler {

UnitOutcome scanKubeconfigUnit(const ScanUnit& unit, const ScanContext& shared) {
  const auto start = std::chrono::steady_clock::now();
  const Policy policy = unitPolicy(unit, shared.policy);
  const ScanContext context{shared.certificates, shared.verdicts, shared.trust, policy,
                            shared.clock};
  UnitOutcome out;
  out.scan.unit = unit.name;
  out.scan.kind = unit.kind;
  out.scan.started_at = context.clock.now();
  const probers::FileProber files(context.certificates, context.verdicts, context.trust);
  size_t succeeded = 0;
  for (Observation& obs : probers::probeKubeconfig(unit.kubeconfig, files, context.clock)) {
    succeeded += obs.success ? 1 : 0;
    out.results.push_back(judgeObservation(std::move(obs), unit.name, context));
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
