// SPDX-License-Identifier: Apache-2.0
// storage/history_reader.cpp: opening, targets, scans and events (read through the same
// column list and reader as the outbox, storage/event_sql.h). Certificates and findings are
// in history_queries.cpp. Every query is built from fixed SQL plus bound values: filter text
// from HTTP requests never becomes SQL.
#include "storage/history_reader.h"

#include <algorithm>

#include "storage/codec.h"
#include "storage/database.h"
#include "storage/event_sql.h"
#include "storage/history_sql.h"
#include "storage/migrations.h"

namespace certvigil::storage {

using history::Filter;

namespace {

// Per target: certificates presented now, the soonest notAfter among them, the active findings
// and the worst of them. Correlated subqueries use the per-target indexes, so a page of targets
// costs its own rows, not a pass over every observation.
const std::string kTargetColumns =
    "SELECT t.id, u.name, t.name, t.kind, t.first_seen,"
    " CASE WHEN t.gone_at IS NULL THEN u.last_scan_at ELSE t.last_seen END, t.gone_at,"
    " (SELECT count(*) FROM observations o WHERE o.target_id = t.id AND o.ended_at IS NULL),"
    " (SELECT min(c.not_after) FROM observations o JOIN certificates c ON c.id = o.certificate_id"
    "   WHERE o.target_id = t.id AND o.ended_at IS NULL),"
    " (SELECT count(*) FROM findings f WHERE f.target_id = t.id AND f.resolved_at IS NULL),"
    " (SELECT max(" +
    history::severityRank("f.severity") +
    ") FROM findings f WHERE f.target_id = t.id AND f.resolved_at IS NULL),"
    " o.origin, o.source"
    " FROM targets t JOIN units u ON u.id = t.unit_id"
    " LEFT JOIN target_origins o ON o.target_id = t.id";

// The listing order, which the index targets_listing (006_keyset_paging.sql) holds: a page
// walks the index from its cursor and computes the columns above for its own rows only.
constexpr const char* kTargetKey = "(t.gone_at IS NOT NULL), t.name, t.id";
const std::string kTargetOrder = std::string(" ORDER BY ") + kTargetKey;

TargetSummary readTarget(const Statement& row) {
  TargetSummary t;
  t.id = row.columnInt(0);
  t.unit = row.columnString(1);
  t.name = row.columnString(2);
  t.kind = targetKindOrFile(row.columnText(3));
  t.first_seen = fromUnix(row.columnInt(4));
  t.last_seen = history::optionalTime(row, 5);
  t.gone_at = history::optionalTime(row, 6);
  t.certificates = static_cast<size_t>(row.columnInt(7));
  t.soonest_not_after = history::optionalTime(row, 8);
  t.active_findings = static_cast<size_t>(row.columnInt(9));
  t.worst_severity = history::severityName(row, 10);
  t.origin = row.columnString(11);
  t.source = row.columnString(12);
  return t;
}

Result<std::vector<TargetSummary>> queryTargets(Database& db, const std::string& sql,
                                                const Filter& filter,
                                                std::optional<std::pair<size_t, size_t>> page) {
  auto statement = db.prepare(sql);
  if (!statement) return statement.error();
  if (page) {
    filter.bindPaged(*statement, page->first, page->second);
  } else {
    filter.bind(*statement);
  }
  std::vector<TargetSummary> out;
  auto status =
      forEachRow(*statement, [&out](const Statement& row) { out.push_back(readTarget(row)); });
  if (!status) return status.error();
  return out;
}

// Per notifier with a cursor: "handled" once its cursor is past the event, else "pending". A
// repeat is only for the notifier it names.
std::vector<std::pair<std::string, std::string>> deliveryOf(
    const AlertEvent& event, const std::vector<std::pair<std::string, int64_t>>& cursors) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, cursor] : cursors) {
    if (!event.notifier.empty() && event.notifier != name) continue;
    out.emplace_back(name, event.id <= cursor ? "handled" : "pending");
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> readCursors(Database& db) {
  auto statement =
      db.prepare("SELECT notifier, last_event_id FROM notifier_cursors ORDER BY notifier");
  if (!statement) return statement.error();
  std::vector<std::pair<std::string, int64_t>> out;
  auto status = forEachRow(*statement, [&out](const Statement& row) {
    out.emplace_back(row.columnString(0), row.columnInt(1));
  });
  if (!status) return status.error();
  return out;
}

}  // namespace

size_t clampLimit(size_t limit) { return std::clamp<size_t>(limit, 1, kHistoryMaxLimit); }

Result<std::unique_ptr<HistoryReader>> HistoryReader::open(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::ReadOnly);
  if (!db) return db.error();
  if (auto version = checkCurrent(**db); !version) return version.error();
  return std::unique_ptr<HistoryReader>(new HistoryReader(std::move(*db)));
}

HistoryReader::HistoryReader(std::unique_ptr<Database> db) : db_(std::move(db)) {}
HistoryReader::~HistoryReader() = default;

Result<Page<TargetSummary>> HistoryReader::targets(const TargetQuery& query) const {
  Filter filter;
  filter.addText("instr(t.name, ?) > 0", query.name);
  filter.addText("t.kind = ?", query.kind);
  if (!query.include_gone) filter.add("t.gone_at IS NULL");
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(*db_, "SELECT count(*) FROM targets t" + filter.where(), filter);
  if (!total) return total.error();
  Filter paged = filter;
  if (!query.after.empty()) {
    auto cursor = history::parseCursor(query.after, 1);
    if (!cursor) return cursor.error();
    if (auto row = history::checkCursorRow(*db_, "targets", cursor->front()); !row) {
      return row.error();
    }
    paged.addInts(std::string("(") + kTargetKey + ") > (SELECT " + kTargetKey +
                      " FROM targets t WHERE t.id = ?)",
                  *cursor);
  }
  auto items =
      queryTargets(*db_, kTargetColumns + paged.where() + kTargetOrder + " LIMIT ? OFFSET ?", paged,
                   std::make_pair(query.limit, query.offset));
  if (!items) return items.error();
  Page<TargetSummary> page{std::move(*items), *total, {}};
  if (!page.items.empty()) {
    page.next = history::cursorAfter(page.items.size(), query.limit, {page.items.back().id});
  }
  return page;
}

Result<std::optional<TargetSummary>> HistoryReader::target(int64_t id) const {
  Filter filter;
  filter.addInt("t.id = ?", id);
  std::lock_guard lock(mutex_);
  auto items = queryTargets(*db_, kTargetColumns + filter.where(), filter, std::nullopt);
  if (!items) return items.error();
  if (items->empty()) return std::optional<TargetSummary>();
  return std::optional<TargetSummary>(std::move(items->front()));
}

Result<std::vector<TargetSummary>> HistoryReader::targetsNamed(const std::string& name) const {
  Filter filter;
  // Through UNIQUE (unit_id, name), one probe per unit: there is no index on the name alone.
  filter.addText("t.unit_id IN (SELECT id FROM units) AND t.name = ?", name);
  if (name.empty()) return std::vector<TargetSummary>{};
  std::lock_guard lock(mutex_);
  return queryTargets(*db_, kTargetColumns + filter.where() + kTargetOrder, filter, std::nullopt);
}

Result<Page<ScanSummary>> HistoryReader::scans(const std::string& unit, size_t limit, size_t offset,
                                               const std::string& after) const {
  Filter filter;
  filter.addText("u.name = ?", unit);
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(
      *db_, std::string("SELECT count(*)") + history::kScanJoins + filter.where(), filter);
  if (!total) return total.error();
  Filter paged = filter;
  if (!after.empty()) {
    auto cursor = history::parseCursor(after, 2);
    if (!cursor) return cursor.error();
    paged.addInts("(s.started_at, s.id) < (?, ?)", *cursor);
  }
  auto statement =
      db_->prepare(std::string("SELECT ") + history::kScanColumns + history::kScanJoins +
                   paged.where() + " ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?");
  if (!statement) return statement.error();
  paged.bindPaged(*statement, limit, offset);
  Page<ScanSummary> page{{}, *total, {}};
  auto status = forEachRow(
      *statement, [&page](const Statement& row) { page.items.push_back(history::readScan(row)); });
  if (!status) return status.error();
  if (!page.items.empty()) {
    const ScanSummary& last = page.items.back();
    page.next = history::cursorAfter(page.items.size(), limit, {toUnix(last.started_at), last.id});
  }
  return page;
}

Result<bool> HistoryReader::hasEvents() const { return true; }

Result<std::vector<EventRow>> HistoryReader::events(size_t limit,
                                                    std::optional<int64_t> after_id) const {
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();  // the events and the cursors from one snapshot
  if (!read) return read.error();
  auto cursors = readCursors(*db_);
  if (!cursors) return cursors.error();
  auto statement = db_->prepare(std::string(kSelectEventsSql) +
                                " WHERE ?1 IS NULL OR id > ?1 ORDER BY id DESC LIMIT ?2");
  if (!statement) return statement.error();
  statement->bind(1, after_id).bind(2, static_cast<int64_t>(clampLimit(limit)));
  std::vector<EventRow> rows;
  auto status = forEachRow(*statement, [&](const Statement& row) {
    AlertEvent event = readEvent(row);
    auto delivery = deliveryOf(event, *cursors);
    rows.push_back(EventRow{std::move(event), std::move(delivery)});
  });
  if (!status) return status.error();
  return rows;
}

}  // namespace certvigil::storage
