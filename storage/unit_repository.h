// SPDX-License-Identifier: Apache-2.0
// storage/unit_repository.h: the `units` table — one row per configured entry, carrying the
// time of its last scan, which is the "last seen" of everything currently seen through it.
#pragma once

#include <string_view>

#include "core/result.h"
#include "core/target.h"
#include "storage/database.h"
#include "storage/state_cache.h"

namespace certvigil::storage {

class UnitRepository {
 public:
  static Result<UnitRepository> create(Database& db);

  /// Adds every unit to `cache` and to `index`.
  Status load(StateCache& cache, LoadIndex& index);
  /// A new unit; returns its row id.
  Result<int64_t> insert(std::string_view name, TargetKind kind);
  /// Records a scan of the unit (its new last_scan_at, and its kind in case the config changed).
  Status touch(int64_t row, int64_t scanned_at, TargetKind kind);

 private:
  explicit UnitRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement load_;
  Statement insert_;
  Statement touch_;
};

}  // namespace certvigil::storage
