// SPDX-License-Identifier: Apache-2.0
// storage/state_store.h: certvigil's SQLite database (WAL, synchronous=FULL, migrations via
// PRAGMA user_version). The only module that talks SQL. One transaction per scan, or per batch
// of scans (a sweep of endpoints: one fsync, not one per endpoint); a scan that changed nothing
// writes a handful of rows, not one per certificate.
//
// How history is kept: targets, observations (a certificate at a position of a target) and
// findings are intervals. A row is current while its gone_at / ended_at / resolved_at is NULL;
// its last_seen is then its unit's last scan (kept once per unit, which is what makes an
// unchanged rescan O(1) in writes) and is written into the row when the interval closes. A
// finding is identified by Finding::key() per target: a change of severity, message, remedy or
// cause updates the active row; a finding that resolves and later returns starts a new row. A
// target that returns reuses its row (first_seen kept, gone_at cleared).
//
// Target names are unique per unit, not globally: one file listed by a `files` glob and by a
// `bundles` entry is two targets, judged separately, and neither scan disturbs the other.
//
// Threading: one StateStore is used by one thread at a time (the scheduler's); readers in other
// processes (`certvigil inventory`) are fine, WAL lets them read while a scan writes. Only one
// process may write: the diff state in memory assumes nobody else changes the database.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/snapshot.h"
#include "storage/history_rows.h"
#include "storage/stored_ari.h"
#include "storage/stored_crl.h"

namespace certvigil::storage {

/// A finding as stored (active or resolved).
struct StoredFinding {
  std::string target;
  std::string unit;  ///< the configured entry that lists the target
  Finding finding;
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::optional<TimePoint> resolved_at;
};

/// One row of `certvigil inventory`: a certificate currently seen at a target.
struct InventoryRow {
  std::string target;
  std::string unit;  ///< the configured entry that lists the target
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

class StateStore {
 public:
  /// Opens (creating if needed) the database, applies pending migrations, sets WAL and
  /// synchronous=FULL, and loads the current state into memory for diffing. Errors: the
  /// parent directory is missing (NotFound), the file is not a certvigil database (Database),
  /// its schema is newer than this build (Unsupported).
  static Result<std::unique_ptr<StateStore>> open(const std::filesystem::path& path);
  /// Opens an existing database only to read it (`certvigil inventory`, or any process other
  /// than the daemon; safe while the daemon writes): no migration, no state loaded, and the
  /// writing methods return an Error. The schema must be exactly the one this build writes.
  static Result<std::unique_ptr<StateStore>> openReadOnly(const std::filesystem::path& path);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// Records one scan of `scan.unit` in one transaction: the scan row, new certificates (DER
  /// kept, deduplicated by fingerprint), targets, observation intervals (first/last seen),
  /// findings (first seen, last seen, resolved). `results` is the unit's complete set: targets
  /// of this unit missing from it are gone (their observations end, their findings resolve).
  /// Everything is timestamped with scan.started_at. A target listed twice counts once (the
  /// first). On error nothing is written and the in-memory state is reloaded.
  Status recordScan(const UnitScan& scan, const std::vector<TargetResultPtr>& results);
  /// One scan of a batch given to recordScans.
  struct ScanToRecord {
    const UnitScan* scan = nullptr;
    const std::vector<TargetResultPtr>* results = nullptr;
  };
  /// Records many scans as recordScan does, in one transaction: a sweep of N endpoints costs
  /// one commit (one fsync), not N. If the batch fails, each scan is retried in its own
  /// transaction, so that one unit's failure loses no other unit's scan. Returns the first
  /// error, after trying them all.
  Status recordScans(const std::vector<ScanToRecord>& scans);

  /// Active (unresolved) findings of every target, worst first, then by target.
  Result<std::vector<StoredFinding>> activeFindings() const;
  /// Certificates currently seen, per target and position.
  Result<std::vector<InventoryRow>> inventory() const;
  /// The most recent scans, newest first.
  Result<std::vector<ScanSummary>> recentScans(size_t limit) const;
  /// Deletes scans that started before `cutoff`, observations and resolved findings that
  /// ended before it, targets gone before it (with their history), and certificates no
  /// observation refers to any more. Returns the number of scans deleted.
  Result<size_t> pruneBefore(TimePoint cutoff);
  /// PRAGMA integrity_check == "ok" and PRAGMA foreign_key_check finds nothing.
  Status integrityCheck() const;
  /// The schema version (PRAGMA user_version).
  int schemaVersion() const;

  /// Marks every present target of each unit that is not in `configured` gone at `at` (its
  /// observations end, its findings resolve): for units removed from the configuration, which
  /// will never be scanned again. Returns the number of units retired.
  Result<size_t> retireUnitsExcept(const std::vector<std::string>& configured, TimePoint at);
  /// The CRLs fetched from distribution points and kept (revocation/), by URL.
  Result<std::vector<StoredCrl>> storedCrls() const;
  /// Keeps fetched CRLs (inserted or replaced by URL), in one transaction.
  Status saveCrls(const std::vector<StoredCrl>& crls);
  /// The renewal information asked of ACME CAs and kept (revocation/ari_cache.h).
  Result<std::vector<StoredAri>> storedAri() const;
  /// Keeps renewal information (inserted or replaced by directory and identifier).
  Status saveAri(const std::vector<StoredAri>& answers);
  /// Deletes renewal information last asked for before `cutoff`; returns how many rows.
  Result<size_t> pruneAri(TimePoint cutoff);
  /// Rows inserted, updated or deleted through this store since it was opened (a health
  /// signal, and how tests check that an unchanged rescan writes O(1) rows).
  int64_t rowsWritten() const;

 private:
  struct Impl;
  explicit StateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certvigil::storage
