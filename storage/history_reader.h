// SPDX-License-Identifier: Apache-2.0
// storage/history_reader.h: read-only queries over the state database for the JSON API and the
// status page: targets, the certificates each currently presents, findings (active and
// resolved), scans, what a target presented over time, and alert events.
//
// It owns its own read-only connection (WAL lets it read while the scheduler writes), so HTTP
// worker threads never touch the scheduler's StateStore. One connection, guarded by a mutex:
// queries are short and bounded by `limit`, and one connection keeps the file-descriptor and
// page-cache cost flat however many workers the listener runs. Each call reads one snapshot
// of the database (one read transaction), so a response never mixes two scans.
//
// Times are Unix seconds in the database and TimePoint here. A current row's "last seen" is
// its unit's last scan (see 001_initial.sql), resolved here so callers never need to know.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/target.h"
#include "core/time.h"
#include "storage/history_rows.h"

namespace certvigil::storage {

class Database;

/// At most this many rows per query, whatever a caller asks for.
inline constexpr size_t kHistoryMaxLimit = 10000;

/// One page of a longer result: `items` from `offset` (after the cursor `after`, when given),
/// how many match in all, and the cursor to ask for the page after this one.
template <typename T>
struct Page {
  std::vector<T> items;
  size_t total = 0;
  /// Pass as `after` for the next page (keyset paging: as fast at any depth as the first page);
  /// "" when this page is the last.
  std::string next;
};

/// A file or endpoint a unit expanded to, present or gone.
struct TargetSummary {
  int64_t id = 0;
  std::string unit;
  std::string name;
  TargetKind kind = TargetKind::File;
  TimePoint first_seen{};
  std::optional<TimePoint> last_seen;  ///< last scan that saw it; empty before the first
  std::optional<TimePoint> gone_at;    ///< set once it disappeared from its unit
  size_t certificates = 0;             ///< presented now
  size_t active_findings = 0;
  std::string worst_severity;                  ///< of the active findings, "" when none
  std::optional<TimePoint> soonest_not_after;  ///< among the certificates presented now
  std::string origin;  ///< discovered: "file:line" of the server directive naming it; else ""
  std::string source;  ///< discovered: "discover:nginx"; else ""
};

/// The stored facts of one certificate.
struct CertificateInfo {
  std::string fingerprint;  ///< lowercase hex SHA-256 of the DER
  std::string subject;
  std::string issuer;
  std::string serial;
  TimePoint not_before{};
  TimePoint not_after{};
  std::string key;  ///< "RSA-2048", "EC-256"
  std::string signature_algorithm;
  bool is_ca = false;
  std::string eku;  ///< "serverAuth,clientAuth" or ""
};

/// A certificate presented at a position of a target: now (`ended_at` empty) or in the past.
struct PresentedRow {
  int64_t target_id = 0;
  std::string target;
  std::string unit;
  TargetKind kind = TargetKind::File;
  int position = 0;
  std::string role;
  CertificateInfo certificate;
  int64_t certificate_id = 0;  ///< its row, the tie-break of the certificates list
  TimePoint first_seen{};      ///< first presented there
  TimePoint last_seen{};
  std::optional<TimePoint> ended_at;
  std::vector<std::string> finding_codes;  ///< active findings about it at this target
  std::string worst_severity;              ///< of those, "" when none
};

/// A finding interval.
struct FindingRow {
  int64_t id = 0;
  int64_t target_id = 0;
  std::string target;
  std::string unit;
  std::string code;
  std::string severity;
  std::string fingerprint;  ///< "" when it concerns no certificate
  int position = -1;
  std::string message;
  std::string remedy;
  std::string cause;  ///< client_cert_rejected only
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::optional<TimePoint> resolved_at;  ///< empty while active
};

/// Filters of the list queries; empty strings match everything.
struct TargetQuery {
  std::string name;  ///< substring of the target name
  std::string kind;  ///< "endpoint" | "file" | "bundle"
  bool include_gone = false;
  size_t limit = 1000;
  size_t offset = 0;
  std::string after;  ///< a Page::next of the same query: the page after it
};

struct CertificateQuery {
  std::string target;                         ///< substring of the target name
  std::string role;                           ///< exact role ("server", "client", "ca", "any")
  std::string code;                           ///< has this active finding code
  std::string severity;                       ///< worst active severity is exactly this
  std::optional<TimePoint> not_after_from;    ///< notAfter at or after this
  std::optional<TimePoint> not_after_before;  ///< notAfter before this
  size_t limit = 1000;
  size_t offset = 0;
  std::string after;  ///< a Page::next of the same query: the page after it
};

struct FindingQuery {
  std::optional<bool> active = true;  ///< true: active only; false: resolved only; empty: both
  std::optional<int64_t> target_id;
  std::string target;  ///< substring of the target name
  std::string code;
  std::string severity;
  size_t limit = 1000;
  size_t offset = 0;
  std::string after;  ///< a Page::next of the same query: the page after it
};

/// The list queries page by `offset` (which costs the rows skipped) or by cursor: `after` is
/// the `next` of the previous page, and the query seeks straight past that row (keyset paging).
/// A malformed cursor, or one whose row has been pruned since, is an Invalid error.
class HistoryReader {
 public:
  /// Opens an existing database read-only. The daemon opens its StateStore first (which creates
  /// and migrates the file), then this. The schema must be exactly the one this build writes.
  static Result<std::unique_ptr<HistoryReader>> open(const std::filesystem::path& path);
  ~HistoryReader();
  HistoryReader(const HistoryReader&) = delete;
  HistoryReader& operator=(const HistoryReader&) = delete;

  /// Targets by name (present first unless include_gone).
  Result<Page<TargetSummary>> targets(const TargetQuery& query) const;
  /// One target by id.
  Result<std::optional<TargetSummary>> target(int64_t id) const;
  /// Targets with this exact name (one per unit that lists it), present first.
  Result<std::vector<TargetSummary>> targetsNamed(const std::string& name) const;
  /// Certificates presented now, soonest notAfter first.
  Result<Page<PresentedRow>> certificates(const CertificateQuery& query) const;
  /// What one target presents now, by position (its chain as presented).
  Result<std::vector<PresentedRow>> chainOf(int64_t target_id) const;
  /// What one target presented over time: every interval, newest first, at most `limit`.
  Result<std::vector<PresentedRow>> servedHistory(int64_t target_id, size_t limit) const;
  /// Findings: active first, worst first, most recently resolved first, then by target id and
  /// position. The active list (the default) walks an index in that order (010_findings_listing).
  Result<Page<FindingRow>> findings(const FindingQuery& query) const;
  /// Runs of scans, newest first, optionally of one unit; `after`: a Page::next.
  Result<Page<ScanSummary>> scans(const std::string& unit, size_t limit, size_t offset,
                                  const std::string& after = {}) const;
  /// Always true: open() accepts only a database at this build's schema, which has the outbox.
  Result<bool> hasEvents() const;
  /// Alert events newest first, with id > after_id when given, each with its delivery state per
  /// notifier: the read model of `certvigil events` and /api/v1/events alike.
  Result<std::vector<EventRow>> events(size_t limit, std::optional<int64_t> after_id) const;

 private:
  explicit HistoryReader(std::unique_ptr<Database> db);

  mutable std::mutex mutex_;
  std::unique_ptr<Database> db_;
};

/// A limit clamped to 1..kHistoryMaxLimit.
size_t clampLimit(size_t limit);

}  // namespace certvigil::storage
