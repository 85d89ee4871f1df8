// SPDX-License-Identifier: Apache-2.0
// storage/finding_repository.h: the `findings` table — intervals during which a finding was
// active at a target. Identity is Finding::key() (code, fingerprint, position) per target; a
// severity, message, remedy or cause change updates the active row in place; a finding that
// resolves and later comes back starts a new row.
#pragma once

#include <vector>

#include "core/finding.h"
#include "core/result.h"
#include "storage/batch_insert.h"
#include "storage/database.h"
#include "storage/state_cache.h"
#include "storage/state_store.h"

namespace certvigil::storage {

class FindingRepository {
 public:
  static Result<FindingRepository> create(Database& db);

  /// Adds every active finding to its target in the cache.
  Status load(FingerprintPool& pool, const LoadIndex& index);
  /// A finding that became active at `first_seen`, under the row id it is given.
  struct NewFinding {
    int64_t row = 0;
    int64_t target_row = 0;
    const Finding* finding = nullptr;  ///< lives until insertMany returns
    int64_t first_seen = 0;
  };
  /// Inserts new findings, many rows per statement.
  Status insertMany(const std::vector<NewFinding>& findings);
  /// Lets go of insertMany's large statements until it needs them again.
  void releaseBatchStatements() { insert_many_.releaseLarge(); }
  /// New severity, message, remedy and cause of an active finding.
  Status update(int64_t row, const Finding& finding);
  /// No longer reported at `resolved_at`; last reported at `last_seen`.
  Status resolve(int64_t row, int64_t resolved_at, int64_t last_seen);
  /// Deletes findings resolved before `cutoff`; returns how many.
  Result<size_t> pruneResolved(int64_t cutoff);
  /// Every active finding, worst first, then by target. Rows whose code this build does not
  /// know (written by another version) are left out.
  Result<std::vector<StoredFinding>> active();

 private:
  explicit FindingRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement load_;
  BatchInsert insert_many_;
  Statement update_;
  Statement resolve_;
  Statement prune_;
  Statement active_;
};

}  // namespace certvigil::storage
