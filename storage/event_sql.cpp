// SPDX-License-Identifier: Apache-2.0
#include "storage/event_sql.h"

#include <string>

namespace certvigil::storage {
namespace {

#define CERTVIGIL_EVENT_COLUMNS                                                              \
  "uid, created_at, kind, notifier, finding_id, target, unit, target_kind, code, severity,"  \
  " previous_severity, fingerprint, previous_fingerprint, position, message, remedy, cause," \
  " first_seen, resolved_at, subject, issuer, serial, not_after"

std::optional<int64_t> optionalUnix(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return toUnix(*t);
}

// Optional texts are NULL when empty, as the columns document.
void bindText(Statement& s, int index, const std::string& text, bool nullable) {
  if (nullable && text.empty()) {
    s.bindNull(index);
  } else {
    s.bind(index, std::string_view(text));
  }
}

}  // namespace

const std::string_view kInsertEventSql =
    "INSERT INTO events (" CERTVIGIL_EVENT_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23)";

const std::string_view kSelectEventsSql = "SELECT id, " CERTVIGIL_EVENT_COLUMNS " FROM events";

#undef CERTVIGIL_EVENT_COLUMNS

void bindEvent(Statement& s, const AlertEvent& e) {
  s.bind(1, std::string_view(e.uid)).bind(2, toUnix(e.created_at)).bind(3, toString(e.kind));
  bindText(s, 4, e.notifier, true);
  s.bind(5, e.finding_id != 0 ? std::optional<int64_t>(e.finding_id) : std::nullopt);
  s.bind(6, std::string_view(e.target))
      .bind(7, std::string_view(e.unit))
      .bind(8, std::string_view(e.target_kind))
      .bind(9, std::string_view(e.code))
      .bind(10, std::string_view(e.severity));
  bindText(s, 11, e.previous_severity, true);
  bindText(s, 12, e.fingerprint, false);
  bindText(s, 13, e.previous_fingerprint, true);
  s.bind(14, e.position);
  bindText(s, 15, e.message, false);
  bindText(s, 16, e.remedy, false);
  bindText(s, 17, e.cause, true);
  s.bind(18, optionalUnix(e.first_seen)).bind(19, optionalUnix(e.resolved_at));
  bindText(s, 20, e.subject, true);
  bindText(s, 21, e.issuer, true);
  bindText(s, 22, e.serial, true);
  s.bind(23, optionalUnix(e.not_after));
}

std::optional<TimePoint> optionalTime(const Statement& row, int index) {
  if (row.columnIsNull(index)) return std::nullopt;
  return fromUnix(row.columnInt(index));
}

AlertEvent readEvent(const Statement& row) {
  AlertEvent e;
  e.id = row.columnInt(0);
  e.uid = row.columnString(1);
  e.created_at = fromUnix(row.columnInt(2));
  e.kind = eventKindFromString(row.columnText(3)).value_or(EventKind::Firing);
  e.notifier = row.columnString(4);
  e.finding_id = row.columnInt(5);
  e.target = row.columnString(6);
  e.unit = row.columnString(7);
  e.target_kind = row.columnString(8);
  e.code = row.columnString(9);
  e.severity = row.columnString(10);
  e.previous_severity = row.columnString(11);
  e.fingerprint = row.columnString(12);
  e.previous_fingerprint = row.columnString(13);
  e.position = static_cast<int>(row.columnInt(14));
  e.message = row.columnString(15);
  e.remedy = row.columnString(16);
  e.cause = row.columnString(17);
  e.first_seen = optionalTime(row, 18);
  e.resolved_at = optionalTime(row, 19);
  e.subject = row.columnString(20);
  e.issuer = row.columnString(21);
  e.serial = row.columnString(22);
  e.not_after = optionalTime(row, 23);
  return e;
}

const std::string_view kSelectFindingRecordsSql =
    "SELECT f.id, t.name, u.name, t.kind, f.code, f.severity, f.position, f.message, f.remedy,"
    "   f.cause, f.first_seen, f.resolved_at, f.fingerprint, c.subject, c.issuer, c.serial,"
    "   c.not_after"
    " FROM findings f"
    " JOIN targets t ON t.id = f.target_id"
    " JOIN units u ON u.id = t.unit_id"
    " LEFT JOIN certificates c ON c.fingerprint = f.fingerprint AND f.fingerprint <> ''";

FindingRecord readFindingRecord(const Statement& row) {
  FindingRecord f;
  f.id = row.columnInt(0);
  f.place = {row.columnString(1), row.columnString(2), row.columnString(3)};
  f.code = row.columnString(4);
  f.severity = row.columnString(5);
  f.position = static_cast<int>(row.columnInt(6));
  f.message = row.columnString(7);
  f.remedy = row.columnString(8);
  f.cause = row.columnString(9);
  f.first_seen = optionalTime(row, 10);
  f.resolved_at = optionalTime(row, 11);
  f.certificate = {row.columnString(12), row.columnString(13), row.columnString(14),
                   row.columnString(15), optionalTime(row, 16)};
  return f;
}

}  // namespace certvigil::storage
