// SPDX-License-Identifier: Apache-2.0
// storage/scan_repository.h: the `scans` table — one row per recorded scan of a unit.
#pragma once

#include <vector>

#include "core/result.h"
#include "core/snapshot.h"
#include "storage/database.h"
#include "storage/state_store.h"

namespace certvigil::storage {

class ScanRepository {
 public:
  static Result<ScanRepository> create(Database& db);

  /// Records a scan of unit `unit_row` that listed `targets` targets with `findings` findings.
  Status insert(int64_t unit_row, const UnitScan& scan, size_t targets, size_t findings);
  /// The newest `limit` scans, newest first.
  Result<std::vector<ScanSummary>> recent(size_t limit);
  /// Deletes scans that started before `cutoff`; returns how many.
  Result<size_t> pruneBefore(int64_t cutoff);

 private:
  explicit ScanRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement insert_;
  Statement recent_;
  Statement prune_;
};

}  // namespace certvigil::storage
