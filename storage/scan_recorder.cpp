// SPDX-License-Identifier: Apache-2.0
#include "storage/scan_recorder.h"

#include <algorithm>

#include "storage/codec.h"

namespace certvigil::storage {

Status ScanRecorder::record(const UnitScan& scan, const std::vector<TargetResultPtr>& results) {
  auto found = unitFor(scan);
  if (!found) return found.error();
  UnitState& unit = **found;
  beginScanOf(unit);
  const int64_t written_before = repos_.rowsWritten();
  if (!sameResultsAsLastScan(unit, scan, results)) {
    if (auto status = diffResults(unit, results); !status) return status;
  }
  if (auto status = changes_.writeEvents(repos_.events, fromUnix(now_), ids_); !status) {
    return status;
  }
  const bool changed = repos_.rowsWritten() != written_before;
  if (auto status = recordRun(unit, scan, changed); !status) return status;
  // The one write that stands for "everything current in this unit was seen again now".
  if (auto status = repos_.units.touch(unit.row, now_, scan.kind); !status) return status;
  unit.last_scan_at = now_;
  unit.kind = toByte(scan.kind);
  return Ok{};
}

Status ScanRecorder::recordRun(UnitState& unit, const UnitScan& scan, bool changed) {
  const bool same = unit.run_row != 0 && !changed && unit.run_ok == scan.success &&
                    unit.run_targets == unit.last_targets &&
                    unit.run_findings == unit.last_findings;
  if (same) {
    auto extended = repos_.scans.extend(unit.run_row, scan);
    if (!extended) return extended.error();
    if (*extended) return Ok{};  // else the run was pruned: start another
  }
  auto row = repos_.scans.insert(unit.row, scan, unit.last_targets, unit.last_findings);
  if (!row) return row.error();
  unit.run_row = *row;
  unit.run_ok = scan.success;
  unit.run_targets = unit.last_targets;
  unit.run_findings = unit.last_findings;
  return Ok{};
}

// After flushPending(): a new endpoint target's row exists by now.
Status ScanRecorder::recordEndpointFacts(const UnitState& unit,
                                         const std::vector<TargetResultPtr>& results) {
  for (const auto& result : results) {
    if (!result || !result->observation.endpoint) continue;
    auto target = unit.targets.find(result->observation.target);
    if (target == unit.targets.end()) continue;
    if (auto status =
            repos_.endpoints.upsert(target->second.row, *result->observation.endpoint, now_);
        !status) {
      return status;
    }
  }
  return Ok{};
}

bool ScanRecorder::sameResultsAsLastScan(const UnitState& unit, const UnitScan& scan,
                                         const std::vector<TargetResultPtr>& results) const {
  if (!unit.last_results_known || unit.kind != toByte(scan.kind)) return false;
  size_t k = 0;
  for (const auto& result : results) {
    if (!result) continue;
    if (k == unit.last_results.size() || !unit.last_results[k].result.refersTo(result)) {
      return false;
    }
    ++k;
  }
  return k == unit.last_results.size();
}

Status ScanRecorder::diffResults(UnitState& unit, const std::vector<TargetResultPtr>& results) {
  Hints hints{unit.last_results_known ? std::move(unit.last_results)
                                      : std::vector<RecordedResult>{}};
  unit.last_results.clear();
  unit.last_results_known = false;
  // Sized once: a first scan of 10^5 targets would otherwise rehash and regrow many times.
  unit.last_results.reserve(results.size());
  unit.targets.reserve(results.size());
  size_t findings = 0;
  for (const auto& result : results) {
    if (!result) continue;
    TargetState* target = hints.take(result);
    if (target == nullptr) {
      auto recorded = recordTarget(unit, result);
      if (!recorded) return recorded.error();
      target = *recorded;
    } else if (target->seen_epoch != epoch_) {
      target->seen_epoch = epoch_;  // the very object recorded last time: nothing to diff
    } else {
      target = nullptr;  // listed twice: the first result counts
    }
    if (target == nullptr) continue;
    unit.last_results.push_back({ResultRef(result), target});
    ++seen_;
    findings += result->findings.size();
  }
  if (auto status = flushPending(); !status) return status;
  if (auto status = recordEndpointFacts(unit, results); !status) return status;
  if (auto status = retireMissing(unit); !status) return status;
  unit.last_results_known = true;
  unit.last_targets = static_cast<uint32_t>(seen_);
  unit.last_findings = static_cast<uint32_t>(findings);
  return Ok{};
}

// The scheduler hands back cached result objects in the order it listed them last time, with
// re-read ones elsewhere; following the previous list with a cursor finds each handed-back
// object's target without hashing its name. A miss (a new or re-read result) skips ahead by
// at most kSkip entries, so a few changed files do not throw the walk off.
TargetState* ScanRecorder::Hints::take(const TargetResultPtr& result) {
  constexpr size_t kSkip = 2;
  for (size_t k = cursor; k < previous.size() && k <= cursor + kSkip; ++k) {
    if (previous[k].result.refersTo(result)) {
      cursor = k + 1;
      return previous[k].target;
    }
  }
  return nullptr;
}

Status ScanRecorder::retire(UnitState& unit) {
  beginScanOf(unit);
  unit.last_results.clear();
  unit.last_results_known = false;
  unit.last_targets = 0;
  unit.last_findings = 0;
  if (auto status = retireMissing(unit); !status) return status;
  return changes_.writeEvents(repos_.events, fromUnix(now_), ids_);
}

Result<UnitState*> ScanRecorder::unitFor(const UnitScan& scan) {
  auto [it, inserted] = cache_.units.try_emplace(scan.unit);
  if (inserted) {
    auto row = repos_.units.insert(scan.unit, scan.kind);
    if (!row) return row.error();
    it->second.row = *row;
    it->second.kind = toByte(scan.kind);
  }
  return &it->second;
}

void ScanRecorder::beginScanOf(UnitState& unit) {
  previous_ = unit.last_scan_at != 0 ? unit.last_scan_at : now_;
  epoch_ = ++unit.epoch;
  seen_ = 0;
}

Result<TargetState*> ScanRecorder::recordTarget(UnitState& unit, const TargetResultPtr& result) {
  auto target = presentTarget(unit, result->observation);
  if (!target || *target == nullptr) return target;  // error, or listed twice
  TargetState& state = **target;
  if (state.last_result.refersTo(result)) return &state;  // the very object recorded last time
  if (auto status = recordOrigin(state, *result); !status) return status.error();
  if (auto status = diffObservations(state, *result); !status) return status.error();
  if (auto status = diffFindings(state, result->findings); !status) return status.error();
  state.last_result = ResultRef(result);
  return &state;
}

Result<TargetState*> ScanRecorder::presentTarget(UnitState& unit, const Observation& observation) {
  const uint8_t kind = toByte(observation.kind);
  auto [it, inserted] = unit.targets.try_emplace(observation.target);
  TargetState& target = it->second;
  if (inserted) {
    auto row = queueTarget(unit.row, observation);
    if (!row) return row.error();
    target.row = *row;
    target.kind = kind;
    ++unit.present;
  } else if (target.seen_epoch == epoch_) {
    return nullptr;
  } else if (target.gone || target.kind != kind) {
    if (auto status = repos_.targets.markPresent(target.row, observation.kind); !status) {
      return status.error();
    }
    if (target.gone) ++unit.present;
    target.gone = false;
    target.kind = kind;
  }
  target.seen_epoch = epoch_;
  return &target;
}

Status ScanRecorder::recordOrigin(TargetState& target, const TargetResult& result) {
  const uint64_t digest = originDigest(result.provenance->origin, result.provenance->source);
  if (digest == target.origin_digest) return Ok{};
  if (auto status = flushPending(); !status) return status;  // the target row comes first
  if (auto status = repos_.targets.setOrigin(target.row, result.provenance->origin,
                                             result.provenance->source);
      !status) {
    return status;
  }
  target.origin_digest = digest;
  return Ok{};
}

Status ScanRecorder::diffObservations(TargetState& target, const TargetResult& result) {
  const auto& certificates = result.observation.certificates;
  const bool queue = target.observations.empty();  // nothing current to compare or end
  for (size_t i = 0; i < certificates.size(); ++i) {
    const auto& presented = certificates[i];
    if (!presented.facts || presented.facts->fingerprint_sha256.empty()) continue;
    const ResolvedRole role = i < result.roles.size() ? result.roles[i] : ResolvedRole::Any;
    if (auto status = matchObservation(target, presented, role, queue); !status) return status;
  }
  return endUnmatchedObservations(target);
}

Status ScanRecorder::matchObservation(TargetState& target, const PresentedCertificate& presented,
                                      ResolvedRole role, bool queue) {
  const FingerprintId fingerprint = cache_.fingerprints.intern(presented.facts->fingerprint_sha256);
  for (auto& current : target.observations) {
    if (current.fingerprint != fingerprint || current.position != presented.position) continue;
    if (current.matched) return Ok{};  // the same certificate twice at one position
    current.matched = true;
    if (current.role == toByte(role)) return Ok{};
    current.role = toByte(role);
    return repos_.observations.updateRole(current.row, role);
  }
  auto certificate = certificateRow(*presented.facts, fingerprint);
  if (!certificate) return certificate.error();
  Result<int64_t> row = int64_t{0};
  if (queue) {
    row = queueObservation(target.row, *certificate, presented.position, role);
  } else {
    if (auto status = flushPending(); !status) return status;
    row = repos_.observations.insert(target.row, *certificate, presented.position, role, now_);
    pending_.next_observation = 0;
  }
  if (!row) return row.error();
  if (presented.position == 0 && !queue) noteLeafChange(target, fingerprint, *certificate);
  target.observations.push_back(ObservationState{
      *row, fingerprint, static_cast<int32_t>(presented.position), toByte(role), true});
  return Ok{};
}

Status ScanRecorder::diffFindings(TargetState& target, const std::vector<Finding>& findings) {
  for (const auto& finding : findings) {
    if (auto status = matchFinding(target, finding); !status) return status;
  }
  return resolveUnmatchedFindings(target);
}

Status ScanRecorder::matchFinding(TargetState& target, const Finding& finding) {
  const FingerprintId fingerprint = cache_.fingerprints.intern(finding.fingerprint);
  const uint8_t code = toByte(finding.code);
  const uint64_t content = findingContentDigest(finding.message, finding.remedy, finding.cause);
  for (auto& active : target.findings) {
    if (active.code != code || active.fingerprint != fingerprint ||
        active.position != finding.position) {
      continue;
    }
    if (active.matched) return Ok{};  // reported twice in one scan: the first counts
    active.matched = true;
    if (active.severity == toByte(finding.severity) && active.content == content) return Ok{};
    changes_.noteFinding(active.row, static_cast<Severity>(active.severity));
    active.severity = toByte(finding.severity);
    active.content = content;
    return repos_.findings.update(active.row, finding);
  }
  auto row = queueFinding(target.row, finding);
  if (!row) return row.error();
  changes_.noteFinding(*row, std::nullopt);
  FindingState& added = target.findings.emplace_back();
  added.row = *row;
  added.content = content;
  added.fingerprint = fingerprint;
  added.position = static_cast<int32_t>(finding.position);
  added.code = code;
  added.severity = toByte(finding.severity);
  added.matched = true;
  return Ok{};
}

// Ends the observations the scan did not report again and clears the scratch marks.
Status ScanRecorder::endUnmatchedObservations(TargetState& target) {
  for (const auto& current : target.observations) {
    if (current.matched) continue;
    if (auto status = repos_.observations.end(current.row, now_, previous_); !status) {
      return status;
    }
  }
  std::erase_if(target.observations, [](const auto& o) { return !o.matched; });
  for (auto& current : target.observations) current.matched = false;
  return Ok{};
}

// Resolves the findings the scan did not report again and clears the scratch marks.
Status ScanRecorder::resolveUnmatchedFindings(TargetState& target) {
  for (const auto& active : target.findings) {
    if (active.matched) continue;
    if (auto status = repos_.findings.resolve(active.row, now_, previous_); !status) {
      return status;
    }
    changes_.noteFinding(active.row, static_cast<Severity>(active.severity));
  }
  std::erase_if(target.findings, [](const auto& f) { return !f.matched; });
  for (auto& active : target.findings) active.matched = false;
  return Ok{};
}

Status ScanRecorder::retireMissing(UnitState& unit) {
  // Every present target was listed: nothing is missing, and no need to visit them all.
  if (seen_ == unit.present) return Ok{};
  for (auto& [name, target] : unit.targets) {
    if (target.gone || target.seen_epoch == epoch_) continue;
    if (auto status = retireTarget(unit, target); !status) return status;
  }
  return Ok{};
}

Status ScanRecorder::retireTarget(UnitState& unit, TargetState& target) {
  // Nothing of a missing target is matched: everything current ends.
  if (auto status = endUnmatchedObservations(target); !status) return status;
  if (auto status = resolveUnmatchedFindings(target); !status) return status;
  if (auto status = repos_.targets.markGone(target.row, now_, previous_); !status) {
    return status;
  }
  target.gone = true;
  target.last_result = ResultRef();
  --unit.present;
  target.observations.shrink_to_fit();
  target.findings.shrink_to_fit();
  return Ok{};
}

// A new certificate at position 0 of a target that had a current one: the leaf it replaces is
// the current position-0 observation with another certificate (it ends later in this scan).
void ScanRecorder::noteLeafChange(const TargetState& target, FingerprintId fingerprint,
                                  int64_t certificate_row) {
  for (const auto& current : target.observations) {
    if (current.position != 0 || current.fingerprint == fingerprint) continue;
    const int64_t before = cache_.fingerprints.certificateRow(current.fingerprint);
    if (before != 0) changes_.noteLeaf(target.row, before, certificate_row);
    return;
  }
}

Result<int64_t> ScanRecorder::certificateRow(const CertificateFacts& facts,
                                             FingerprintId fingerprint) {
  if (const int64_t row = cache_.fingerprints.certificateRow(fingerprint); row != 0) return row;
  auto row = repos_.certificates.insert(facts, now_);
  if (!row) return row.error();
  cache_.fingerprints.setCertificateRow(fingerprint, *row);
  return *row;
}

}  // namespace certvigil::storage
