// storage/history_reader.cpp: opening, targets, scans and events. Certificates and findings are
// in history_queries.cpp. Every query is built from fixed SQL plus bound values: filter text
// from HTTP requests never becomes SQL.
#include "storage/history_reader.h"

#include <algorithm>

#include "storage/codec.h"
#include "storage/database.h"
#include "storage/history_sql.h"

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
    ") FROM findings f WHERE f.target_id = t.id AND f.resolved_at IS NULL)"
    " FROM targets t JOIN units u ON u.id = t.unit_id";

const std::string kTargetOrder = " ORDER BY (t.gone_at IS NOT NULL), t.name, t.id";

// Columns of the events table that might carry a secret are never read: the table belongs to
// another module and may grow.
constexpr std::string_view kSecretishColumns[] = {"secret",    "token",  "password", "url",
                                                  "signature", "header", "auth"};
// Looked up in this order: the name of migration 002, and a spelling it might take.
constexpr std::string_view kEventTables[] = {"events", "alert_events"};

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

bool isSecretish(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(std::begin(kSecretishColumns), std::end(kSecretishColumns),
                     [&name](std::string_view part) { return name.find(part) != name.npos; });
}

std::string quoteIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

Result<std::string> findEventTable(Database& db) {
  auto statement =
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  if (!statement) return statement.error();
  for (std::string_view name : kEventTables) {
    statement->bind(1, name);
    ScopedReset reset(*statement);
    auto row = statement->step();
    if (!row) return row.error();
    if (*row && statement->columnInt(0) > 0) return std::string(name);
  }
  return std::string();
}

// The columns of `table` that may be shown, in table order.
Result<std::vector<std::string>> eventColumns(Database& db, const std::string& table) {
  auto statement = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  if (!statement) return statement.error();
  statement->bind(1, std::string_view(table));
  std::vector<std::string> columns;
  auto status = forEachRow(*statement, [&columns](const Statement& row) {
    std::string name = row.columnString(0);
    if (!isSecretish(name)) columns.push_back(std::move(name));
  });
  if (!status) return status.error();
  return columns;
}

ColumnValue readColumn(const Statement& row, int type_column) {
  const std::string_view type = row.columnText(type_column);
  if (type == "integer") return row.columnInt(type_column + 1);
  if (type == "real") return row.columnDouble(type_column + 1);
  if (type == "text") return row.columnString(type_column + 1);
  return std::monostate{};  // null, and blobs (never shown)
}

}  // namespace

size_t clampLimit(size_t limit) { return std::clamp<size_t>(limit, 1, kHistoryMaxLimit); }

Result<std::unique_ptr<HistoryReader>> HistoryReader::open(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::ReadOnly);
  if (!db) return db.error();
  auto tables = (*db)->queryInt(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
      " ('units', 'targets', 'certificates', 'observations', 'findings', 'scans')");
  if (!tables) return tables.error();
  if (*tables != 6) {
    return makeError(ErrorCode::Database, "not a certvigil database (tables missing)",
                     path.string());
  }
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
  auto items =
      queryTargets(*db_, kTargetColumns + filter.where() + kTargetOrder + " LIMIT ? OFFSET ?",
                   filter, std::make_pair(query.limit, query.offset));
  if (!items) return items.error();
  return Page<TargetSummary>{std::move(*items), *total};
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
  filter.addText("t.name = ?", name);
  if (name.empty()) return std::vector<TargetSummary>{};
  std::lock_guard lock(mutex_);
  return queryTargets(*db_, kTargetColumns + filter.where() + kTargetOrder, filter, std::nullopt);
}

Result<Page<ScanSummary>> HistoryReader::scans(const std::string& unit, size_t limit,
                                               size_t offset) const {
  Filter filter;
  filter.addText("u.name = ?", unit);
  const std::string from = " FROM scans s JOIN units u ON u.id = s.unit_id" + filter.where();
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto total = history::countRows(*db_, "SELECT count(*)" + from, filter);
  if (!total) return total.error();
  auto statement = db_->prepare(
      "SELECT s.id, u.name, s.kind, s.started_at, s.duration_seconds, s.outcome, s.targets,"
      " s.findings" +
      from + " ORDER BY s.started_at DESC, s.id DESC LIMIT ? OFFSET ?");
  if (!statement) return statement.error();
  filter.bindPaged(*statement, limit, offset);
  Page<ScanSummary> page{{}, *total};
  auto status = forEachRow(*statement, [&page](const Statement& row) {
    page.items.push_back(
        ScanSummary{row.columnInt(0), row.columnString(1), targetKindOrFile(row.columnText(2)),
                    fromUnix(row.columnInt(3)), row.columnDouble(4), row.columnString(5),
                    static_cast<size_t>(row.columnInt(6)), static_cast<size_t>(row.columnInt(7))});
  });
  if (!status) return status.error();
  return page;
}

Result<bool> HistoryReader::hasEvents() const {
  std::lock_guard lock(mutex_);
  auto table = findEventTable(*db_);
  if (!table) return table.error();
  return !table->empty();
}

// The events table belongs to the alerts module and its columns may change between versions,
// so it is read generically: column names from the schema, each value with its SQLite type.
Result<std::vector<GenericRow>> HistoryReader::events(size_t limit,
                                                      std::optional<int64_t> after_id) const {
  std::lock_guard lock(mutex_);
  auto read = db_->beginRead();
  if (!read) return read.error();
  auto table = findEventTable(*db_);
  if (!table) return table.error();
  if (table->empty()) return std::vector<GenericRow>{};
  auto columns = eventColumns(*db_, *table);
  if (!columns) return columns.error();
  if (columns->empty()) return std::vector<GenericRow>{};
  std::string select = "SELECT ";
  for (size_t i = 0; i < columns->size(); ++i) {
    const std::string column = quoteIdentifier((*columns)[i]);
    select += (i == 0 ? "typeof(" : ", typeof(") + column + "), " + column;
  }
  Filter filter;
  if (after_id) filter.addInt("rowid > ?", *after_id);
  auto statement = db_->prepare(select + " FROM " + quoteIdentifier(*table) + filter.where() +
                                " ORDER BY rowid DESC LIMIT ? OFFSET ?");
  if (!statement) return statement.error();
  filter.bindPaged(*statement, limit, 0);
  std::vector<GenericRow> rows;
  auto status = forEachRow(*statement, [&](const Statement& row) {
    GenericRow out;
    for (size_t i = 0; i < columns->size(); ++i) {
      out.emplace_back((*columns)[i], readColumn(row, static_cast<int>(2 * i)));
    }
    rows.push_back(std::move(out));
  });
  if (!status) return status.error();
  return rows;
}

}  // namespace certvigil::storage
