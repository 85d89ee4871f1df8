// SPDX-License-Identifier: Apache-2.0
// storage/history_sql.h: helpers shared by history_reader.cpp and history_queries.cpp: a WHERE
// clause assembled from optional filters with bound values, and the row readers. Internal to
// storage/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "storage/database.h"
#include "storage/history_reader.h"

namespace certvigil::storage::history {

/// SQL ranking of severities, worst highest; `column` is the severity column.
std::string severityRank(std::string_view column);
/// The inverse of the ranking: 2 -> "critical", 1 -> "warning", 0 -> "info", NULL -> "".
std::string severityName(const Statement& row, int column);

/// The order of the active findings list as one ascending key: worst first, then target id,
/// position and id. Its first term is the expression of the index 010_findings_listing, which
/// SQLite uses only for exactly that expression (tests/unit/web/keyset_paging_test.cpp holds it).
extern const std::string kActiveFindingSeverity;
extern const std::string kActiveFindingKey;

/// A conjunction of conditions, each with at most one `?` placeholder and its value. Values are
/// bound in the order the conditions were added, then LIMIT and OFFSET.
class Filter {
 public:
  /// Adds `clause` (with one `?`) when `value` is not empty.
  void addText(std::string clause, const std::string& value);
  /// Adds `clause` with one `?` bound to `value`.
  void addInt(std::string clause, int64_t value);
  /// Adds `clause` without a placeholder.
  void add(std::string clause);
  /// Adds `clause` with one `?` per value, bound in order.
  void addInts(std::string clause, const std::vector<int64_t>& values);

  /// " WHERE a AND b", or "" when there is no condition.
  std::string where() const;
  /// Binds the values, then (when paging) limit and offset after them.
  void bind(Statement& statement) const;
  void bindPaged(Statement& statement, size_t limit, size_t offset) const;

 private:
  std::vector<std::string> clauses_;
  std::vector<std::variant<int64_t, std::string>> values_;
};

/// A keyset cursor's integers ("12.34"): exactly `count` of them, or an Invalid error.
Result<std::vector<int64_t>> parseCursor(std::string_view cursor, size_t count);
/// The cursor of `keys`, or "" when the page (`items` of at most `limit`) was not full.
std::string cursorAfter(size_t items, size_t limit, const std::vector<int64_t>& keys);
/// Ok when the row `id` of `table` exists; an Invalid "cursor" error otherwise.
Status checkCursorRow(Database& db, std::string_view table, int64_t id);

/// An optional Unix time column as a TimePoint.
std::optional<TimePoint> optionalTime(const Statement& row, int column);

/// Runs a `SELECT count(*) ...` bound with `filter`.
Result<size_t> countRows(Database& db, const std::string& sql, const Filter& filter);

/// The columns every PresentedRow query selects, in readPresented's order.
extern const char* const kPresentedColumns;
/// The joins those columns need (observations o, certificates c, targets t, units u).
extern const char* const kPresentedJoins;
/// The same joins for the certificates listing: certificates first, in notAfter order, so that
/// a page walks certificates_not_after and observations_by_certificate from its cursor and
/// stops after `limit` rows instead of sorting every current observation.
extern const char* const kListingJoins;
PresentedRow readPresented(const Statement& row);

/// The columns every ScanSummary query selects, in readScan's order.
extern const char* const kScanColumns;
/// The joins those columns need (scans s, units u).
extern const char* const kScanJoins;
ScanSummary readScan(const Statement& row);

}  // namespace certvigil::storage::history
