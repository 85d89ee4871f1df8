// SPDX-License-Identifier: Apache-2.0
#include "storage/batch_insert.h"

namespace certvigil::storage {
namespace {

// " (?, ?, ?), (?, ?, ?)" for 2 rows of 3 columns.
std::string placeholders(size_t rows, int columns) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
  row += ")";
  std::string out;
  out.reserve(rows * (row.size() + 2));
  for (size_t r = 0; r < rows; ++r) {
    out += r == 0 ? " " : ", ";
    out += row;
  }
  return out;
}

}  // namespace

Result<BatchInsert> BatchInsert::prepare(Database& db, std::string_view head, int columns) {
  BatchInsert batch;
  batch.columns_ = columns;
  for (size_t k = 0; k < kSizes; ++k) {
    auto statement = db.prepare(std::string(head) + placeholders(size_t{1} << k, columns));
    if (!statement) return statement.error();
    batch.statements_[k] = std::move(*statement);
  }
  return batch;
}

}  // namespace certvigil::storage
