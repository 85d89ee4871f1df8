// SPDX-License-Identifier: Apache-2.0
// Tests for keyset paging in storage::HistoryReader: following `next` from the first page lists
// every row exactly once, in the order of the listing in one page, for every paged list (with
// ties on every sort key: one certificate at many targets, one name in two units, findings of
// equal severity); a malformed cursor or one whose row was pruned is refused.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "storage/history_reader.h"
#include "storage/history_sql.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::at;
using testing::fakeCertificate;
using testing::fakeFinding;
using testing::fakeResult;
using testing::fakeScan;
using testing::TempDir;

constexpr int kTargets = 23;

// Units "a" and "b" list the same names; certificates repeat every 4 targets; every third
// target has a warning, every fifth a critical finding. Unit "a" is scanned at 0 and 60 (its
// last three targets gone at 60, their findings resolved), "b" at 0, 60 and 120 (one run each:
// its results change), and the unit "c" 40 times with nothing changing (one run).
void writeHistory(StateStore& store) {
  auto results = [](const std::string& unit, int count) {
    std::vector<TargetResultPtr> out;
    for (int i = 0; i < count; ++i) {
      const auto leaf = fakeCertificate(i % 4);
      std::vector<Finding> findings;
      if (i % 3 == 0)
        findings.push_back(fakeFinding(FindingCode::WeakKey, leaf, 0, Severity::Warning));
      if (i % 5 == 0)
        findings.push_back(fakeFinding(FindingCode::Expired, leaf, 0, Severity::Critical));
      out.push_back(fakeResult(unit, "/srv/" + std::to_string(i) + ".pem",
                               {leaf, fakeCertificate(99)}, findings));
    }
    return out;
  };
  REQUIRE(store.recordScan(fakeScan("a", at(0)), results("a", kTargets)).ok());
  REQUIRE(store.recordScan(fakeScan("a", at(60)), results("a", kTargets - 3)).ok());
  for (int k = 0; k < 3; ++k) {
    REQUIRE(store.recordScan(fakeScan("b", at(int64_t{k} * 60)), results("b", kTargets - k)).ok());
  }
  for (int k = 0; k < 40; ++k) REQUIRE(store.recordScan(fakeScan("c", at(k)), {}).ok());
  for (int k = 0; k < 9; ++k) {
    UnitScan scan = fakeScan("d" + std::to_string(k % 3), at(200 + k));
    scan.success = k % 2 == 0;  // a new run every time
    REQUIRE(store.recordScan(scan, {}).ok());
  }
}

struct Fixture {
  TempDir dir;
  std::unique_ptr<HistoryReader> reader;
  Fixture() {
    auto store = testing::openStore(dir / "certvigil.db");
    writeHistory(*store);
    auto opened = HistoryReader::open(dir / "certvigil.db");
    REQUIRE(opened.ok());
    reader = std::move(*opened);
  }
};

// Every page after `next`, until there is none; the keys of the rows in order.
template <typename Query, typename Fetch, typename Key>
std::vector<std::string> followCursors(Query query, Fetch fetch, Key key, size_t* pages) {
  std::vector<std::string> keys;
  *pages = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = fetch(query);
    REQUIRE(page.ok());
    ++*pages;
    for (const auto& item : page->items) keys.push_back(key(item));
    if (page->next.empty()) break;
    query.after = page->next;
  }
  return keys;
}

template <typename Query, typename Fetch, typename Key>
void checkEveryRowOnce(Query query, Fetch fetch, Key key) {
  Query all = query;
  all.limit = kHistoryMaxLimit;
  auto one = fetch(all);
  REQUIRE(one.ok());
  std::vector<std::string> expected;
  for (const auto& item : one->items) expected.push_back(key(item));
  REQUIRE(expected.size() == one->total);
  REQUIRE(expected.size() > 10);
  query.limit = 7;
  size_t pages = 0;
  const std::vector<std::string> paged = followCursors(query, fetch, key, &pages);
  CHECK(paged == expected);
  CHECK(pages == expected.size() / 7 + 1);
}

TEST_CASE("following `next` lists every row exactly once, in order") {
  Fixture f;
  const HistoryReader& r = *f.reader;
  SUBCASE("targets, present and gone") {
    TargetQuery query;
    query.include_gone = true;
    checkEveryRowOnce(
        query, [&r](const TargetQuery& q) { return r.targets(q); },
        [](const TargetSummary& t) { return std::to_string(t.id); });
    checkEveryRowOnce(
        TargetQuery{}, [&r](const TargetQuery& q) { return r.targets(q); },
        [](const TargetSummary& t) { return std::to_string(t.id); });
  }
  SUBCASE("certificates, with a filter") {
    auto key = [](const PresentedRow& p) {
      return std::to_string(p.target_id) + "/" + std::to_string(p.position);
    };
    auto fetch = [&r](const CertificateQuery& q) { return r.certificates(q); };
    checkEveryRowOnce(CertificateQuery{}, fetch, key);
    CertificateQuery servers;
    servers.role = "server";
    checkEveryRowOnce(servers, fetch, key);
  }
  SUBCASE("findings: active, and all") {
    auto fetch = [&r](const FindingQuery& q) { return r.findings(q); };
    auto key = [](const FindingRow& row) { return std::to_string(row.id); };
    checkEveryRowOnce(FindingQuery{}, fetch, key);
    FindingQuery all;
    all.active = std::nullopt;
    checkEveryRowOnce(all, fetch, key);
  }
  SUBCASE("scans") {
    struct ScanQuery {
      size_t limit = 0;
      std::string after;
    };
    checkEveryRowOnce(
        ScanQuery{}, [&r](const ScanQuery& q) { return r.scans("", q.limit, 0, q.after); },
        [](const ScanSummary& s) { return std::to_string(s.id); });
  }
}

TEST_CASE("a cursor page equals the offset page it replaces") {
  Fixture f;
  CertificateQuery query;
  query.limit = 5;
  auto first = f.reader->certificates(query);
  REQUIRE(first.ok());
  query.after = first->next;
  auto by_cursor = f.reader->certificates(query);
  query.after.clear();
  query.offset = 5;
  auto by_offset = f.reader->certificates(query);
  REQUIRE(by_cursor.ok());
  REQUIRE(by_offset.ok());
  REQUIRE(by_cursor->items.size() == 5);
  CHECK(by_cursor->total == by_offset->total);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(by_cursor->items[i].target_id == by_offset->items[i].target_id);
    CHECK(by_cursor->items[i].position == by_offset->items[i].position);
  }
}

TEST_CASE("a malformed cursor, or one whose row is gone, is refused") {
  Fixture f;
  for (const std::string bad : {"x", "1.2", "", ".", "1.", "99999999999999999999"}) {
    if (bad.empty()) continue;
    TargetQuery targets;
    targets.after = bad;
    auto page = f.reader->targets(targets);
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().code == ErrorCode::Invalid);
  }
  CertificateQuery certificates;
  certificates.after = "1.2.3";
  CHECK(f.reader->certificates(certificates).error().code == ErrorCode::Invalid);
  FindingQuery findings;
  findings.after = "123456";  // no such finding
  CHECK(f.reader->findings(findings).error().code == ErrorCode::Invalid);
  CHECK(f.reader->scans("", 10, 0, "1").error().code == ErrorCode::Invalid);
}

// What SQLite plans for `sql` on the database at `path`: the details of EXPLAIN QUERY PLAN.
std::string queryPlan(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &statement, nullptr) ==
          SQLITE_OK);
  std::string plan;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    plan += "\n";
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return plan;
}

TEST_CASE("the active findings are listed from their index, worst first, then by target id") {
  Fixture f;
  // The first page and a page after a cursor walk findings_listing; nothing sorts all rows.
  const std::string order = " ORDER BY " + history::kActiveFindingKey + " LIMIT 10";
  const std::string first = queryPlan(
      f.dir / "certvigil.db", "SELECT f.id FROM findings f WHERE f.resolved_at IS NULL" + order);
  INFO(first);
  CHECK(first.find("USING INDEX findings_listing") != std::string::npos);
  CHECK(first.find("TEMP B-TREE") == std::string::npos);
  const std::string after = queryPlan(
      f.dir / "certvigil.db", "SELECT f.id FROM findings f WHERE f.resolved_at IS NULL AND " +
                                  history::kActiveFindingSeverity + " >= 1" + order);
  INFO(after);
  CHECK(after.find("SEARCH f USING INDEX findings_listing") != std::string::npos);
  CHECK(after.find("TEMP B-TREE") == std::string::npos);

  auto page = f.reader->findings({});
  REQUIRE(page.ok());
  REQUIRE(page->items.size() > 10);
  const auto rank = [](const FindingRow& row) {
    return row.severity == "critical" ? 2 : row.severity == "warning" ? 1 : 0;
  };
  for (size_t i = 1; i < page->items.size(); ++i) {
    const FindingRow& a = page->items[i - 1];
    const FindingRow& b = page->items[i];
    CHECK(rank(a) >= rank(b));
    if (rank(a) == rank(b)) CHECK(a.target_id <= b.target_id);
  }
}

}  // namespace
}  // namespace certvigil::storage
