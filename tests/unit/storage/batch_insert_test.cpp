// SPDX-License-Identifier: Apache-2.0
// Tests for the batched inserts of a large scan (storage/batch_insert.h, ScanRecorder::Pending):
// rows written many per statement, in power-of-two pieces, with the row ids the in-memory state
// uses afterwards to end observations and retire targets.
#include "storage/batch_insert.h"

#include <doctest/doctest.h>

#include <algorithm>
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

// Not a multiple of 128, so every power-of-two piece is used.
constexpr int kTargets = 1037;

std::string targetName(int i) { return "/srv/tls/" + std::to_string(100000 + i) + ".pem"; }

// Target i presents 1 to 3 certificates; the leaf is `leaf_offset + i % 50`; every 7th has a
// finding.
std::vector<TargetResultPtr> scanResults(int leaf_offset, int skip_every) {
  std::vector<TargetResultPtr> results;
  for (int i = 0; i < kTargets; ++i) {
    if (skip_every > 0 && i % skip_every == 0) continue;
    std::vector<CertificateFactsPtr> chain = {fakeCertificate(leaf_offset + i % 50)};
    for (int k = 1; k <= i % 3; ++k) chain.push_back(fakeCertificate(900 + k));
    std::vector<Finding> findings;
    if (i % 7 == 0) {
      findings.push_back(fakeFinding(FindingCode::ExpiresSoon, chain[0], 0, Severity::Warning));
    }
    results.push_back(fakeResult("certs", targetName(i), chain, std::move(findings)));
  }
  return results;
}

// Every current observation as "target|position|fingerprint", sorted, as one string.
std::string currentObservations(const RawDb& raw) {
  return raw.text(
      "SELECT group_concat(x, ';') FROM (SELECT t.name || '|' || o.position || '|' ||"
      " c.fingerprint AS x FROM observations o JOIN targets t ON t.id = o.target_id"
      " JOIN certificates c ON c.id = o.certificate_id WHERE o.ended_at IS NULL ORDER BY x)");
}

std::string expectedObservations(const std::vector<TargetResultPtr>& results) {
  std::vector<std::string> rows;
  for (const auto& r : results) {
    for (const auto& c : r->observation.certificates) {
      rows.push_back(r->observation.target + "|" + std::to_string(c.position) + "|" +
                     c.facts->fingerprint_sha256);
    }
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const auto& row : rows) out += (out.empty() ? "" : ";") + row;
  return out;
}

TEST_CASE("a large first scan is written in batches with the ids the state uses afterwards") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const std::vector<TargetResultPtr> first = scanResults(0, 0);
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), first).ok());

  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("SELECT count(*) FROM targets") == kTargets);
  CHECK(raw.integer("SELECT max(id) FROM targets") == kTargets);  // ids as SQLite assigns them
  int64_t presented = 0;
  for (const auto& r : first) presented += static_cast<int64_t>(r->observation.certificates.size());
  CHECK(raw.integer("SELECT count(*) FROM observations") == presented);
  CHECK(raw.integer("SELECT count(*) FROM findings") == (kTargets + 6) / 7);
  CHECK(currentObservations(raw) == expectedObservations(first));

  // Every 5th target goes, every leaf changes: the state must name the right rows to end.
  const std::vector<TargetResultPtr> second = scanResults(100, 5);
  REQUIRE(store->recordScan(fakeScan("certs", at(60)), second).ok());
  CHECK(currentObservations(raw) == expectedObservations(second));
  CHECK(raw.integer("SELECT count(*) FROM targets WHERE gone_at IS NOT NULL") ==
        (kTargets + 4) / 5);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE ended_at = " +
                    std::to_string(testing::kT0 + 60)) ==
        kTargets + raw.integer("SELECT count(*) FROM observations o JOIN targets t"
                               " ON t.id = o.target_id WHERE t.gone_at IS NOT NULL"
                               " AND o.position > 0"));
  CHECK(store->integrityCheck().ok());

  // Reopened, the state is read back from those rows and agrees with them.
  store.reset();
  store = testing::openStore(dir / "certvigil.db");
  REQUIRE(store->recordScan(fakeScan("certs", at(120)), scanResults(0, 5)).ok());
  CHECK(currentObservations(raw) == expectedObservations(scanResults(0, 5)));
  CHECK(store->integrityCheck().ok());
}

TEST_CASE("BatchInsert writes any number of rows in power-of-two pieces") {
  TempDir dir;
  auto db = Database::open(dir / "t.db");
  REQUIRE(db.ok());
  REQUIRE((*db)->exec("CREATE TABLE t (a INTEGER, b TEXT)").ok());
  auto batch = BatchInsert::prepare(**db, "INSERT INTO t (a, b) VALUES", 2);
  REQUIRE(batch.ok());
  int64_t expected = 0;
  for (const size_t rows : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{300}}) {
    std::vector<std::string> texts;
    for (size_t i = 0; i < rows; ++i) texts.push_back("row " + std::to_string(i));
    REQUIRE(batch
                ->insert(rows,
                         [&](Statement& st, int first, size_t i) {
                           st.bind(first, static_cast<int64_t>(i)).bind(first + 1, texts[i]);
                         })
                .ok());
    expected += static_cast<int64_t>(rows);
    CHECK((*db)->queryInt("SELECT count(*) FROM t").value() == expected);
  }
  CHECK((*db)->queryInt("SELECT count(*) FROM t WHERE b <> 'row ' || a").value() == 0);
  CHECK((*db)->queryInt("SELECT sum(a) FROM t WHERE rowid > 256").value() ==
        299 * 300 / 2);  // the last 300 rows, in order
}

}  // namespace
}  // namespace certvigil::storage
