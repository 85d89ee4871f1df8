// SPDX-License-Identifier: Apache-2.0
#include "storage/outbox_repository.h"

#include <algorithm>
#include <array>
#include <utility>

#include "storage/database.h"
#include "storage/event_sql.h"
#include "storage/migrations.h"

namespace certvigil::storage {
namespace {

std::string selectEvents(std::string_view rest) {
  return std::string(kSelectEventsSql) + " " + std::string(rest);
}

constexpr std::string_view kAfter =
    "WHERE id > ?1 AND (notifier IS NULL OR notifier = ?2) ORDER BY id LIMIT ?3";

constexpr std::string_view kPending =
    "SELECT count(*), min(created_at) FROM events"
    " WHERE id > ?1 AND (notifier IS NULL OR notifier = ?2)";

constexpr std::string_view kInitCursor =
    "INSERT OR IGNORE INTO notifier_cursors (notifier, last_event_id, updated_at)"
    " VALUES (?1, (SELECT coalesce(max(id), 0) FROM events WHERE created_at < ?2), ?3)";

constexpr std::string_view kCursor =
    "SELECT last_event_id FROM notifier_cursors WHERE notifier = ?1";

constexpr std::string_view kAdvance =
    "UPDATE notifier_cursors SET last_event_id = max(last_event_id, ?2), updated_at = ?3"
    " WHERE notifier = ?1";

constexpr std::string_view kCursors = "SELECT notifier, last_event_id FROM notifier_cursors";

// Every active finding with its newest event for the notifier (events_finding index).
constexpr std::string_view kRepeatCandidates =
    ", (SELECT max(e.created_at) FROM events e WHERE e.finding_id = f.id"
    "   AND (e.notifier IS NULL OR e.notifier = ?1))"
    " FROM findings f"
    " JOIN targets t ON t.id = f.target_id"
    " JOIN units u ON u.id = t.unit_id"
    " LEFT JOIN certificates c ON c.fingerprint = f.fingerprint AND f.fingerprint <> ''"
    " WHERE f.resolved_at IS NULL ORDER BY f.id";

// Two queries rather than one OR, so each uses its partial index on findings.
std::string stateSql() {
  const std::string select(kSelectFindingRecordsSql);
  return select + " WHERE f.resolved_at IS NULL UNION ALL " + select + " WHERE f.resolved_at >= ?1";
}

// kSelectFindingRecordsSql with one more column: its FROM clause is repeated after it.
std::string repeatSql() {
  const std::string select(kSelectFindingRecordsSql);
  return select.substr(0, select.find(" FROM findings f")) + std::string(kRepeatCandidates);
}

}  // namespace

struct Outbox::Impl {
  std::unique_ptr<Database> db;
  Statement after, pending, init_cursor, cursor, advance, cursors, candidates, state, insert;

  Status prepare() {
    const std::string after_sql = selectEvents(kAfter);
    const std::string state_sql = stateSql(), repeat_sql = repeatSql();
    return prepareAll(*db, {{&after, after_sql},
                            {&pending, kPending},
                            {&init_cursor, kInitCursor},
                            {&cursor, kCursor},
                            {&advance, kAdvance},
                            {&cursors, kCursors},
                            {&candidates, repeat_sql},
                            {&state, state_sql},
                            {&insert, kInsertEventSql}});
  }

  template <typename T, typename Read>
  Result<std::vector<T>> readAll(Statement& statement, Read read) {
    std::vector<T> out;
    auto status = forEachRow(statement, [&](const Statement& row) { out.push_back(read(row)); });
    if (!status) return status.error();
    return out;
  }

  Result<std::vector<RepeatCandidate>> repeatCandidates(const std::string& notifier) {
    candidates.bind(1, std::string_view(notifier));
    return readAll<RepeatCandidate>(candidates, [](const Statement& row) {
      return RepeatCandidate{readFindingRecord(row), optionalTime(row, 17)};
    });
  }
};

Outbox::Outbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Outbox::~Outbox() = default;

namespace {

Result<std::unique_ptr<Database>> openCurrent(const std::filesystem::path& path, OpenMode mode) {
  auto db = Database::open(path, mode);
  if (!db) return db.error();
  if (auto version = checkCurrent(**db); !version) return version.error();
  return std::move(*db);
}

}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::open(const std::filesystem::path& path) {
  auto db = openCurrent(path, OpenMode::ReadWrite);
  if (!db) return db.error();
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  if (auto status = impl->prepare(); !status) return status.error();
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Result<std::unique_ptr<Outbox>> Outbox::openReadOnly(const std::filesystem::path& path) {
  auto db = openCurrent(path, OpenMode::ReadOnly);
  if (!db) return db.error();
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(*db);
  if (auto status = impl->prepare(); !status) return status.error();
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Result<int64_t> Outbox::cursor(const std::string& notifier, TimePoint backlog_since,
                               TimePoint now) {
  auto init = impl_->init_cursor.bind(1, notifier)
                  .bind(2, toUnix(backlog_since))
                  .bind(3, toUnix(now))
                  .run();
  if (!init) return init.error();
  Statement& select = impl_->cursor;
  ScopedReset reset(select);
  auto row = select.bind(1, notifier).step();
  if (!row) return row.error();
  if (!*row) return makeError(ErrorCode::Database, "cursor row missing", notifier);
  return select.columnInt(0);
}

Result<std::vector<AlertEvent>> Outbox::eventsAfter(const std::string& notifier, int64_t after,
                                                    size_t limit) {
  impl_->after.bind(1, after).bind(2, notifier).bind(3, static_cast<int64_t>(limit));
  return impl_->readAll<AlertEvent>(impl_->after, &readEvent);
}

Status Outbox::advance(const std::string& notifier, int64_t last_event_id, TimePoint now) {
  return impl_->advance.bind(1, notifier).bind(2, last_event_id).bind(3, toUnix(now)).run();
}

Result<PendingEvents> Outbox::pending(const std::string& notifier, int64_t after) {
  Statement& select = impl_->pending;
  ScopedReset reset(select);
  auto row = select.bind(1, after).bind(2, notifier).step();
  if (!row) return row.error();
  PendingEvents out;
  if (!*row) return out;
  out.count = static_cast<size_t>(select.columnInt(0));
  out.oldest = optionalTime(select, 1);
  return out;
}

Result<size_t> Outbox::appendRepeats(const std::string& notifier, const RepeatPolicy& policy) {
  auto tx = impl_->db->begin();  // nothing resolves between the read and the write
  if (!tx) return tx.error();
  auto candidates = impl_->repeatCandidates(notifier);
  if (!candidates) return candidates.error();
  const std::vector<AlertEvent> repeats = policy(*candidates);
  for (const AlertEvent& event : repeats) {
    bindEvent(impl_->insert, event);
    if (auto status = impl_->insert.run(); !status) return status.error();
  }
  if (auto status = tx->commit(); !status) return status.error();
  return repeats.size();
}

Result<std::vector<AlertEvent>> Outbox::alertState(TimePoint resolved_since) {
  auto tx = impl_->db->beginRead();  // both halves from one snapshot
  if (!tx) return tx.error();
  impl_->state.bind(1, toUnix(resolved_since));
  auto rows = impl_->readAll<AlertEvent>(impl_->state, [resolved_since](const Statement& row) {
    return stateEvent(readFindingRecord(row), resolved_since);
  });
  if (!rows) return rows;
  if (auto status = tx->commit(); !status) return status.error();
  return rows;
}

Result<std::map<std::string, int64_t>> Outbox::cursors() {
  std::map<std::string, int64_t> out;
  auto status = forEachRow(impl_->cursors, [&out](const Statement& row) {
    out[row.columnString(0)] = row.columnInt(1);
  });
  if (!status) return status.error();
  return out;
}

}  // namespace certvigil::storage
