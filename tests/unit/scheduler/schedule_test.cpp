// SPDX-License-Identifier: Apache-2.0
// scheduler/schedule: first run at once, later runs one interval plus a bounded splay that is
// stable for a (unit, run) and differs between units.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "scheduler/schedule.h"
#include "tests/unit/scheduler/time_string.h"

namespace certvigil::scheduler {
namespace {

constexpr TimePoint kStart{Seconds{1795348800}};  // 2026-11-22T12:00:00Z

std::string unitName(int i) { return "/etc/ssl/unit-" + std::to_string(i) + "/*.pem"; }

TEST_CASE("nextDelay: the duration nextRun adds, whatever the wall clock says") {
  // The Monitor adds it to the monotonic clock: a wall clock stepped back an hour or forward a
  // day does not change when the next run comes.
  for (uint64_t run = 1; run <= 5; ++run) {
    CAPTURE(run);
    CHECK(kStart + nextDelay("u", Seconds{600}, run) == nextRun("u", kStart, Seconds{600}, run));
    CHECK(nextDelay("u", Seconds{600}, run) >= Seconds{600});
    CHECK(nextDelay("u", Seconds{600}, run) < Seconds{660});
  }
}

}  // namespace

TEST_CASE("firstRun: at once") {
  CHECK(firstRun("/etc/ssl/*.pem", kStart) == kStart);
  CHECK(firstRun("other", kStart + Seconds{5}) == kStart + Seconds{5});
}

TEST_CASE("splayFraction: in [0, 1), deterministic, spread out") {
  double sum = 0;
  std::set<double> distinct;
  for (int i = 0; i < 1000; ++i) {
    const double f = splayFraction(unitName(i), 1);
    CHECK(f >= 0.0);
    CHECK(f < 1.0);
    CHECK(splayFraction(unitName(i), 1) == f);
    sum += f;
    distinct.insert(f);
  }
  CHECK(distinct.size() > 990);
  CHECK(sum / 1000 == doctest::Approx(0.5).epsilon(0.1));
  CHECK(splayFraction("", 0) >= 0.0);
}

TEST_CASE("nextRun: one interval plus at most min(10 %, 300 s)") {
  struct Case {
    int64_t interval;
    int64_t max_splay;
  };
  for (const Case c :
       {Case{3600, 300}, Case{600, 60}, Case{86400, 300}, Case{3000, 300}, Case{30, 3}}) {
    CAPTURE(c.interval);
    const Seconds interval{c.interval};
    int64_t largest = 0;
    for (int i = 0; i < 500; ++i) {
      for (uint64_t run = 1; run <= 3; ++run) {
        const TimePoint next = nextRun(unitName(i), kStart, interval, run);
        const int64_t splay = (next - kStart - interval).count();
        REQUIRE(splay >= 0);
        REQUIRE(splay < c.max_splay);
        largest = std::max(largest, splay);
      }
    }
    // The splay really uses its range, not only its bottom.
    CHECK(largest >= c.max_splay * 8 / 10);
  }
  // Too short an interval for a whole second of splay: exactly one interval.
  CHECK(nextRun("u", kStart, Seconds{9}, 1) == kStart + Seconds{9});
}

TEST_CASE("nextRun: stable for a unit and run, different across units and runs") {
  const Seconds hour{3600};
  const TimePoint a = nextRun("/etc/a/*.pem", kStart, hour, 7);
  CHECK(nextRun("/etc/a/*.pem", kStart, hour, 7) == a);
  // It is relative to the last start.
  CHECK(nextRun("/etc/a/*.pem", kStart + Seconds{100}, hour, 7) == a + Seconds{100});

  std::set<TimePoint> across_units;
  for (int i = 0; i < 100; ++i) across_units.insert(nextRun(unitName(i), kStart, hour, 1));
  CHECK(across_units.size() > 80);  // 300 possible seconds, 100 units: few collisions

  std::set<TimePoint> across_runs;
  for (uint64_t run = 1; run <= 50; ++run)
    across_runs.insert(nextRun("/etc/a/*.pem", kStart, hour, run));
  CHECK(across_runs.size() > 35);
}

}  // namespace certvigil::scheduler
