// storage/outbox_repository.h: the alert outbox (migration 002_alerts). Events are written by
// triggers in the transaction that records a scan (see 002_alerts.sql); this class is how the
// dispatcher reads them, keeps one delivery cursor per notifier, re-notifies still-active
// findings, and how `certvigil events` lists them.
//
// An Outbox is its own SQLite connection to the daemon's database (WAL lets it read and write
// beside the scheduler's connection; BEGIN IMMEDIATE and the busy timeout serialise writers). It
// only writes `events` and `notifier_cursors`, which the StateStore does not cache, so the
// scheduler's in-memory state stays true. One thread at a time per Outbox.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace certvigil::storage {

/// What happened. Repeat: a still-active finding re-notified after repeat_interval.
enum class EventKind { Firing, SeverityChanged, Resolved, Repeat, CertificateChanged };

/// "firing" | "severity_changed" | "resolved" | "repeat" | "certificate_changed".
std::string_view toString(EventKind kind);
std::optional<EventKind> eventKindFromString(std::string_view text);

/// One event as stored: immutable once written.
struct OutboxEvent {
  int64_t id = 0;   ///< delivery order
  std::string uid;  ///< stable id (UUID v4) receivers deduplicate on
  TimePoint created_at{};
  EventKind kind = EventKind::Firing;
  std::string notifier;  ///< "" for every notifier (repeats are for one)
  std::string target;
  std::string unit;
  std::string target_kind;           ///< "file" | "bundle" | "endpoint"
  std::string code;                  ///< a finding code, or "certificate_changed"
  std::string severity;              ///< for Resolved: the severity it had
  std::string previous_severity;     ///< SeverityChanged only
  std::string fingerprint;           ///< SHA-256 of the certificate concerned, "" if none
  std::string previous_fingerprint;  ///< CertificateChanged only
  int position = -1;
  std::string message;
  std::string remedy;
  std::string cause;
  std::optional<TimePoint> first_seen;   ///< when the finding became active
  std::optional<TimePoint> resolved_at;  ///< Resolved only
  std::string subject;                   ///< the certificate, when there is one
  std::string issuer;
  std::string serial;
  std::optional<TimePoint> not_after;

  /// Every kind but Resolved announces something active.
  bool firing() const { return kind != EventKind::Resolved; }
};

/// A notifier's filters (config `severities`, `codes`); empty lists let everything through.
struct EventFilter {
  std::vector<std::string> severities;
  std::vector<std::string> codes;

  bool matches(const OutboxEvent& event) const;
};

/// Events a notifier has yet to handle.
struct PendingEvents {
  size_t count = 0;
  std::optional<TimePoint> oldest;  ///< created_at of the oldest
};

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
  Result<std::vector<OutboxEvent>> eventsAfter(const std::string& notifier, int64_t after,
                                               size_t limit);
  /// Records that `notifier` has handled every event up to `last_event_id`.
  Status advance(const std::string& notifier, int64_t last_event_id, TimePoint now);
  /// What `notifier` has yet to handle after `after`.
  Result<PendingEvents> pending(const std::string& notifier, int64_t after);
  /// Writes a Repeat event for `notifier` for every active finding passing `filter` that no
  /// event for that notifier mentioned in the last `interval`. Returns how many.
  Result<size_t> enqueueRepeats(const std::string& notifier, const EventFilter& filter,
                                Seconds interval, TimePoint now);
  /// The current alert state, for receivers that want it whole (Alertmanager): every active
  /// finding (kind Firing) and every finding resolved at or after `resolved_since` (kind
  /// Resolved). uid and created_at are not meaningful here.
  Result<std::vector<OutboxEvent>> alertState(TimePoint resolved_since);
  /// The newest events first.
  Result<std::vector<OutboxEvent>> recent(size_t limit);
  /// Every notifier's cursor, by notifier name.
  Result<std::map<std::string, int64_t>> cursors();

 private:
  struct Impl;
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certvigil::storage
