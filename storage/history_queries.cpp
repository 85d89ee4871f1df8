// SPDX-License-Identifier: Apache-2.0
// storage/history_queries.cpp: certificates presented now and over time, and findings.
#include "storage/codec.h"
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

// Without filters on targets, certificates or findings, every current observation is listed
// (foreign keys hold), and counting them needs no join: a count over the partial index of
// current observations instead of 10^5 joined rows.
Result<size_t> countCertificates(Database& db, const CertificateQuery& query,
                                 const Filter& filter) {
  if (!query.target.empty() || !query.code.empty() || !query.severity.empty() ||
      query.not_after_from || query.not_after_before) {
    return history::countRows(
        db, std::string("SELECT count(*)") + history::kPresentedJoins + filter.where(), filter);
  }
  Filter current;
  current.add("o.ended_at IS NULL");
  current.addText("o.role = ?", query.role);
  return history::countRows(db, "SELECT count(*) FROM observations o" + current.where(), current);
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
  auto total = countCertificates(*db_, query, filter);
  if (!total) return total.error();
  Filter paged = filter;
  if (!query.after.empty()) {
    auto cursor = history::parseCursor(query.after, 4);
    if (!cursor) return cursor.error();
    // The first condition lets SQLite seek in certificates_not_after; the second is exact.
    paged.addInts("c.not_after >= ?", {cursor->front()});
    paged.addInts("(c.not_after, c.id, o.target_id, o.position) > (?, ?, ?, ?)", *cursor);
  }
  auto rows = queryPresented(*db_,
                             std::string("SELECT ") + history::kPresentedColumns +
                                 history::kListingJoins + paged.where() +
                                 " ORDER BY c.not_after, c.id, o.target_id, o.position"
                                 " LIMIT ? OFFSET ?",
                             paged, query.limit, query.offset);
  if (!rows) return rows.error();
  Page<PresentedRow> page{std::move(*rows), *total, {}};
  if (!page.items.empty()) {
    const PresentedRow& last = page.items.back();
    page.next = history::cursorAfter(
        page.items.size(), query.limit,
        {toUnix(last.certificate.not_after), last.certificate_id, last.target_id, last.position});
  }
  return page;
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

namespace {

// The findings order as one ascending key (so that a cursor is one row-value comparison):
// active first, then worst first, then most recently resolved, then by target and position.
// Ties are broken by target id, not name (as the certificates list does), so that the active
// list has an index in its order (010_findings_listing).
const std::string kFindingKey = "-(f.resolved_at IS NULL), -" +
                                history::severityRank("f.severity") +
                                ", -COALESCE(f.resolved_at, 0), f.target_id, f.position, f.id";
// The same order among active findings only: history::kActiveFindingKey.
using history::kActiveFindingKey;
using history::kActiveFindingSeverity;

bool activeOnly(const FindingQuery& query) { return query.active && *query.active; }

// The rows after the finding `id` in the order of `key`. For the active list the first
// condition lets SQLite seek in the index to the cursor's severity; the second is exact.
void addCursor(Filter& paged, const FindingQuery& query, const std::string& key, int64_t id) {
  const std::string of_cursor = " FROM findings f WHERE f.id = ?)";
  if (activeOnly(query)) {
    paged.addInts(kActiveFindingSeverity + " >= (SELECT " + kActiveFindingSeverity + of_cursor,
                  {id});
  }
  paged.addInts("(" + key + ") > (SELECT " + key + of_cursor, {id});
}

// Every finding has a target and every target a unit (foreign keys): the joins only count
// when the target's name is filtered.
std::string countFindingsSql(const FindingQuery& query, const Filter& filter) {
  const char* from = query.target.empty() ? " FROM findings f"
                                          : " FROM findings f JOIN targets t ON t.id = f.target_id";
  return std::string("SELECT count(*)") + from + filter.where();
}

}  // namespace

Result<Page<FindingRow>> HistoryReader::findings(const FindingQuery& query) const {
  const Filter filter = findingFilter(query);
  const std::string& key = activeOnly(query) ? kActiveFindingKey : kFindingKey;
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(*db_, countFindingsSql(query, filter), filter);
  if (!total) return total.error();
  Filter paged = filter;
  if (!query.after.empty()) {
    auto cursor = history::parseCursor(query.after, 1);
    if (!cursor) return cursor.error();
    if (auto row = history::checkCursorRow(*db_, "findings", cursor->front()); !row) {
      return row.error();
    }
    addCursor(paged, query, key, cursor->front());
  }
  auto statement = db_->prepare(
      "SELECT f.id, f.target_id, t.name, u.name, f.code, f.severity, f.fingerprint, f.position,"
      " f.message, f.remedy, COALESCE(f.cause, ''), f.first_seen,"
      " COALESCE(f.last_seen, u.last_scan_at, f.first_seen), f.resolved_at"
      " FROM findings f JOIN targets t ON t.id = f.target_id JOIN units u ON u.id = t.unit_id" +
      paged.where() + " ORDER BY " + key + " LIMIT ? OFFSET ?");
  if (!statement) return statement.error();
  paged.bindPaged(*statement, query.limit, query.offset);
  Page<FindingRow> page{{}, *total, {}};
  auto status = forEachRow(
      *statement, [&page](const Statement& row) { page.items.push_back(readFinding(row)); });
  if (!status) return status.error();
  if (!page.items.empty()) {
    page.next = history::cursorAfter(page.items.size(), query.limit, {page.items.back().id});
  }
  return page;
}

}  // namespace certvigil::storage
