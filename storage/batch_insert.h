// SPDX-License-Identifier: Apache-2.0
// storage/batch_insert.h: one INSERT written many rows per statement. SQLite's cost of running
// a statement (opening cursors on the table and each index, seeking from their roots, firing
// the statement's bookkeeping) dominates a one-row insert: recording the first scan of 100,000
// files (a target and an observation each) took ~1.1 s one row per statement and ~0.45 s at
// 128 rows per statement (measured with this schema on the project VM). A count that is not a
// multiple of 128 is written in power-of-two pieces, so at most 8 statements are prepared.
#pragma once

#include <array>
#include <cstddef>
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
  /// `columns`: values per row.
  static Result<BatchInsert> prepare(Database& db, std::string_view head, int columns);

  /// Writes `rows` rows. `bind(statement, first, row)` binds the columns of row number `row`
  /// (0-based) to parameters first, first + 1, ...; bound text must live until insert returns.
  template <typename Bind>
  Status insert(size_t rows, Bind&& bind) {
    size_t done = 0;
    for (size_t k = kSizes; k-- > 0;) {
      const size_t size = size_t{1} << k;
      while (rows - done >= size) {
        Statement& statement = statements_[k];
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

  int parameter(size_t row) const { return static_cast<int>(row) * columns_ + 1; }

  std::array<Statement, kSizes> statements_;
  int columns_ = 0;
};

}  // namespace certvigil::storage
