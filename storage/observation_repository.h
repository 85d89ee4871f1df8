// SPDX-License-Identifier: Apache-2.0
// storage/observation_repository.h: the `observations` table — intervals during which a
// certificate was presented at a position of a target — and the inventory built from it.
#pragma once

#include <vector>

#include "core/result.h"
#include "core/target.h"
#include "storage/batch_insert.h"
#include "storage/database.h"
#include "storage/state_cache.h"
#include "storage/state_store.h"

namespace certvigil::storage {

class ObservationRepository {
 public:
  static Result<ObservationRepository> create(Database& db);

  /// Adds every current observation to its target in the cache.
  Status load(FingerprintPool& pool, const LoadIndex& index);
  /// A certificate newly seen at a position; returns the row id.
  Result<int64_t> insert(int64_t target_row, int64_t certificate_row, int position,
                         ResolvedRole role, int64_t first_seen);
  /// A certificate newly seen at a position, with the row id the caller chose (counted by
  /// ScanRecorder's queue).
  struct NewObservation {
    int64_t row = 0;
    int64_t target_row = 0;
    int64_t certificate_row = 0;
    int position = 0;
    ResolvedRole role = ResolvedRole::Any;
    int64_t first_seen = 0;
  };
  /// Inserts new observations, many rows per statement.
  Status insertMany(const std::vector<NewObservation>& observations);
  /// Lets go of insertMany's large statements until it needs them again.
  void releaseBatchStatements() { insert_many_.releaseLarge(); }
  /// Same certificate, same position, judged fit for another role.
  Status updateRole(int64_t row, ResolvedRole role);
  /// No longer presented at `ended_at`; last presented at `last_seen`.
  Status end(int64_t row, int64_t ended_at, int64_t last_seen);
  /// Deletes observations that ended before `cutoff`; returns how many.
  Result<size_t> pruneEnded(int64_t cutoff);
  /// Current observations with their certificate and active findings, by target and position.
  Result<std::vector<InventoryRow>> inventory();

 private:
  explicit ObservationRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement load_;
  Statement insert_;
  BatchInsert insert_many_;
  Statement role_;
  Statement end_;
  Statement prune_;
  Statement inventory_;
};

}  // namespace certvigil::storage
