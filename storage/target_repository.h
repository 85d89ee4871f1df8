// SPDX-License-Identifier: Apache-2.0
// storage/target_repository.h: the `targets` table — the files and endpoints units expand to,
// with when each was first seen and when it went away.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/target.h"
#include "storage/batch_insert.h"
#include "storage/database.h"
#include "storage/state_cache.h"

namespace certvigil::storage {

class TargetRepository {
 public:
  static Result<TargetRepository> create(Database& db);

  /// Adds every target (present or gone) to its unit in the cache, and to `index`.
  Status load(LoadIndex& index);
  /// A target seen for the first time; returns its row id.
  Result<int64_t> insert(int64_t unit_row, std::string_view name, TargetKind kind,
                         int64_t first_seen);
  /// A target seen for the first time, with the row id the caller chose (ScanRecorder's
  /// queue counts them from the table's largest).
  struct NewTarget {
    int64_t row = 0;
    int64_t unit_row = 0;
    std::string_view name;  ///< must live until insertMany returns
    TargetKind kind = TargetKind::File;
    int64_t first_seen = 0;
  };
  /// Inserts new targets, many rows per statement (a first scan of 10^5 files).
  Status insertMany(const std::vector<NewTarget>& targets);
  /// Lets go of insertMany's large statements until it needs them again.
  void releaseBatchStatements() { insert_many_.releaseLarge(); }
  /// Present again (or its kind changed): gone_at and last_seen back to NULL.
  Status markPresent(int64_t row, TargetKind kind);
  /// Where the target was found (file:line) and its source label; both empty: none.
  Status setOrigin(int64_t row, std::string_view origin, std::string_view source);
  /// No longer listed by its unit at `gone_at`; it was last seen at `last_seen`.
  Status markGone(int64_t row, int64_t gone_at, int64_t last_seen);
  /// Deletes targets gone before `cutoff` (their observations and findings go with them) and
  /// returns (unit row, name) of each.
  Result<std::vector<std::pair<int64_t, std::string>>> pruneGone(int64_t cutoff);

 private:
  explicit TargetRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement load_;
  Statement insert_;
  BatchInsert insert_many_;
  Statement present_;
  Statement gone_;
  Statement prune_;
  Statement set_origin_;
  Statement clear_origin_;
};

/// A digest of a target's origin and source for the state cache; 0 when both are empty.
uint64_t originDigest(std::string_view origin, std::string_view source);

}  // namespace certvigil::storage
