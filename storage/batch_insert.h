// SPDX-License-Identifier: Apache-2.0
// storage/batch_insert.h: one INSERT written many rows per statement. SQLite's cost of running
// a statement (opening cursors on the table and each index, seeking from their roots, firing
// the statement's bookkeeping) dominates a one-row insert: recording the first scan of 100,000
// files (a target and an observation each) took ~1.1 s one row per statement and ~0.45 s at
// 128 rows per statement (measured with this schema on the project VM). A count that is not a
// multiple of 128 is written in power-of-two pieces, so at most 8 statements are prepared.
// Each is prepared when first needed, and the large ones (16 rows and more) are let go after a
// recording (releaseLarge): the 128-row statement of a 12-column table alone holds ~150 KB, and
// the three tables' large statements ~0.9 MB, which a daemon watching a few endpoints never
// needs and one watching thousands needs for a moment per sweep.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "storage/database.h"

namespace certvigil::storage {

class BatchInsert {
 public:
  /// Rows per statement at most.
  static constexpr size_t kMaxRows = 128;

  BatchInsert() = default;

  /// `head`: "INSERT INTO t (a, b, c) VALUES" (the rows' placeholders are appended);
  /// `columns`: values per row. Prepares the one-row statement (so that an error shows now);
  /// `db` must outlive the result.
  static Result<BatchInsert> prepare(Database& db, std::string_view head, int columns);

  /// Finalizes the statements of kKeptRows rows and more; insert() prepares them again.
  void releaseLarge();

  /// Writes `rows` rows. `bind(statement, first, row)` binds the columns of row number `row`
  /// (0-based) to parameters first, first + 1, ...; bound text must live until insert returns.
  template <typename Bind>
  Status insert(size_t rows, Bind&& bind) {
    size_t done = 0;
    for (size_t k = kSizes; k-- > 0;) {
      const size_t size = size_t{1} << k;
      while (rows - done >= size) {
        auto prepared = statementFor(k);
        if (!prepared) return prepared.error();
        Statement& statement = **prepared;
        for (size_t r = 0; r < size; ++r) bind(statement, parameter(r), done + r);
        if (auto status = statement.run(); !status) return status;
        done += size;
      }
    }
    return Ok{};
  }

 private:
  static constexpr size_t kSizes = 8;  // 1, 2, 4, ..., kMaxRows rows
  static_assert(size_t{1} << (kSizes - 1) == kMaxRows);
  static constexpr size_t kKeptSizes = 4;  // 1, 2, 4 and 8 rows stay prepared

  int parameter(size_t row) const { return static_cast<int>(row) * columns_ + 1; }
  /// The statement of 2^k rows, prepared now if it is not.
  Result<Statement*> statementFor(size_t k);

  Database* db_ = nullptr;
  std::string head_;
  std::array<std::optional<Statement>, kSizes> statements_;
  int columns_ = 0;
};

}  // namespace certvigil::storage
