// SPDX-License-Identifier: Apache-2.0
// storage/scan_recorder.h: recordScan's diff. Compares a unit's scan with the in-memory state
// and writes only the differences through the repositories: new targets, certificates,
// observations and findings; ended observations, resolved findings and gone targets; changed
// roles and finding severities or texts. The finding rows it writes and the leaves it sees
// replaced go to a ChangeLog, which turns them into alert events (core/transitions.h) before
// the recording ends. A scan that changed nothing writes nothing here but the extension of its
// unit's run of scans and the unit's last-scan time (two rows updated in place), and one that
// hands back the same result objects as last time is not even diffed.
// Runs inside the caller's transaction; on error the caller rolls back and reloads the cache,
// which this class has already updated.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "core/snapshot.h"
#include "core/uuid.h"
#include "storage/change_log.h"
#include "storage/repositories.h"
#include "storage/state_cache.h"

namespace certvigil::storage {

class ScanRecorder {
 public:
  /// `now`: the time everything this recorder writes happened at (alert events included);
  /// `ids`: the source of the events' UUIDs.
  ScanRecorder(Repositories& repos, StateCache& cache, int64_t now, UuidGenerator& ids)
      : repos_(repos), cache_(cache), now_(now), ids_(ids) {}

  /// Records `scan` of its unit with the unit's complete result set.
  Status record(const UnitScan& scan, const std::vector<TargetResultPtr>& results);
  /// Marks every present target of `unit` gone (the unit left the configuration).
  Status retire(UnitState& unit);

 private:
  /// The previous scan's results, walked in order to find handed-back objects' targets.
  struct Hints {
    std::vector<RecordedResult> previous;
    size_t cursor = 0;
    TargetState* take(const TargetResultPtr& result);
  };

  Result<UnitState*> unitFor(const UnitScan& scan);
  /// Extends the unit's current run of scans with `scan`, or starts a new run when `changed`
  /// (the recording wrote something) or the outcome or the counts differ.
  Status recordRun(UnitState& unit, const UnitScan& scan, bool changed);
  void beginScanOf(UnitState& unit);
  /// True when `results` are the very objects the unit's last scan recorded (pointer
  /// identity, O(n) without touching the objects): nothing can have changed.
  bool sameResultsAsLastScan(const UnitState& unit, const UnitScan& scan,
                             const std::vector<TargetResultPtr>& results) const;
  /// Diffs every result against the state and retires the targets not listed.
  Status diffResults(UnitState& unit, const std::vector<TargetResultPtr>& results);
  /// Marks the result's target present and diffs it; nullptr when the scan listed it already.
  Result<TargetState*> recordTarget(UnitState& unit, const TargetResultPtr& result);
  /// The target's state, now marked present; nullptr when `results` listed it already.
  Result<TargetState*> presentTarget(UnitState& unit, const Observation& observation);
  Status diffObservations(TargetState& target, const TargetResult& result);
  /// Stores the target's origin and source when they changed.
  Status recordOrigin(TargetState& target, const TargetResult& result);
  /// `queue`: the target had no current observation, so a new one may wait in `pending_`.
  Status matchObservation(TargetState& target, const PresentedCertificate& presented,
                          ResolvedRole role, bool queue);
  void noteLeafChange(const TargetState& target, FingerprintId fingerprint,
                      int64_t certificate_row);
  Status diffFindings(TargetState& target, const std::vector<Finding>& findings);
  Status matchFinding(TargetState& target, const Finding& finding);
  Status endUnmatchedObservations(TargetState& target);
  Status resolveUnmatchedFindings(TargetState& target);
  Status retireMissing(UnitState& unit);
  Status retireTarget(UnitState& unit, TargetState& target);
  Result<int64_t> certificateRow(const CertificateFacts& facts, FingerprintId fingerprint);

  /// Inserts of new targets and of the first observations of targets with none, queued to be
  /// written many rows per statement (BatchInsert: a first scan of 10^5 files). Their row ids
  /// are chosen here, one past the largest as SQLite would, so the cache holds them at once.
  /// Flushed before any statement that could see or refer to them (another observation insert,
  /// a finding insert: foreign keys read them) and before the scan ends.
  struct Pending {
    std::vector<TargetRepository::NewTarget> targets;
    std::vector<ObservationRepository::NewObservation> observations;
    std::vector<FindingRepository::NewFinding> findings;
    int64_t next_target = 0;       ///< 0: not known yet, ask the table
    int64_t next_observation = 0;  ///< 0: not known yet, or an insert not queued took one
    int64_t next_finding = 0;      ///< 0: not known yet, ask the table
  };
  Result<int64_t> queueTarget(int64_t unit_row, const Observation& observation);
  Result<int64_t> queueObservation(int64_t target_row, int64_t certificate_row, int position,
                                   ResolvedRole role);
  Result<int64_t> queueFinding(int64_t target_row, const Finding& finding);
  /// `row` of a queue now `queue_size` long, after flushing every queue if that made it full.
  Result<int64_t> queued(size_t queue_size, int64_t row);
  Status flushPending();
  /// Upserts the handshake and mTLS facts of the unit's endpoint targets.
  Status recordEndpointFacts(const UnitState& unit, const std::vector<TargetResultPtr>& results);

  Repositories& repos_;
  StateCache& cache_;
  int64_t now_;
  UuidGenerator& ids_;
  ChangeLog changes_;
  int64_t previous_ = 0;  ///< the unit's previous scan: last_seen of whatever ends now
  uint32_t epoch_ = 0;
  size_t seen_ = 0;  ///< present targets listed by the scan being recorded
  Pending pending_;
};

}  // namespace certvigil::storage
