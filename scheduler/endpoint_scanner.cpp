// SPDX-License-Identifier: Apache-2.0
#include "scheduler/endpoint_scanner.h"

#include <algorithm>
#include <chrono>

#include "checks/checks.h"

namespace certvigil::scheduler {
namespace {

/// Asks the CAs about every probed path (and client certificate) in parallel, before judging.
void askRevocation(const std::vector<const ScanUnit*>& units,
                   std::vector<probers::EndpointProbe>& probes,
                   revocation::RevocationService& service) {
  std::vector<revocation::Lookup> lookups;
  for (size_t i = 0; i < units.size(); ++i) {
    for (Observation& obs : probes[i].server) lookups.push_back({&obs, &units[i]->revocation});
    if (probes[i].client) lookups.push_back({&*probes[i].client, &units[i]->revocation});
  }
  service.annotateAll(lookups);
}

/// The result `previous` published for the target `obs` names (the same name and kind), or null.
TargetResultPtr previousResult(const Observation& obs, const Snapshot& previous) {
  // The snapshot's targets are ordered by name (Monitor::publish).
  auto it = std::lower_bound(previous.targets.begin(), previous.targets.end(), obs.target,
                             [](const TargetResultPtr& r, const std::string& name) {
                               return r->observation.target < name;
                             });
  for (; it != previous.targets.end() && (*it)->observation.target == obs.target; ++it) {
    if ((*it)->observation.kind == obs.kind) return *it;
  }
  return nullptr;
}

/// Points `obs` at the endpoint facts of `before` when they are equal.
void shareFactsOf(Observation& obs, const TargetResult& before) {
  const std::shared_ptr<const EndpointFacts>& facts = before.observation.endpoint;
  if (obs.endpoint && facts && facts != obs.endpoint && *facts == *obs.endpoint) {
    obs.endpoint = facts;
  }
}

}  // namespace

TargetResultPtr judgeObservation(Observation obs, const SharedText& unit,
                                 const ScanContext& context) {
  auto result = std::make_shared<TargetResult>();
  result->unit = unit;
  result->findings = checks::runChecks(obs, context.policy, context.clock.now());
  result->roles = checks::resolveRoles(obs);
  result->observation = std::move(obs);
  return result;
}

TargetResultPtr judgeOrKeep(Observation obs, const SharedText& unit, const ScanContext& context) {
  TargetResultPtr before = context.previous ? previousResult(obs, *context.previous) : nullptr;
  if (!before) return judgeObservation(std::move(obs), unit, context);
  shareFactsOf(obs, *before);
  std::vector<Finding> findings = checks::runChecks(obs, context.policy, context.clock.now());
  // Roles follow from the observation alone: the same observation, the same roles.
  if (before->unit == unit && before->observation == obs && before->findings == findings) {
    before->observation.collected_at.refresh(obs.collected_at);
    before->observation.duration_seconds.refresh(obs.duration_seconds);
    return before;
  }
  auto result = std::make_shared<TargetResult>();
  // The name the result before holds, when equal: after a reload the unit's name is another
  // allocation of the same text, and the results kept from before still hold the old one.
  result->unit = before->unit == unit ? before->unit : unit;
  result->findings = std::move(findings);
  result->roles = checks::resolveRoles(obs);
  result->observation = std::move(obs);
  return result;
}

std::vector<UnitOutcome> scanEndpointUnits(const std::vector<const ScanUnit*>& units,
                                           const ScanContext& context,
                                           probers::EndpointProber& prober,
                                           const std::function<void()>& heartbeat) {
  const TimePoint started = context.clock.now();
  const auto start = std::chrono::steady_clock::now();
  std::vector<const probers::EndpointSpec*> specs;
  specs.reserve(units.size());
  for (const ScanUnit* unit : units) specs.push_back(&*unit->endpoint);
  std::vector<probers::EndpointProbe> probes = prober.probe(specs, context.clock, heartbeat);
  const double batch_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // The probes are over (their deadlines and durations are theirs alone): now ask the CAs.
  if (context.revocation) askRevocation(units, probes, *context.revocation);

  std::vector<UnitOutcome> outcomes(units.size());
  for (size_t i = 0; i < units.size(); ++i) {
    const Policy policy = unitPolicy(*units[i], context.policy);
    const ScanContext unit_context{
        context.certificates, context.verdicts,   context.trust,   policy,
        context.clock,        context.revocation, context.previous};
    UnitOutcome& out = outcomes[i];
    out.scan.unit = units[i]->name;
    out.scan.kind = TargetKind::Endpoint;
    out.scan.started_at = started;
    out.scan.success = true;
    double longest = 0;
    for (Observation& obs : probes[i].server) {
      out.scan.success = out.scan.success && obs.success;
      longest = std::max(longest, obs.duration_seconds.get());
      out.results.push_back(judgeOrKeep(std::move(obs), units[i]->name, unit_context));
    }
    if (probes[i].client) {
      out.results.push_back(
          judgeOrKeep(std::move(*probes[i].client), units[i]->name, unit_context));
    }
    std::sort(out.results.begin(), out.results.end(), [](const auto& a, const auto& b) {
      return a->observation.target < b->observation.target;
    });
    // A unit's own probe time; the batch bounds it (client files are read before the batch).
    out.scan.duration_seconds = std::min(longest, batch_seconds);
    out.scan.targets = out.results.size();
    // What was moved from, freed for the next units' results to reuse (moving out takes the
    // buffers; assigning {} would keep them).
    { const probers::EndpointProbe gone = std::move(probes[i]); }
  }
  return outcomes;
}

}  // namespace certvigil::scheduler
