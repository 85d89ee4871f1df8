// SPDX-License-Identifier: Apache-2.0
// storage/history_queries.cpp: certificates presented now and over time, and findings.
#include "storage/database.h"
#include "storage/history_reader.h"
#include "storage/history_sql.h"

namespace certvigil::storage {

using history::Filter;

namespace {

const std::string kWorstOfCertificate =
    "(SELECT max(" + history::severityRank("f.severity") +
    ") FROM findings f WHERE f.target_id = o.target_id AND f.fingerprint = c.fingerprint"
    " AND f.resolved_at IS NULL)";

Filter certificateFilter(const CertificateQuery& query) {
  Filter filter;
  filter.add("o.ended_at IS NULL");
  filter.addText("instr(t.name, ?) > 0", query.target);
  filter.addText("o.role = ?", query.role);
  filter.addText(
      "EXISTS (SELECT 1 FROM findings f WHERE f.target_id = o.target_id"
      " AND f.fingerprint = c.fingerprint AND f.resolved_at IS NULL AND f.code = ?)",
      query.code);
  filter.addText(kWorstOfCertificate + " = " + history::severityRank("?"), query.severity);
  if (query.not_after_from) filter.addInt("c.not_after >= ?", toUnix(*query.not_after_from));
  if (query.not_after_before) filter.addInt("c.not_after < ?", toUnix(*query.not_after_before));
  return filter;
}

Result<std::vector<PresentedRow>> queryPresented(Database& db, const std::string& sql,
                                                 const Filter& filter, size_t limit,
                                                 size_t offset) {
  auto statement = db.prepare(sql);
  if (!statement) return statement.error();
  filter.bindPaged(*statement, limit, offset);
  std::vector<PresentedRow> rows;
  auto status = forEachRow(
      *statement, [&rows](const Statement& row) { rows.push_back(history::readPresented(row)); });
  if (!status) return status.error();
  return rows;
}

Filter findingFilter(const FindingQuery& query) {
  Filter filter;
  if (query.active)
    filter.add(*query.active ? "f.resolved_at IS NULL" : "f.resolved_at IS NOT NULL");
  if (query.target_id) filter.addInt("f.target_id = ?", *query.target_id);
  filter.addText("instr(t.name, ?) > 0", query.target);
  filter.addText("f.code = ?", query.code);
  filter.addText("f.severity = ?", query.severity);
  return filter;
}

FindingRow readFinding(const Statement& row) {
  FindingRow f;
  f.id = row.columnInt(0);
  f.target_id = row.columnInt(1);
  f.target = row.columnString(2);
  f.unit = row.columnString(3);
  f.code = row.columnString(4);
  f.severity = row.columnString(5);
  f.fingerprint = row.columnString(6);
  f.position = static_cast<int>(row.columnInt(7));
  f.message = row.columnString(8);
  f.remedy = row.columnString(9);
  f.cause = row.columnString(10);
  f.first_seen = fromUnix(row.columnInt(11));
  f.last_seen = fromUnix(row.columnInt(12));
  f.resolved_at = history::optionalTime(row, 13);
  return f;
}

}  // namespace

Result<Page<PresentedRow>> HistoryReader::certificates(const CertificateQuery& query) const {
  const Filter filter = certificateFilter(query);
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(
      *db_, std::string("SELECT count(*)") + history::kPresentedJoins + filter.where(), filter);
  if (!total) return total.error();
  auto rows = queryPresented(*db_,
                             std::string("SELECT ") + history::kPresentedColumns +
                                 history::kPresentedJoins + filter.where() +
                                 " ORDER BY c.not_after, t.name, o.position LIMIT ? OFFSET ?",
                             filter, query.limit, query.offset);
  if (!rows) return rows.error();
  return Page<PresentedRow>{std::move(*rows), *total};
}

Result<std::vector<PresentedRow>> HistoryReader::chainOf(int64_t target_id) const {
  Filter filter;
  filter.add("o.ended_at IS NULL");
  filter.addInt("o.target_id = ?", target_id);
  std::lock_guard lock(mutex_);
  return queryPresented(*db_,
                        std::string("SELECT ") + history::kPresentedColumns +
                            history::kPresentedJoins + filter.where() +
                            " ORDER BY o.position, o.id LIMIT ? OFFSET ?",
                        filter, kHistoryMaxLimit, 0);
}

Result<std::vector<PresentedRow>> HistoryReader::servedHistory(int64_t target_id,
                                                               size_t limit) const {
  Filter filter;
  filter.addInt("o.target_id = ?", target_id);
  std::lock_guard lock(mutex_);
  return queryPresented(*db_,
                        std::string("SELECT ") + history::kPresentedColumns +
                            history::kPresentedJoins + filter.where() +
                            " ORDER BY (o.ended_at IS NULL) DESC, COALESCE(o.ended_at, 0) DESC,"
                            " o.first_seen DESC, o.position LIMIT ? OFFSET ?",
                        filter, limit, 0);
}

Result<Page<FindingRow>> HistoryReader::findings(const FindingQuery& query) const {
  const Filter filter = findingFilter(query);
  const std::string from =
      " FROM findings f JOIN targets t ON t.id = f.target_id JOIN units u ON u.id = t.unit_id" +
      filter.where();
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(*db_, "SELECT count(*)" + from, filter);
  if (!total) return total.error();
  auto statement = db_->prepare(
      "SELECT f.id, f.target_id, t.name, u.name, f.code, f.severity, f.fingerprint, f.position,"
      " f.message, f.remedy, COALESCE(f.cause, ''), f.first_seen,"
      " COALESCE(f.last_seen, u.last_scan_at, f.first_seen), f.resolved_at" +
      from + " ORDER BY (f.resolved_at IS NULL) DESC, " + history::severityRank("f.severity") +
      " DESC, f.resolved_at DESC, t.name, f.position, f.id LIMIT ? OFFSET ?");
  if (!statement) return statement.error();
  filter.bindPaged(*statement, query.limit, query.offset);
  Page<FindingRow> page{{}, *total};
  auto status = forEachRow(
      *statement, [&page](const Statement& row) { page.items.push_back(readFinding(row)); });
  if (!status) return status.error();
  return page;
}

}  // namespace certvigil::storage
