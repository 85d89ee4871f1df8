// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/repeat_test.cpp: still-active findings are notified again after each
// notifier's repeat_interval (on a fake clock), filters apply, and a notifier seen for the first
// time starts with the events of its max_age.
#include <doctest/doctest.h>

#include "alerts/repeats.h"
#include "tests/unit/alerts/alerts_fixtures.h"

namespace certvigil::testing {
namespace {

constexpr Seconds kDay{86400};

TEST_CASE("an active finding is notified again after repeat_interval, once per interval") {
  AlertDb db;
  FakeClock clock(at(0));  // the scan's time: events are created on the injected clock
  db.scanWithFindings(2, Severity::Warning);
  storage::Outbox& outbox = *db.outbox;
  const alerts::EventFilter all;
  CHECK(alerts::enqueueRepeats(outbox, "ops", all, kDay, clock.now()).value() == 0);
  clock.advance(kDay - Seconds(5));
  CHECK(alerts::enqueueRepeats(outbox, "ops", all, kDay, clock.now()).value() == 0);
  clock.advance(Seconds(10));
  CHECK(alerts::enqueueRepeats(outbox, "ops", all, kDay, clock.now()).value() == 2);
  CHECK(alerts::enqueueRepeats(outbox, "ops", all, kDay, clock.now()).value() == 0);
  // Another notifier has its own interval; the repeats of "ops" are not for it.
  CHECK(alerts::enqueueRepeats(outbox, "chat", all, kDay, clock.now()).value() == 2);
  const auto ops = outbox.eventsAfter("ops", 0, 100).value();
  REQUIRE(ops.size() == 4);
  CHECK(ops[2].kind == EventKind::Repeat);
  CHECK(ops[2].notifier == "ops");
  CHECK(ops[2].created_at == clock.now());
  CHECK(ops[2].uid != ops[3].uid);
  clock.advance(kDay + Seconds(1));
  CHECK(alerts::enqueueRepeats(outbox, "ops", all, kDay, clock.now()).value() == 2);
}

TEST_CASE("repeats follow the notifier's filters and stop when the finding resolves") {
  AlertDb db;
  FakeClock clock(at(0));
  db.scanWithFindings(1, Severity::Warning);
  clock.advance(kDay * 2);
  alerts::EventFilter critical_only;
  critical_only.severities = {"critical"};
  CHECK(alerts::enqueueRepeats(*db.outbox, "pager", critical_only, kDay, clock.now()).value() == 0);
  alerts::EventFilter by_code;
  by_code.codes = {"expired", "expires_soon"};
  CHECK(alerts::enqueueRepeats(*db.outbox, "tickets", by_code, kDay, clock.now()).value() == 1);
  REQUIRE(db.store->recordScan(fakeScan("files", at(60)), {}).ok());  // everything resolves
  clock.advance(kDay * 2);
  CHECK(alerts::enqueueRepeats(*db.outbox, "tickets", by_code, kDay, clock.now()).value() == 0);
}

TEST_CASE("findings active before any event (an upgraded database) are notified at once") {
  AlertDb db;
  db.scanWithFindings(3, Severity::Critical);
  RawDb(db.path).exec("DELETE FROM events");
  const TimePoint now = at(0);  // the scan's time, as the events' created_at
  CHECK(alerts::enqueueRepeats(*db.outbox, "ops", {}, kDay, now).value() == 3);
}

TEST_CASE("a new notifier's cursor starts after events older than its max_age") {
  AlertDb db;
  db.scanWithFindings(2, Severity::Warning);
  const TimePoint now = at(0);  // the scan's time, as the events' created_at
  RawDb(db.path).exec("UPDATE events SET created_at = created_at - 7200 WHERE id = 1");
  // max_age 1 h: event 1 (2 h old) is history, event 2 is news.
  CHECK(db.outbox->cursor("new", now - Seconds(3600), now).value() == 1);
  // Known notifiers keep their cursor.
  REQUIRE(db.outbox->advance("new", 2, now).ok());
  CHECK(db.outbox->cursor("new", now - Seconds(3600), now).value() == 2);
  CHECK(db.outbox->cursors().value().at("new") == 2);
  const auto pending = db.outbox->pending("new", 1).value();
  CHECK(pending.count == 1);
}

}  // namespace
}  // namespace certvigil::testing
