// SPDX-License-Identifier: Apache-2.0
// storage/outbox_repository.h: the alert outbox (migration 002_alerts). Events are written by
// the recorder in the transaction that records a scan (storage/change_log.h, with the rules of
// core/transitions.h); this class is how the dispatcher reads them, keeps one delivery cursor
// per notifier and appends the repeats its policy (alerts/repeats.h) decides on.
//
// An Outbox is its own SQLite connection to the daemon's database (WAL lets it read and write
// beside the scheduler's connection; BEGIN IMMEDIATE and the busy timeout serialise writers). It
// only writes `events` and `notifier_cursors`, which the StateStore does not cache, so the
// scheduler's in-memory state stays true. One thread at a time per Outbox.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/alert_event.h"
#include "core/result.h"
#include "core/time.h"
#include "core/transitions.h"

namespace certvigil::storage {

/// Events a notifier has yet to handle.
struct PendingEvents {
  size_t count = 0;
  std::optional<TimePoint> oldest;  ///< created_at of the oldest
};

/// An active finding, and when the newest event about it meant for a notifier was written
/// (nullopt: none, e.g. on a database upgraded from before the outbox).
struct RepeatCandidate {
  FindingRecord finding;
  std::optional<TimePoint> last_event;
};

/// Given every active finding, the repeat events to write.
using RepeatPolicy = std::function<std::vector<AlertEvent>(std::span<const RepeatCandidate>)>;

class Outbox {
 public:
  /// A second connection to the daemon's database, already migrated by StateStore::open.
  static Result<std::unique_ptr<Outbox>> open(const std::filesystem::path& path);
  /// For `certvigil events`: reads only.
  static Result<std::unique_ptr<Outbox>> openReadOnly(const std::filesystem::path& path);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  /// The id of the last event `notifier` has handled. A notifier seen for the first time
  /// starts with the events written since `backlog_since` (its max_age ago): a new notifier
  /// hears about recent transitions, not about all history.
  Result<int64_t> cursor(const std::string& notifier, TimePoint backlog_since, TimePoint now);
  /// Up to `limit` events after `after` meant for `notifier` (or for every notifier), in order.
  Result<std::vector<AlertEvent>> eventsAfter(const std::string& notifier, int64_t after,
                                              size_t limit);
  /// Records that `notifier` has handled every event up to `last_event_id`.
  Status advance(const std::string& notifier, int64_t last_event_id, TimePoint now);
  /// What `notifier` has yet to handle after `after`.
  Result<PendingEvents> pending(const std::string& notifier, int64_t after);
  /// In one write transaction: shows `policy` every active finding with its last event for
  /// `notifier`, and appends the repeat events it returns. Returns how many.
  Result<size_t> appendRepeats(const std::string& notifier, const RepeatPolicy& policy);
  /// The current alert state, for receivers that want it whole (Alertmanager): every active
  /// finding (kind Firing) and every finding resolved at or after `resolved_since` (kind
  /// Resolved). uid and created_at are not meaningful here.
  Result<std::vector<AlertEvent>> alertState(TimePoint resolved_since);
  /// Every notifier's cursor, by notifier name.
  Result<std::map<std::string, int64_t>> cursors();

 private:
  struct Impl;
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certvigil::storage
