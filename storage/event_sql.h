// SPDX-License-Identifier: Apache-2.0
// storage/event_sql.h: how alert events and the finding rows they describe are spelled in SQL,
// shared by the recorder's EventRepository (the scheduler's connection) and the Outbox (the
// dispatcher's and the CLI's): one INSERT, one column list, one reader for each.
#pragma once

#include <string_view>

#include "core/alert_event.h"
#include "core/transitions.h"
#include "storage/database.h"

namespace certvigil::storage {

/// INSERT INTO events, every column but id; bind with bindEvent().
extern const std::string_view kInsertEventSql;
/// Binds ?1..?23 of kInsertEventSql.
void bindEvent(Statement& insert, const AlertEvent& event);

/// "SELECT <the event columns> FROM events": append WHERE / ORDER BY; read with readEvent().
extern const std::string_view kSelectEventsSql;
AlertEvent readEvent(const Statement& row);

/// "SELECT <a finding row with its target, unit and certificate> FROM findings f ...": append
/// WHERE (on f.*) / ORDER BY; read with readFindingRecord() (columns 0..16).
extern const std::string_view kSelectFindingRecordsSql;
FindingRecord readFindingRecord(const Statement& row);

/// A time column that may be NULL.
std::optional<TimePoint> optionalTime(const Statement& row, int index);

}  // namespace certvigil::storage
