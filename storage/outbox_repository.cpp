#include "storage/outbox_repository.h"

#include <algorithm>
#include <array>
#include <utility>

#include "storage/database.h"
#include "storage/migrations.h"

namespace certvigil::storage {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 5> kKindNames{{
    {EventKind::Firing, "firing"},
    {EventKind::SeverityChanged, "severity_changed"},
    {EventKind::Resolved, "resolved"},
    {EventKind::Repeat, "repeat"},
    {EventKind::CertificateChanged, "certificate_changed"},
}};

// The columns readEvent() expects, in its order.
#define CERTVIGIL_EVENT_COLUMNS                                                              \
  "id, uid, created_at, kind, notifier, target, unit, target_kind, code, severity,"          \
  " previous_severity, fingerprint, previous_fingerprint, position, message, remedy, cause," \
  " first_seen, resolved_at, subject, issuer, serial, not_after"

constexpr std::string_view kAfter = "SELECT " CERTVIGIL_EVENT_COLUMNS
                                    " FROM events WHERE id > ?1"
                                    " AND (notifier IS NULL OR notifier = ?2) ORDER BY id LIMIT ?3";

constexpr std::string_view kRecent =
    "SELECT " CERTVIGIL_EVENT_COLUMNS " FROM events ORDER BY id DESC LIMIT ?1";

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

// Filters are ",a,b," lists ("" lets everything through), matched with instr().
constexpr std::string_view kRepeat =
    "INSERT INTO events (uid, created_at, kind, notifier, finding_id, target, unit, target_kind,"
    "   code, severity, fingerprint, position, message, remedy, cause, first_seen, subject,"
    "   issuer, serial, not_after)"
    " SELECT uid, ?2, 'repeat', ?1, finding_id, target, unit, target_kind, code, severity,"
    "   fingerprint, position, message, remedy, cause, first_seen, subject, issuer, serial,"
    "   not_after"
    " FROM finding_event_source s"
    " WHERE s.resolved_at IS NULL"
    "   AND (?4 = '' OR instr(?4, ',' || s.severity || ',') > 0)"
    "   AND (?5 = '' OR instr(?5, ',' || s.code || ',') > 0)"
    "   AND NOT EXISTS (SELECT 1 FROM events e WHERE e.finding_id = s.finding_id"
    "     AND e.created_at > ?3 AND (e.notifier IS NULL OR e.notifier = ?1))"
    " ORDER BY s.finding_id";

// Two queries rather than one OR, so each uses its partial index on findings.
#define CERTVIGIL_STATE_COLUMNS                                                               \
  "SELECT target, unit, target_kind, code, severity, fingerprint, position, message, remedy," \
  " cause, first_seen, resolved_at, subject, issuer, serial, not_after FROM finding_event_source"
constexpr std::string_view kState = CERTVIGIL_STATE_COLUMNS
    " WHERE resolved_at IS NULL"
    " UNION ALL " CERTVIGIL_STATE_COLUMNS " WHERE resolved_at >= ?1";
#undef CERTVIGIL_STATE_COLUMNS

std::optional<TimePoint> optionalTime(const Statement& row, int index) {
  if (row.columnIsNull(index)) return std::nullopt;
  return fromUnix(row.columnInt(index));
}

OutboxEvent readEvent(const Statement& row) {
  OutboxEvent e;
  e.id = row.columnInt(0);
  e.uid = row.columnString(1);
  e.created_at = fromUnix(row.columnInt(2));
  e.kind = eventKindFromString(row.columnText(3)).value_or(EventKind::Firing);
  e.notifier = row.columnString(4);
  e.target = row.columnString(5);
  e.unit = row.columnString(6);
  e.target_kind = row.columnString(7);
  e.code = row.columnString(8);
  e.severity = row.columnString(9);
  e.previous_severity = row.columnString(10);
  e.fingerprint = row.columnString(11);
  e.previous_fingerprint = row.columnString(12);
  e.position = static_cast<int>(row.columnInt(13));
  e.message = row.columnString(14);
  e.remedy = row.columnString(15);
  e.cause = row.columnString(16);
  e.first_seen = optionalTime(row, 17);
  e.resolved_at = optionalTime(row, 18);
  e.subject = row.columnString(19);
  e.issuer = row.columnString(20);
  e.serial = row.columnString(21);
  e.not_after = optionalTime(row, 22);
  return e;
}

OutboxEvent readState(const Statement& row) {
  OutboxEvent e;
  e.target = row.columnString(0);
  e.unit = row.columnString(1);
  e.target_kind = row.columnString(2);
  e.code = row.columnString(3);
  e.severity = row.columnString(4);
  e.fingerprint = row.columnString(5);
  e.position = static_cast<int>(row.columnInt(6));
  e.message = row.columnString(7);
  e.remedy = row.columnString(8);
  e.cause = row.columnString(9);
  e.first_seen = optionalTime(row, 10);
  e.resolved_at = optionalTime(row, 11);
  e.kind = e.resolved_at ? EventKind::Resolved : EventKind::Firing;
  e.subject = row.columnString(12);
  e.issuer = row.columnString(13);
  e.serial = row.columnString(14);
  e.not_after = optionalTime(row, 15);
  return e;
}

/// ",a,b," for instr() matching; "" when the list is empty (everything passes).
std::string commaList(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  std::string out = ",";
  for (const auto& item : items) out += item + ",";
  return out;
}

}  // namespace

std::string_view toString(EventKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "firing";
}

std::optional<EventKind> eventKindFromString(std::string_view text) {
  for (const auto& [kind, name] : kKindNames) {
    if (name == text) return kind;
  }
  return std::nullopt;
}

bool EventFilter::matches(const OutboxEvent& event) const {
  const auto allows = [](const std::vector<std::string>& list, const std::string& value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return allows(severities, event.severity) && allows(codes, event.code);
}

struct Outbox::Impl {
  std::unique_ptr<Database> db;
  Statement after, recent, pending, init_cursor, cursor, advance, cursors, repeat, state;

  Status prepare() {
    return prepareAll(*db, {{&after, kAfter},
                            {&recent, kRecent},
                            {&pending, kPending},
                            {&init_cursor, kInitCursor},
                            {&cursor, kCursor},
                            {&advance, kAdvance},
                            {&cursors, kCursors},
                            {&repeat, kRepeat},
                            {&state, kState}});
  }

  Result<std::vector<OutboxEvent>> readAll(Statement& statement,
                                           OutboxEvent (*read)(const Statement&)) {
    std::vector<OutboxEvent> out;
    auto status = forEachRow(statement, [&](const Statement& row) { out.push_back(read(row)); });
    if (!status) return status.error();
    return out;
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

Result<std::vector<OutboxEvent>> Outbox::eventsAfter(const std::string& notifier, int64_t after,
                                                     size_t limit) {
  impl_->after.bind(1, after).bind(2, notifier).bind(3, static_cast<int64_t>(limit));
  return impl_->readAll(impl_->after, &readEvent);
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

Result<size_t> Outbox::enqueueRepeats(const std::string& notifier, const EventFilter& filter,
                                      Seconds interval, TimePoint now) {
  const std::string severities = commaList(filter.severities);
  const std::string codes = commaList(filter.codes);
  const int64_t before = impl_->db->totalChanges();
  auto status = impl_->repeat.bind(1, notifier)
                    .bind(2, toUnix(now))
                    .bind(3, toUnix(now - interval))
                    .bind(4, severities)
                    .bind(5, codes)
                    .run();
  if (!status) return status.error();
  return static_cast<size_t>(impl_->db->totalChanges() - before);
}

Result<std::vector<OutboxEvent>> Outbox::alertState(TimePoint resolved_since) {
  auto tx = impl_->db->beginRead();  // both halves from one snapshot
  if (!tx) return tx.error();
  impl_->state.bind(1, toUnix(resolved_since));
  auto rows = impl_->readAll(impl_->state, &readState);
  if (!rows) return rows;
  if (auto status = tx->commit(); !status) return status.error();
  return rows;
}

Result<std::vector<OutboxEvent>> Outbox::recent(size_t limit) {
  impl_->recent.bind(1, static_cast<int64_t>(limit));
  return impl_->readAll(impl_->recent, &readEvent);
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
