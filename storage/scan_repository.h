// SPDX-License-Identifier: Apache-2.0
// storage/scan_repository.h: the `scans` table — one row per run of consecutive scans of a unit
// that found the same thing (migrations/005_scan_runs.sql): a scan that changed nothing extends
// its unit's current run in place instead of adding a row, so the table grows with change, not
// with time.
#pragma once

#include <vector>

#include "core/result.h"
#include "core/snapshot.h"
#include "storage/database.h"
#include "storage/history_rows.h"

namespace certvigil::storage {

class ScanRepository {
 public:
  static Result<ScanRepository> create(Database& db);

  /// Starts a run of unit `unit_row` with `scan`, which listed `targets` targets with
  /// `findings` findings; returns the run's row id.
  Result<int64_t> insert(int64_t unit_row, const UnitScan& scan, size_t targets, size_t findings);
  /// Adds `scan` to run `row` (its newest start, duration and count). False when there is no
  /// such row any more (pruned): the caller starts a new run.
  Result<bool> extend(int64_t row, const UnitScan& scan);
  /// The newest `limit` runs, newest first.
  Result<std::vector<ScanSummary>> recent(size_t limit);
  /// Deletes the runs whose newest scan started before `cutoff`; returns how many.
  Result<size_t> pruneBefore(int64_t cutoff);

 private:
  explicit ScanRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement insert_;
  Statement extend_;
  Statement recent_;
  Statement prune_;
};

}  // namespace certvigil::storage
