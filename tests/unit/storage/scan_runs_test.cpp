// SPDX-License-Identifier: Apache-2.0
// Tests for the runs of scans (migrations/005_scan_runs.sql): a sweep that changes nothing
// writes no row per unit into `scans`, it extends each unit's current run in place; a change,
// another outcome, other counts, a restart or a pruned run start a new one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::at;
using testing::fakeCertificate;
using testing::fakeFinding;
using testing::fakeResult;
using testing::fakeScan;
using testing::RawDb;
using testing::TempDir;

constexpr int kUnits = 50;

std::string unitName(int i) { return "127.0.0.1:" + std::to_string(20000 + i); }

// One endpoint unit per address, each with one target presenting leaf + intermediate, as the
// daemon records a sweep of endpoints: one recordScan per unit.
struct Sweep {
  std::vector<TargetResultPtr> results;
  Sweep() {
    for (int i = 0; i < kUnits; ++i) {
      results.push_back(fakeResult(unitName(i), unitName(i),
                                   {fakeCertificate(1000 + i), fakeCertificate(1)}, {},
                                   TargetKind::Endpoint));
    }
  }
  void record(StateStore& store, int64_t t) const {
    for (int i = 0; i < kUnits; ++i) {
      REQUIRE(
          store.recordScan(fakeScan(unitName(i), at(t), TargetKind::Endpoint), {results[i]}).ok());
    }
  }
};

TEST_CASE("An unchanged sweep writes no scan row per unit: it extends each unit's run") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  RawDb raw(path);
  Sweep sweep;
  sweep.record(*store, 0);
  CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits);
  for (int k = 1; k <= 3; ++k) sweep.record(*store, k * 3600);
  CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits);
  CHECK(raw.integer("SELECT min(scan_count) || max(scan_count) FROM scans") == 44);
  CHECK(
      raw.integer("SELECT count(*) FROM scans WHERE started_at = " + std::to_string(testing::kT0) +
                  " AND last_started_at = " + std::to_string(testing::kT0 + 3 * 3600)) == kUnits);
  CHECK(store->integrityCheck().ok());

  SUBCASE("the same result objects again and equal new ones alike") {
    Sweep equal;  // new objects with the same content: diffed, nothing differs
    equal.record(*store, 4 * 3600);
    CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits);
    CHECK(raw.integer("SELECT min(scan_count) FROM scans") == 5);
  }
  SUBCASE("a unit whose state changed starts one new run; the others go on") {
    const auto leaf = fakeCertificate(1000);
    auto changed = fakeResult(unitName(0), unitName(0), {leaf, fakeCertificate(1)},
                              {fakeFinding(FindingCode::ExpiresSoon, leaf, 0, Severity::Warning)},
                              TargetKind::Endpoint);
    sweep.results[0] = changed;
    sweep.record(*store, 4 * 3600);
    CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits + 1);
    auto newest = store->recentScans(1);
    REQUIRE(newest.ok());
    REQUIRE(newest->size() == 1);
    CHECK(newest->front().unit == unitName(0));
    CHECK(newest->front().count == 1);
    CHECK(newest->front().findings == 1);
    // Unchanged again: the new run is extended, not repeated.
    sweep.record(*store, 5 * 3600);
    CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits + 1);
    CHECK(store->recentScans(1)->front().count == 2);
    CHECK(toUnix(store->recentScans(1)->front().last_started_at) == testing::kT0 + 5 * 3600);
  }
  SUBCASE("a failed scan starts a run, and so does the next good one") {
    UnitScan failed = fakeScan(unitName(3), at(4 * 3600), TargetKind::Endpoint);
    failed.success = false;
    REQUIRE(store->recordScan(failed, {sweep.results[3]}).ok());
    REQUIRE(store->recordScan(failed, {sweep.results[3]}).ok());
    CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits + 1);
    CHECK(raw.integer("SELECT scan_count FROM scans WHERE outcome = 'failed'") == 2);
    sweep.record(*store, 5 * 3600);
    CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits + 2);
  }
}

TEST_CASE("A restart and a pruned run each start a new run; nothing is lost") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  Sweep sweep;
  {
    auto store = testing::openStore(path);
    sweep.record(*store, 0);
    sweep.record(*store, 3600);
  }
  auto store = testing::openStore(path);
  RawDb raw(path);
  sweep.record(*store, 7200);
  CHECK(raw.integer("SELECT count(*) FROM scans") == 2 * kUnits);
  CHECK(raw.integer("SELECT sum(scan_count) FROM scans") == 3 * kUnits);

  // Every run ends before the cutoff: all are pruned, the next sweep starts new ones.
  CHECK(*store->pruneBefore(at(7201)) == 2 * kUnits);
  sweep.record(*store, 10800);
  CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits);
  CHECK(raw.integer("SELECT sum(scan_count) FROM scans") == kUnits);
  CHECK(raw.integer("SELECT min(started_at) FROM scans") == testing::kT0 + 10800);
}

TEST_CASE("Pruning keeps a run whose newest scan is within the retention") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  RawDb raw(path);
  Sweep sweep;
  for (int day = 0; day <= 40; ++day) sweep.record(*store, day * 86400);
  CHECK(*store->pruneBefore(at(10 * 86400)) == 0);
  CHECK(raw.integer("SELECT count(*) FROM scans") == kUnits);
  CHECK(raw.integer("SELECT min(scan_count) FROM scans") == 41);
}

}  // namespace
}  // namespace certvigil::storage
