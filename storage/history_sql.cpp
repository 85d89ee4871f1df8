// SPDX-License-Identifier: Apache-2.0
// storage/history_sql.cpp: the filter builder and row readers behind HistoryReader.
#include "storage/history_sql.h"

#include <charconv>

#include "storage/codec.h"

namespace certvigil::storage::history {

// The codes and worst severity of the active findings about one presented certificate, as
// certvigil inventory computes them: by target and fingerprint.
const char* const kPresentedColumns =
    "o.target_id, t.name, u.name, t.kind, o.position, o.role, c.fingerprint, c.subject,"
    " c.issuer, c.serial, c.not_before, c.not_after, c.key, c.signature_algorithm, c.is_ca, c.eku,"
    " o.first_seen, COALESCE(o.last_seen, u.last_scan_at, o.first_seen), o.ended_at,"
    " (SELECT group_concat(f.code, ',') FROM findings f WHERE f.target_id = o.target_id"
    "   AND f.fingerprint = c.fingerprint AND f.resolved_at IS NULL),"
    " (SELECT max(CASE f.severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END)"
    "   FROM findings f WHERE f.target_id = o.target_id AND f.fingerprint = c.fingerprint"
    "   AND f.resolved_at IS NULL), c.id";

// CROSS JOIN: SQLite keeps this loop order (it would otherwise scan the observations and sort).
const char* const kListingJoins =
    " FROM certificates c CROSS JOIN observations o ON o.certificate_id = c.id"
    " JOIN targets t ON t.id = o.target_id JOIN units u ON u.id = t.unit_id";

const char* const kPresentedJoins =
    " FROM observations o JOIN certificates c ON c.id = o.certificate_id"
    " JOIN targets t ON t.id = o.target_id JOIN units u ON u.id = t.unit_id";

const char* const kScanColumns =
    "s.id, u.name, s.kind, s.started_at, s.last_started_at, s.scan_count, s.duration_seconds,"
    " s.outcome, s.targets, s.findings";

const char* const kScanJoins = " FROM scans s JOIN units u ON u.id = s.unit_id";

std::string severityRank(std::string_view column) {
  const std::string c(column);
  return "(CASE " + c + " WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END)";
}

const std::string kActiveFindingSeverity = "-" + severityRank("f.severity");
const std::string kActiveFindingKey = kActiveFindingSeverity + ", f.target_id, f.position, f.id";

std::string severityName(const Statement& row, int column) {
  if (row.columnIsNull(column)) return {};
  switch (row.columnInt(column)) {
    case 2:
      return "critical";
    case 1:
      return "warning";
    default:
      return "info";
  }
}

void Filter::addText(std::string clause, const std::string& value) {
  if (value.empty()) return;
  clauses_.push_back(std::move(clause));
  values_.emplace_back(value);
}

void Filter::addInt(std::string clause, int64_t value) {
  clauses_.push_back(std::move(clause));
  values_.emplace_back(value);
}

void Filter::add(std::string clause) { clauses_.push_back(std::move(clause)); }

void Filter::addInts(std::string clause, const std::vector<int64_t>& values) {
  clauses_.push_back(std::move(clause));
  values_.insert(values_.end(), values.begin(), values.end());
}

std::string Filter::where() const {
  std::string sql;
  for (const std::string& clause : clauses_) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += clause;
  }
  return sql;
}

void Filter::bind(Statement& statement) const {
  int index = 1;
  for (const auto& value : values_) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      statement.bind(index++, *number);
    } else {
      statement.bind(index++, std::string_view(std::get<std::string>(value)));
    }
  }
}

void Filter::bindPaged(Statement& statement, size_t limit, size_t offset) const {
  bind(statement);
  const int next = static_cast<int>(values_.size()) + 1;
  statement.bind(next, static_cast<int64_t>(clampLimit(limit)));
  statement.bind(next + 1, static_cast<int64_t>(offset));
}

Result<std::vector<int64_t>> parseCursor(std::string_view cursor, size_t count) {
  std::vector<int64_t> keys;
  bool valid = true;
  while (valid && keys.size() <= count) {
    const size_t dot = cursor.find('.');
    const std::string_view part = cursor.substr(0, dot);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    valid = !part.empty() && error == std::errc() && end == part.data() + part.size();
    keys.push_back(value);
    if (dot == std::string_view::npos) break;
    cursor.remove_prefix(dot + 1);
  }
  if (!valid || keys.size() != count) {
    return makeError(ErrorCode::Invalid, "after: not a cursor of this list (use its `next`)");
  }
  return keys;
}

std::string cursorAfter(size_t items, size_t limit, const std::vector<int64_t>& keys) {
  if (items == 0 || items < clampLimit(limit)) return {};
  std::string cursor;
  for (int64_t key : keys) {
    if (!cursor.empty()) cursor += '.';
    cursor += std::to_string(key);
  }
  return cursor;
}

Status checkCursorRow(Database& db, std::string_view table, int64_t id) {
  auto statement = db.prepare("SELECT 1 FROM " + std::string(table) + " WHERE id = ?");
  if (!statement) return statement.error();
  statement->bind(1, id);
  ScopedReset reset(*statement);
  auto row = statement->step();
  if (!row) return row.error();
  if (*row) return Ok{};
  return makeError(ErrorCode::Invalid, "after: the cursor's row is gone (pruned); start again");
}

std::optional<TimePoint> optionalTime(const Statement& row, int column) {
  if (row.columnIsNull(column)) return std::nullopt;
  return fromUnix(row.columnInt(column));
}

Result<size_t> countRows(Database& db, const std::string& sql, const Filter& filter) {
  auto statement = db.prepare(sql);
  if (!statement) return statement.error();
  filter.bind(*statement);
  ScopedReset reset(*statement);
  auto row = statement->step();
  if (!row) return row.error();
  return *row ? static_cast<size_t>(statement->columnInt(0)) : size_t{0};
}

namespace {

std::vector<std::string> splitCodes(std::string_view text) {
  std::vector<std::string> codes;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    codes.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return codes;
}

}  // namespace

PresentedRow readPresented(const Statement& row) {
  PresentedRow out;
  out.target_id = row.columnInt(0);
  out.target = row.columnString(1);
  out.unit = row.columnString(2);
  out.kind = targetKindOrFile(row.columnText(3));
  out.position = static_cast<int>(row.columnInt(4));
  out.role = row.columnString(5);
  CertificateInfo& c = out.certificate;
  c.fingerprint = row.columnString(6);
  c.subject = row.columnString(7);
  c.issuer = row.columnString(8);
  c.serial = row.columnString(9);
  c.not_before = fromUnix(row.columnInt(10));
  c.not_after = fromUnix(row.columnInt(11));
  c.key = row.columnString(12);
  c.signature_algorithm = row.columnString(13);
  c.is_ca = row.columnInt(14) != 0;
  c.eku = row.columnString(15);
  out.first_seen = fromUnix(row.columnInt(16));
  out.last_seen = fromUnix(row.columnInt(17));
  out.ended_at = optionalTime(row, 18);
  out.finding_codes = splitCodes(row.columnText(19));
  out.worst_severity = severityName(row, 20);
  out.certificate_id = row.columnInt(21);
  return out;
}

ScanSummary readScan(const Statement& row) {
  ScanSummary out;
  out.id = row.columnInt(0);
  out.unit = row.columnString(1);
  out.kind = targetKindOrFile(row.columnText(2));
  out.started_at = fromUnix(row.columnInt(3));
  out.last_started_at = fromUnix(row.columnInt(4));
  out.count = static_cast<size_t>(row.columnInt(5));
  out.duration_seconds = row.columnDouble(6);
  out.outcome = row.columnString(7);
  out.targets = static_cast<size_t>(row.columnInt(8));
  out.findings = static_cast<size_t>(row.columnInt(9));
  return out;
}

}  // namespace certvigil::storage::history
