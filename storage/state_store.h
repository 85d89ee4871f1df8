// storage/state_store.h: certvigil's SQLite database (WAL, synchronous=FULL, migrations via
// PRAGMA user_version). The only module that talks SQL. One transaction per scan; a scan that
// changed nothing writes a handful of rows, not one per certificate.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/snapshot.h"

namespace certvigil::storage {

/// A finding as stored (active or resolved).
struct StoredFinding {
  std::string target;
  Finding finding;
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::optional<TimePoint> resolved_at;
};

/// One row of `certvigil inventory`: a certificate currently seen at a target.
struct InventoryRow {
  std::string target;
  TargetKind kind = TargetKind::File;
  int position = 0;
  std::string role;
  std::string fingerprint;
  std::string subject;
  std::string issuer;
  std::string serial;
  TimePoint not_before{};
  TimePoint not_after{};
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::vector<std::string> finding_codes;  ///< active findings on this certificate at this target
  std::string worst_severity;              ///< "" when none
};

/// A past scan.
struct ScanRow {
  int64_t id = 0;
  std::string unit;
  TargetKind kind = TargetKind::File;
  TimePoint started_at{};
  double duration_seconds = 0;
  std::string outcome;  ///< "ok" | "failed"
  size_t targets = 0;
  size_t findings = 0;
};

class StateStore {
 public:
  /// Opens (creating if needed) the database, applies pending migrations, sets WAL and
  /// synchronous=FULL, and loads the current state into memory for diffing.
  static Result<std::unique_ptr<StateStore>> open(const std::filesystem::path& path);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// Records one scan of `scan.unit` in one transaction: the scan row, new certificates (DER
  /// kept, deduplicated by fingerprint), targets, observation intervals (first/last seen),
  /// findings (first seen, last seen, resolved). `results` is the unit's complete set: targets
  /// of this unit missing from it are gone (their observations end, their findings resolve).
  Status recordScan(const UnitScan& scan, const std::vector<TargetResultPtr>& results);

  /// Active (unresolved) findings of every target.
  Result<std::vector<StoredFinding>> activeFindings() const;
  /// Certificates currently seen, per target and position.
  Result<std::vector<InventoryRow>> inventory() const;
  /// The most recent scans, newest first.
  Result<std::vector<ScanRow>> recentScans(size_t limit) const;
  /// Deletes scans that started before `cutoff`, and observations and resolved findings that
  /// ended before it. Returns the number of scans deleted.
  Result<size_t> pruneBefore(TimePoint cutoff);
  /// PRAGMA integrity_check == "ok".
  Status integrityCheck() const;
  /// The schema version (PRAGMA user_version).
  int schemaVersion() const;

 private:
  struct Impl;
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certvigil::storage
