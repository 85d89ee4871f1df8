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
  batch.db_ = &db;
  batch.head_ = head;
  batch.columns_ = columns;
  if (auto first = batch.statementFor(0); !first) return first.error();
  return batch;
}

Result<Statement*> BatchInsert::statementFor(size_t k) {
  std::optional<Statement>& slot = statements_[k];
  if (!slot) {
    auto statement = db_->prepare(head_ + placeholders(size_t{1} << k, columns_));
    if (!statement) return statement.error();
    slot.emplace(std::move(*statement));
  }
  return &*slot;
}

void BatchInsert::releaseLarge() {
  for (size_t k = kKeptSizes; k < kSizes; ++k) statements_[k].reset();
}

}  // namespace certvigil::storage
