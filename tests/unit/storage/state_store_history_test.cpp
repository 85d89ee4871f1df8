// SPDX-License-Identifier: Apache-2.0
// Tests for StateStore history: findings that resolve and return, targets that go and come
// back, retired units, pruning, recent scans, and a writer killed mid-transaction.
#include "storage/state_store.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

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

TEST_CASE("A finding appears, resolves, and comes back as a new interval") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  RawDb raw(dir / "certvigil.db");
  const auto leaf = fakeCertificate(1);
  auto with = fakeResult("u", "/a.pem", {leaf},
                         {fakeFinding(FindingCode::WeakKey, leaf, 0, Severity::Warning)});
  auto without = fakeResult("u", "/a.pem", {leaf});

  REQUIRE(store->recordScan(fakeScan("u", at(0)), {with}).ok());
  REQUIRE(store->recordScan(fakeScan("u", at(100)), {with}).ok());
  REQUIRE(store->recordScan(fakeScan("u", at(200)), {without}).ok());
  CHECK(store->activeFindings()->empty());
  CHECK(raw.integer("SELECT resolved_at FROM findings") == testing::kT0 + 200);
  CHECK(raw.integer("SELECT last_seen FROM findings") == testing::kT0 + 100);
  CHECK(store->inventory()->front().finding_codes.empty());

  REQUIRE(store->recordScan(fakeScan("u", at(300)), {with}).ok());
  CHECK(raw.integer("SELECT count(*) FROM findings") == 2);
  auto active = store->activeFindings();
  REQUIRE(active->size() == 1);
  CHECK(toUnix(active->front().first_seen) == toUnix(at(300)));
  CHECK(raw.integer("SELECT count(*) FROM observations") == 1);  // the certificate stayed
}

TEST_CASE("A target missing from its unit's scan is gone; one that returns is present again") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  RawDb raw(dir / "certvigil.db");
  const auto a = fakeCertificate(1);
  const auto b = fakeCertificate(2);
  auto result_a = fakeResult("glob", "/a.pem", {a},
                             {fakeFinding(FindingCode::Expired, a, 0, Severity::Critical)});
  auto result_b = fakeResult("glob", "/b.pem", {b});
  REQUIRE(store->recordScan(fakeScan("glob", at(0)), {result_a, result_b}).ok());
  REQUIRE(store->recordScan(fakeScan("other", at(0)), {fakeResult("other", "/c.pem", {a})}).ok());

  REQUIRE(store->recordScan(fakeScan("glob", at(100)), {result_b}).ok());
  CHECK(raw.integer("SELECT gone_at FROM targets WHERE name = '/a.pem'") == testing::kT0 + 100);
  CHECK(raw.integer("SELECT last_seen FROM targets WHERE name = '/a.pem'") == testing::kT0);
  CHECK(raw.integer("SELECT count(*) FROM observations o JOIN targets t ON t.id = o.target_id"
                    " WHERE t.name = '/a.pem' AND o.ended_at IS NULL") == 0);
  CHECK(store->activeFindings()->empty());
  auto rows = store->inventory();
  REQUIRE(rows->size() == 2);  // /b.pem, and /c.pem of the other unit is untouched
  CHECK((*rows)[0].target == "/b.pem");
  CHECK((*rows)[1].target == "/c.pem");

  REQUIRE(store->recordScan(fakeScan("glob", at(200)), {result_a, result_b}).ok());
  CHECK(raw.integer("SELECT count(*) FROM targets") == 3);
  CHECK(raw.integer("SELECT gone_at IS NULL AND last_seen IS NULL FROM targets"
                    " WHERE name = '/a.pem'") == 1);
  CHECK(raw.integer("SELECT first_seen FROM targets WHERE name = '/a.pem'") == testing::kT0);
  CHECK(store->inventory()->size() == 3);
  CHECK(store->activeFindings()->size() == 1);
}

TEST_CASE("retireUnitsExcept ends what units no longer configured were watching") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const auto leaf = fakeCertificate(1);
  REQUIRE(store->recordScan(fakeScan("kept", at(0)), {fakeResult("kept", "/k.pem", {leaf})}).ok());
  REQUIRE(store
              ->recordScan(
                  fakeScan("dropped", at(0)),
                  {fakeResult("dropped", "/d.pem", {leaf},
                              {fakeFinding(FindingCode::WeakKey, leaf, 0, Severity::Warning)})})
              .ok());
  auto retired = store->retireUnitsExcept({"kept"}, at(50));
  REQUIRE(retired.ok());
  CHECK(*retired == 1);
  CHECK(store->activeFindings()->empty());
  REQUIRE(store->inventory()->size() == 1);
  CHECK(store->inventory()->front().unit == "kept");
  CHECK(*store->retireUnitsExcept({"kept"}, at(60)) == 0);  // nothing left to retire
}

TEST_CASE("pruneBefore deletes old history and unreferenced certificates, keeps the present") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  RawDb raw(path);
  const auto old_cert = fakeCertificate(1);
  const auto new_cert = fakeCertificate(2);
  const auto kept_cert = fakeCertificate(3);
  auto kept = fakeResult("u", "/kept.pem", {kept_cert},
                         {fakeFinding(FindingCode::SelfSigned, kept_cert, 0, Severity::Info)});
  // Day 0: /renewed.pem holds old_cert with a finding; /removed.pem exists.
  REQUIRE(store
              ->recordScan(
                  fakeScan("u", at(0)),
                  {kept,
                   fakeResult("u", "/renewed.pem", {old_cert},
                              {fakeFinding(FindingCode::Expired, old_cert, 0, Severity::Critical)}),
                   fakeResult("u", "/removed.pem", {fakeCertificate(4)})})
              .ok());
  // Day 1: renewed, removed one gone. Day 10: unchanged.
  auto renewed = fakeResult("u", "/renewed.pem", {new_cert});
  REQUIRE(store->recordScan(fakeScan("u", at(86400)), {kept, renewed}).ok());
  REQUIRE(store->recordScan(fakeScan("u", at(10 * 86400)), {kept, renewed}).ok());

  auto pruned = store->pruneBefore(at(5 * 86400));
  REQUIRE(pruned.ok());
  CHECK(*pruned == 1);  // day 0's run; day 1's run goes on to day 10
  CHECK(raw.integer("SELECT count(*) FROM scans") == 1);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE ended_at IS NOT NULL") == 0);
  CHECK(raw.integer("SELECT count(*) FROM findings WHERE resolved_at IS NOT NULL") == 0);
  CHECK(raw.integer("SELECT count(*) FROM targets WHERE name = '/removed.pem'") == 0);
  CHECK(raw.integer("SELECT count(*) FROM certificates") == 2);  // new_cert, kept_cert
  CHECK(store->inventory()->size() == 2);
  CHECK(store->activeFindings()->size() == 1);
  CHECK(store->integrityCheck().ok());

  SUBCASE("a pruned certificate or target seen again is stored again") {
    REQUIRE(store
                ->recordScan(fakeScan("u", at(11 * 86400)),
                             {kept, renewed, fakeResult("u", "/removed.pem", {old_cert})})
                .ok());
    CHECK(raw.integer("SELECT count(*) FROM certificates") == 3);
    CHECK(raw.integer("SELECT first_seen FROM targets WHERE name = '/removed.pem'") ==
          testing::kT0 + 11 * 86400);
    CHECK(store->inventory()->size() == 3);
  }
  SUBCASE("history newer than the cutoff is kept") {
    CHECK(*store->pruneBefore(at(0)) == 0);
    CHECK(raw.integer("SELECT count(*) FROM scans") == 1);
  }
}

TEST_CASE("recentScans returns the newest runs first, at most `limit`") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  // even: 0, 120, 240 (one run); odd: 60 (ok), 180 (failed: a new run).
  for (int i = 0; i < 5; ++i) {
    UnitScan scan = fakeScan(i % 2 == 0 ? "even" : "odd", at(i * 60));
    scan.success = i != 3;
    REQUIRE(store->recordScan(scan, {}).ok());
  }
  auto scans = store->recentScans(3);
  REQUIRE(scans.ok());
  REQUIRE(scans->size() == 3);
  CHECK(toUnix((*scans)[0].started_at) == toUnix(at(180)));
  CHECK((*scans)[0].outcome == "failed");
  CHECK((*scans)[0].unit == "odd");
  CHECK(toUnix((*scans)[1].started_at) == toUnix(at(60)));
  CHECK((*scans)[2].unit == "even");
  CHECK((*scans)[2].count == 3);
  CHECK(toUnix((*scans)[2].started_at) == toUnix(at(0)));
  CHECK(toUnix((*scans)[2].last_started_at) == toUnix(at(240)));
  CHECK((*scans)[0].id > (*scans)[2].id);
  CHECK(store->recentScans(10)->size() == 3);
}

// A child process records a large scan and is killed with SIGKILL while the transaction is
// open (its WAL has started to grow: the page cache spilled); the database must then hold
// all of that scan or none of it.
TEST_CASE("A writer killed mid-transaction leaves a consistent database") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  const auto wal = dir / "certvigil.db-wal";
  testing::openStore(path).reset();
  constexpr int kTargets = 20000;
  std::vector<TargetResultPtr> results;
  for (int i = 0; i < kTargets; ++i) {
    results.push_back(fakeResult("u", "/t/" + std::to_string(i), {fakeCertificate(i % 100)}));
  }
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    auto store = StateStore::open(path);
    if (!store.ok()) _exit(1);
    (void)(*store)->recordScan(fakeScan("u", at(0)), results);
    _exit(0);
  }
  int wstatus = 0;
  bool killed = false;
  for (int i = 0; i < 20000 && waitpid(child, &wstatus, WNOHANG) == 0; ++i) {
    std::error_code ec;
    if (std::filesystem::file_size(wal, ec) > 256 * 1024 && !ec) {
      killed = kill(child, SIGKILL) == 0;
      waitpid(child, &wstatus, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  if (!killed && waitpid(child, &wstatus, WNOHANG) == 0) {
    kill(child, SIGKILL);
    waitpid(child, &wstatus, 0);
    FAIL("the writer neither finished nor grew its WAL");
  }

  auto store = testing::openStore(path);
  CHECK(store->integrityCheck().ok());
  RawDb raw(path);
  const int64_t targets = raw.integer("SELECT count(*) FROM targets");
  const int64_t scans = raw.integer("SELECT count(*) FROM scans");
  MESSAGE(std::string(killed ? "killed" : "finished")
          << " writer left " << targets << " targets, " << scans << " scans");
  // All or nothing (a kill that lands just after COMMIT leaves all of it).
  const bool nothing = targets == 0 && scans == 0;
  const bool everything = targets == kTargets && scans == 1;
  CHECK((nothing || everything));
  CHECK(raw.integer("SELECT count(*) FROM observations") == targets);
  // And the survivor can write.
  REQUIRE(
      store->recordScan(fakeScan("u", at(60)), {fakeResult("u", "/x", {fakeCertificate(1)})}).ok());
}

}  // namespace
}  // namespace certvigil::storage
