// Scale check for StateStore: a unit of 100,000 targets (CERTVIGIL_STORAGE_SCALE overrides the
// count). Prints timings and memory with MESSAGE (run with -s or ctest -V to see them) and
// fails when an unchanged rescan is not O(1) in writes or not far cheaper than the cold scan.
#include <doctest/doctest.h>
#include <malloc.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>

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

int scale() {
  const char* value = std::getenv("CERTVIGIL_STORAGE_SCALE");
  return value != nullptr ? std::atoi(value) : 100000;
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

template <typename F>
double timed(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return millisecondsSince(start);
}

double heapMegabytes() { return static_cast<double>(mallinfo2().uordblks) / 1e6; }

// `targets` files under one glob; every tenth has an expires_soon finding on its leaf.
std::vector<TargetResultPtr> makeResults(int targets, int distinct_certificates,
                                         Severity severity) {
  std::vector<CertificateFactsPtr> certificates;
  for (int i = 0; i < distinct_certificates; ++i) certificates.push_back(fakeCertificate(i));
  std::vector<TargetResultPtr> results;
  results.reserve(static_cast<size_t>(targets));
  for (int i = 0; i < targets; ++i) {
    const auto& leaf = certificates[static_cast<size_t>(i % distinct_certificates)];
    std::vector<Finding> findings;
    if (i % 10 == 0) {
      findings.push_back(fakeFinding(FindingCode::ExpiresSoon, leaf, 0, severity,
                                     "certificate expires in 20 days"));
    }
    results.push_back(fakeResult("/srv/certs/**/*.pem",
                                 "/srv/certs/tenant-" + std::to_string(i / 1000) + "/service-" +
                                     std::to_string(i) + ".pem",
                                 {leaf}, std::move(findings)));
  }
  return results;
}

void measure(int distinct_certificates) {
  const int targets = scale();
  const std::string unit = "/srv/certs/**/*.pem";
  testing::TempDir dir;
  const auto path = dir / "certvigil.db";
  const auto results = makeResults(targets, distinct_certificates, Severity::Warning);
  auto store = testing::openStore(path);

  const double cold =
      timed([&] { REQUIRE(store->recordScan(fakeScan(unit, at(0)), results).ok()); });
  int64_t before = store->rowsWritten();
  const double same_objects =
      timed([&] { REQUIRE(store->recordScan(fakeScan(unit, at(600)), results).ok()); });
  CHECK(store->rowsWritten() - before == 2);
  const auto equal = makeResults(targets, distinct_certificates, Severity::Warning);
  before = store->rowsWritten();
  const double equal_values =
      timed([&] { REQUIRE(store->recordScan(fakeScan(unit, at(1200)), equal).ok()); });
  CHECK(store->rowsWritten() - before == 2);
  const double fixed =
      timed([&] { REQUIRE(store->recordScan(fakeScan("empty", at(1200)), {}).ok()); });

  const auto escalated = makeResults(targets, distinct_certificates, Severity::Critical);
  const int64_t before_escalation = store->rowsWritten();
  const double changed =
      timed([&] { REQUIRE(store->recordScan(fakeScan(unit, at(7200)), escalated).ok()); });
  CHECK(store->rowsWritten() - before_escalation == 2 + (targets + 9) / 10);

  store.reset();
  const double heap_before = heapMegabytes();
  const int64_t sqlite_before = sqlite3_memory_used();
  const double reopen = timed([&] { store = testing::openStore(path); });
  const double heap = heapMegabytes() - heap_before;
  const double sqlite = static_cast<double>(sqlite3_memory_used() - sqlite_before) / 1e6;
  const int64_t before_reopened = store->rowsWritten();
  const double after_reopen =
      timed([&] { REQUIRE(store->recordScan(fakeScan(unit, at(10800)), escalated).ok()); });
  CHECK(store->rowsWritten() - before_reopened == 2);

  MESSAGE(targets << " targets, " << distinct_certificates << " distinct certificates:"
                  << "\n  cold scan                              " << cold << " ms"
                  << "\n  unchanged rescan, same result objects  " << same_objects << " ms"
                  << "\n  unchanged rescan, equal new objects    " << equal_values << " ms"
                  << "\n  scan of an empty unit (tx + fsync)     " << fixed << " ms"
                  << "\n  rescan, 10% of findings escalated      " << changed << " ms"
                  << "\n  reopen (migrate check + load state)    " << reopen << " ms"
                  << "\n  unchanged rescan after reopen          " << after_reopen << " ms"
                  << "\n  heap after reopen " << heap << " MB: SQLite " << sqlite
                  << " MB, in-memory state " << heap - sqlite << " MB"
                  << "\n  database file     "
                  << static_cast<double>(std::filesystem::file_size(path)) / 1e6 << " MB");
  // Machine-independent: an unchanged rescan reads no SQL and writes two rows.
  CHECK(same_objects * 10 < cold);
  CHECK(equal_values * 10 < cold);
  CHECK(after_reopen * 10 < cold);
  CHECK(heap - sqlite < 50.0 * targets / 100000);
}

TEST_CASE("100k targets sharing 100 certificates") { measure(100); }

TEST_CASE("100k targets with a certificate each") { measure(scale()); }

}  // namespace
}  // namespace certvigil::storage
