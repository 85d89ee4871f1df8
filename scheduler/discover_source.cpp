// SPDX-License-Identifier: Apache-2.0
// scheduler/discover_source.cpp: a discover unit scans its children with the machinery of
// configured units (UnitScanner for files and bundles, the batched endpoint prober), keeping
// their caches across scans while the server configuration names the same things. A server
// configuration that cannot be read is a parse_error on a target named after it, never a silent
// empty scan: the targets it named would otherwise vanish and their findings resolve.
#include "scheduler/discover_source.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "scheduler/endpoint_scanner.h"

namespace certvigil::scheduler {
namespace {

std::unique_ptr<UnitScanner> takeScanner(std::vector<std::unique_ptr<UnitScanner>>& old,
                                         const ScanUnit& unit) {
  for (auto& scanner : old) {
    if (scanner && sameScan(scanner->unit(), unit)) {
      scanner->setUnit(unit);
      return std::move(scanner);
    }
  }
  return std::make_unique<UnitScanner>(unit);
}

/// The problems reading the server configuration, as a target of their own.
TargetResultPtr problemsTarget(const discovery::Discovery& found, const ScanUnit& unit,
                               const ScanContext& context) {
  Observation obs;
  obs.target = found.config.string();
  obs.kind = TargetKind::File;
  obs.success = false;
  obs.collected_at = context.clock.now();
  for (const std::string& problem : found.problems) {
    obs.problems.emplace_back(FindingCode::ParseError,
                              "the " + unit.discover->server + " configuration: " + problem);
  }
  auto result =
      std::make_shared<TargetResult>(*judgeObservation(std::move(obs), unit.name, context));
  result->provenance.edit() = {found.config.string(), "discover:" + unit.discover->server};
  return result;
}

}  // namespace

std::vector<UnitOutcome> DiscoverSource::scan(const std::vector<const ScanUnit*>& units,
                                              const ScanContext& context,
                                              const std::function<void()>& heartbeat) {
  std::vector<UnitOutcome> outcomes;
  outcomes.reserve(units.size());
  for (const ScanUnit* unit : units) outcomes.push_back(scanOne(*unit, context, heartbeat));
  return outcomes;
}

void DiscoverSource::configure(const std::vector<const ScanUnit*>& units,
                               const x509::TrustStore& trust, const probers::ProbeLimits& limits) {
  prober_ =
      std::make_unique<probers::EndpointProber>(deps_.certificates, deps_.verdicts, trust, limits);
  std::map<std::string, Followed> kept;
  for (const ScanUnit* unit : units) {
    if (auto it = followed_.find(unit->name); it != followed_.end()) {
      kept.emplace(unit->name, std::move(it->second));
    }
  }
  followed_ = std::move(kept);
}

UnitOutcome DiscoverSource::scanOne(const ScanUnit& unit, const ScanContext& context,
                                    const std::function<void()>& heartbeat) {
  UnitOutcome out;
  out.scan.unit = unit.name;
  out.scan.kind = TargetKind::Discover;
  out.scan.started_at = context.clock.now();
  const auto start = std::chrono::steady_clock::now();
  const auto kind = discovery::serverKindFromString(unit.discover->server);
  const discovery::Discovery found =
      discovery::discover(kind.value_or(discovery::ServerKind::Nginx), unit.discover->path);
  const ChildUnits children = childUnits(found, unit);
  Followed& followed = followed_[unit.name];
  std::vector<UnitOutcome> outcomes = scanChildren(followed, children, context, heartbeat);

  std::map<const TargetResult*, std::pair<TargetResultPtr, TargetResultPtr>> next;
  std::set<std::string> seen;
  out.scan.success = found.problems.empty();
  for (size_t i = 0; i < outcomes.size(); ++i) {
    out.scan.success = out.scan.success && outcomes[i].scan.success;
    out.scan.skipped_symlink_loops += outcomes[i].scan.skipped_symlink_loops;
    out.files_read += outcomes[i].files_read;
    for (const TargetResultPtr& child : outcomes[i].results) {
      // A name listed twice (two directives naming one file) is one target: the first wins.
      if (!seen.insert(child->observation.target).second) continue;
      out.results.push_back(label(followed, next, child, unit, children.origins[i]));
    }
  }
  followed.labelled = std::move(next);
  if (!found.problems.empty()) out.results.push_back(problemsTarget(found, unit, context));
  std::sort(out.results.begin(), out.results.end(), [](const auto& a, const auto& b) {
    return a->observation.target < b->observation.target;
  });
  out.scan.targets = out.results.size();
  out.scan.duration_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

std::vector<UnitOutcome> DiscoverSource::scanChildren(Followed& followed,
                                                      const ChildUnits& children,
                                                      const ScanContext& context,
                                                      const std::function<void()>& heartbeat) {
  std::vector<UnitOutcome> out(children.units.size());
  std::vector<const ScanUnit*> endpoints;
  std::vector<size_t> endpoint_at;
  std::vector<std::unique_ptr<UnitScanner>> scanners;
  for (size_t i = 0; i < children.units.size(); ++i) {
    const ScanUnit& child = children.units[i];
    if (child.kind == TargetKind::Endpoint) {
      endpoints.push_back(&child);
      endpoint_at.push_back(i);
      continue;
    }
    scanners.push_back(takeScanner(followed.scanners, child));
    out[i] = scanners.back()->scan(context);
    if (heartbeat) heartbeat();
  }
  followed.scanners = std::move(scanners);
  if (endpoints.empty() || !prober_) return out;
  std::vector<UnitOutcome> probed = scanEndpointUnits(endpoints, context, *prober_, heartbeat);
  for (size_t j = 0; j < probed.size(); ++j) out[endpoint_at[j]] = std::move(probed[j]);
  return out;
}

TargetResultPtr DiscoverSource::label(
    Followed& followed,
    std::map<const TargetResult*, std::pair<TargetResultPtr, TargetResultPtr>>& next,
    const TargetResultPtr& child, const ScanUnit& unit, const std::string& origin) const {
  const auto it = followed.labelled.find(child.get());
  if (it != followed.labelled.end() && it->second.first == child &&
      it->second.second->origin() == origin) {
    next.emplace(child.get(), it->second);
    return it->second.second;
  }
  auto copy = std::make_shared<TargetResult>(*child);
  copy->unit = unit.name;
  copy->provenance.edit() = {origin, "discover:" + unit.discover->server};
  next[child.get()] = {child, copy};
  return copy;
}

}  // namespace certvigil::scheduler
