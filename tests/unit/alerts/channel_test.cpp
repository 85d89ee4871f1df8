// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/channel_test.cpp: one notifier's delivery state machine on a fake clock:
// in-order at-least-once delivery, backoff after Retry, no retry after Reject, max_age drops,
// filters, batches, and a cursor that survives a restart.
#include "alerts/channel.h"

#include <doctest/doctest.h>

#include "tests/unit/alerts/alerts_fixtures.h"

namespace certvigil::testing {
namespace {

using alerts::Channel;
using alerts::Outcome;
using std::chrono::milliseconds;

struct Rig {
  AlertDb db;
  FakeClock wall{at(0)};        // the scans' time: events are created on the injected clock
  alerts::SteadyTime steady{};  // a steady clock the test moves by hand
  std::shared_ptr<ScriptedNotifier::Log> log = std::make_shared<ScriptedNotifier::Log>();

  std::unique_ptr<Channel> channel(std::deque<Outcome> script, size_t batch = 1,
                                   alerts::NotifierSettings settings = settingsNamed("ops")) {
    alerts::ChannelTiming timing;  // product defaults: first wait about 1 s, cap 5 min
    return std::make_unique<Channel>(std::move(settings),
                                     std::make_unique<ScriptedNotifier>(log, script, batch), timing,
                                     [] { return 0.5; });
  }
  void run(Channel& channel) { REQUIRE(channel.runOnce(*db.outbox, wall.now(), steady).ok()); }
  size_t calls() const { return log->calls.size(); }
};

TEST_CASE("pending events are delivered in order and the cursor survives a restart") {
  Rig rig;
  rig.db.scanWithFindings(3, Severity::Critical);
  auto channel = rig.channel({});
  rig.run(*channel);
  const auto events = rig.db.events();
  REQUIRE(rig.calls() == 3);
  for (size_t i = 0; i < 3; ++i) CHECK(rig.log->calls[i] == std::vector{events[i].uid});
  CHECK(channel->counters().delivered == 3);
  rig.run(*channel);
  CHECK(rig.calls() == 3);  // nothing new
  // A new process: the stored cursor says everything was handled.
  auto restarted = rig.channel({});
  rig.run(*restarted);
  CHECK(rig.calls() == 3);
  CHECK(restarted->cursor() == events.back().id);
}

TEST_CASE("a Retry backs off exponentially, keeps the event, and logs no flood") {
  Rig rig;
  rig.db.scanWithFindings(1, Severity::Critical);
  auto channel = rig.channel({Outcome::Retry, Outcome::Retry, Outcome::Retry});
  rig.run(*channel);
  REQUIRE(rig.calls() == 1);
  CHECK(channel->failing());
  // First wait: between 0.5 s and 1 s (0.75 s with this draw).
  CHECK(channel->nextAttempt() - rig.steady == milliseconds(750));
  rig.steady += milliseconds(700);
  rig.run(*channel);
  CHECK(rig.calls() == 1);  // still waiting
  rig.steady += milliseconds(50);
  rig.run(*channel);
  CHECK(rig.calls() == 2);
  CHECK(channel->nextAttempt() - rig.steady == milliseconds(1500));  // doubled
  rig.steady += milliseconds(1500);
  rig.run(*channel);
  CHECK(rig.calls() == 3);
  CHECK(channel->nextAttempt() - rig.steady == milliseconds(3000));
  rig.steady += milliseconds(3000);
  rig.run(*channel);  // the script is exhausted: delivered
  REQUIRE(rig.calls() == 4);
  CHECK_FALSE(channel->failing());
  const auto uid = rig.db.events()[0].uid;
  for (const auto& call : rig.log->calls) CHECK(call == std::vector{uid});  // same id each time
  CHECK(channel->counters().retried == 3);
  CHECK(channel->counters().delivered == 1);
}

TEST_CASE("the backoff is capped at 5 minutes") {
  Rig rig;
  rig.db.scanWithFindings(1, Severity::Critical);
  auto channel = rig.channel(std::deque<Outcome>(30, Outcome::Retry));
  auto wait = std::chrono::steady_clock::duration::zero();
  for (int i = 0; i < 20; ++i) {
    rig.run(*channel);
    REQUIRE(rig.calls() == static_cast<size_t>(i + 1));
    wait = channel->nextAttempt() - rig.steady;
    CHECK(wait <= milliseconds(300000));
    rig.steady = channel->nextAttempt();
  }
  CHECK(wait == milliseconds(225000));  // half the cap plus half of the other half (draw 0.5)
}

TEST_CASE("a Reject is final: not retried, the next events go on") {
  Rig rig;
  rig.db.scanWithFindings(2, Severity::Critical);
  auto channel = rig.channel({Outcome::Reject});
  rig.run(*channel);
  CHECK(rig.calls() == 2);
  CHECK(channel->counters().rejected == 1);
  CHECK(channel->counters().delivered == 1);
  CHECK_FALSE(channel->failing());
  rig.steady += std::chrono::hours(1);
  rig.run(*channel);
  CHECK(rig.calls() == 2);
}

TEST_CASE("events older than max_age are dropped and counted, never sent") {
  Rig rig;
  rig.db.scanWithFindings(2, Severity::Critical);
  auto channel = rig.channel({Outcome::Retry}, 1, settingsNamed("ops", Seconds(600)));
  rig.run(*channel);  // cursor set, first attempt fails
  REQUIRE(rig.calls() == 1);
  rig.wall.advance(Seconds(601));
  rig.steady = channel->nextAttempt();
  rig.run(*channel);
  CHECK(rig.calls() == 1);
  CHECK(channel->counters().dropped == 2);
  CHECK(rig.db.outbox->pending("ops", channel->cursor()).value().count == 0);
}

TEST_CASE("filters leave events out; batches carry several events") {
  Rig rig;
  rig.db.scanWithFindings(3, Severity::Warning);
  auto settings = settingsNamed("pager");
  settings.config.severities = {"critical"};
  auto pager = rig.channel({}, 1, settings);
  rig.run(*pager);
  CHECK(rig.calls() == 0);
  CHECK(pager->counters().filtered == 3);
  auto chat = rig.channel({}, 20, settingsNamed("chat"));
  rig.run(*chat);
  REQUIRE(rig.calls() == 1);
  CHECK(rig.log->calls[0].size() == 3);
  CHECK(chat->counters().delivered == 3);
}

TEST_CASE("the channel writes repeat events for its notifier and delivers them") {
  Rig rig;
  rig.db.scanWithFindings(1, Severity::Critical);
  auto settings = settingsNamed("ops");
  settings.config.repeat_interval = Seconds(3600);
  auto channel = rig.channel({}, 1, settings);
  rig.run(*channel);
  CHECK(rig.calls() == 1);
  rig.wall.advance(Seconds(3601));
  rig.steady += std::chrono::minutes(1);  // the repeat check runs once a minute
  rig.run(*channel);
  REQUIRE(rig.calls() == 2);
  CHECK(rig.log->calls[1] != rig.log->calls[0]);  // a new event, with its own id
}

}  // namespace
}  // namespace certvigil::testing
