// SPDX-License-Identifier: Apache-2.0
// Tests for StateStore::recordScan: what a scan inserts, and that a rescan writes only what
// changed (an unchanged rescan writes the scans row and the unit's last-scan time, nothing else).
#include "storage/state_store.h"

#include <doctest/doctest.h>

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

// Rows an unchanged rescan writes: INSERT INTO scans, UPDATE units.
constexpr int64_t kUnchangedRescanRows = 2;

// Two targets of unit "certs": a.pem (leaf + intermediate, one finding on the leaf) and
// b.pem (another leaf, no finding).
struct TwoTargets {
  CertificateFactsPtr leaf_a = fakeCertificate(1);
  CertificateFactsPtr intermediate = fakeCertificate(2);
  CertificateFactsPtr leaf_b = fakeCertificate(3);

  std::vector<TargetResultPtr> results(Severity severity = Severity::Warning,
                                       const std::string& message = "expires in 20 days") const {
    return {fakeResult("certs", "/etc/ssl/a.pem", {leaf_a, intermediate},
                       {fakeFinding(FindingCode::ExpiresSoon, leaf_a, 0, severity, message)}),
            fakeResult("certs", "/etc/ssl/b.pem", {leaf_b})};
  }
};

TEST_CASE("recordScan stores targets, certificates, observations, findings and the scan") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), scan.results()).ok());

  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("SELECT count(*) FROM units") == 1);
  CHECK(raw.integer("SELECT last_scan_at FROM units") == testing::kT0);
  CHECK(raw.integer("SELECT count(*) FROM targets WHERE gone_at IS NULL") == 2);
  CHECK(raw.integer("SELECT count(*) FROM certificates") == 3);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE ended_at IS NULL") == 3);
  CHECK(raw.integer("SELECT count(*) FROM findings WHERE resolved_at IS NULL") == 1);
  CHECK(raw.text("SELECT key || ' ' || eku FROM certificates WHERE fingerprint = '" +
                 scan.leaf_a->fingerprint_sha256 + "'") == "EC-256 serverAuth");
  CHECK(raw.integer("SELECT length(der) FROM certificates LIMIT 1") == 68);

  auto scans = store->recentScans(10);
  REQUIRE(scans.ok());
  REQUIRE(scans->size() == 1);
  CHECK(scans->front().unit == "certs");
  CHECK(scans->front().outcome == "ok");
  CHECK(scans->front().targets == 2);
  CHECK(scans->front().findings == 1);
  CHECK(scans->front().duration_seconds == doctest::Approx(0.25));
  CHECK(store->integrityCheck().ok());
}

TEST_CASE("inventory lists current certificates with their active findings") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), scan.results()).ok());
  REQUIRE(store->recordScan(fakeScan("certs", at(3600)), scan.results()).ok());

  auto rows = store->inventory();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  const InventoryRow& leaf = (*rows)[0];
  CHECK(leaf.target == "/etc/ssl/a.pem");
  CHECK(leaf.unit == "certs");
  CHECK(std::string(toString(leaf.kind)) == "file");
  CHECK(leaf.position == 0);
  CHECK(leaf.role == "server");
  CHECK(leaf.fingerprint == scan.leaf_a->fingerprint_sha256);
  CHECK(leaf.subject == "CN=cert-1");
  CHECK(leaf.issuer == "CN=Test CA");
  CHECK(leaf.serial == "1001");
  CHECK(toUnix(leaf.not_after) == toUnix(scan.leaf_a->not_after));
  CHECK(toUnix(leaf.first_seen) == toUnix(at(0)));
  CHECK(toUnix(leaf.last_seen) == toUnix(at(3600)));
  CHECK(leaf.finding_codes == std::vector<std::string>{"expires_soon"});
  CHECK(leaf.worst_severity == "warning");
  const InventoryRow& intermediate = (*rows)[1];
  CHECK(intermediate.position == 1);
  CHECK(intermediate.role == "ca");
  CHECK(intermediate.finding_codes.empty());
  CHECK(intermediate.worst_severity.empty());
  CHECK((*rows)[2].target == "/etc/ssl/b.pem");
}

TEST_CASE("activeFindings returns every active finding, worst first") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  auto results = scan.results();
  auto with_more = std::make_shared<TargetResult>(*results[1]);
  with_more->findings.push_back(
      fakeFinding(FindingCode::Expired, scan.leaf_b, 0, Severity::Critical, "expired"));
  Finding rejected = makeFinding(FindingCode::ClientCertRejected, "rejected");
  rejected.cause = RejectCause::UnknownCa;
  with_more->findings.push_back(rejected);
  results[1] = with_more;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), results).ok());

  auto findings = store->activeFindings();
  REQUIRE(findings.ok());
  REQUIRE(findings->size() == 3);
  CHECK(std::string(toString((*findings)[0].finding.severity)) == "critical");
  CHECK(std::string(toString((*findings)[1].finding.severity)) == "critical");
  CHECK(std::string(toString((*findings)[2].finding.code)) == "expires_soon");
  CHECK((*findings)[2].target == "/etc/ssl/a.pem");
  CHECK((*findings)[2].unit == "certs");
  CHECK((*findings)[2].finding.fingerprint == scan.leaf_a->fingerprint_sha256);
  CHECK((*findings)[2].finding.position == 0);
  CHECK((*findings)[2].finding.message == "expires in 20 days");
  CHECK_FALSE((*findings)[2].resolved_at.has_value());
  bool saw_cause = false;
  for (const auto& stored : *findings) {
    if (stored.finding.code != FindingCode::ClientCertRejected) continue;
    saw_cause = stored.finding.cause == RejectCause::UnknownCa && stored.finding.position == -1 &&
                stored.finding.fingerprint.empty();
  }
  CHECK(saw_cause);
}

TEST_CASE("An unchanged rescan writes only the scan and the unit's last-scan time") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  TwoTargets scan;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), scan.results()).ok());
  const int64_t after_first = store->rowsWritten();

  // Equal content in new objects: the store compares values, not pointers.
  REQUIRE(store->recordScan(fakeScan("certs", at(600)), scan.results()).ok());
  CHECK(store->rowsWritten() - after_first == kUnchangedRescanRows);

  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 3);
  CHECK(raw.integer("SELECT count(*) FROM findings") == 1);
  CHECK(raw.integer("SELECT min(first_seen) FROM observations") == testing::kT0);
  CHECK(raw.integer("SELECT count(*) FROM observations WHERE last_seen IS NOT NULL") == 0);

  SUBCASE("also after reopening: the in-memory state is loaded from the file") {
    store.reset();
    store = testing::openStore(path);
    const int64_t before = store->rowsWritten();
    REQUIRE(store->recordScan(fakeScan("certs", at(1200)), scan.results()).ok());
    CHECK(store->rowsWritten() - before == kUnchangedRescanRows);
    auto findings = store->activeFindings();
    REQUIRE(findings.ok());
    REQUIRE(findings->size() == 1);
    CHECK(toUnix(findings->front().first_seen) == toUnix(at(0)));
    CHECK(toUnix(findings->front().last_seen) == toUnix(at(1200)));
  }
}

TEST_CASE("Handing back the same result objects records the scan without a diff") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  auto results = scan.results();
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), results).ok());
  int64_t before = store->rowsWritten();
  REQUIRE(store->recordScan(fakeScan("certs", at(60)), results).ok());
  CHECK(store->rowsWritten() - before == kUnchangedRescanRows);
  CHECK(toUnix(store->inventory()->front().last_seen) == toUnix(at(60)));
  CHECK(store->recentScans(1)->front().targets == 2);
  CHECK(store->recentScans(1)->front().findings == 1);

  SUBCASE("one object replaced: that target is diffed") {
    results[1] = fakeResult("certs", "/etc/ssl/b.pem", {scan.leaf_b},
                            {fakeFinding(FindingCode::WeakKey, scan.leaf_b, 0, Severity::Warning)});
    before = store->rowsWritten();
    REQUIRE(store->recordScan(fakeScan("certs", at(120)), results).ok());
    // The finding row and the alert event its transition writes (002_alerts triggers).
    CHECK(store->rowsWritten() - before == kUnchangedRescanRows + 2);
    CHECK(store->activeFindings()->size() == 2);
  }
  SUBCASE("one object left out: that target is gone") {
    results.pop_back();
    REQUIRE(store->recordScan(fakeScan("certs", at(120)), results).ok());
    CHECK(store->inventory()->size() == 2);
    CHECK(store->recentScans(1)->front().targets == 1);
  }
}

TEST_CASE("Only the targets whose result objects are new get diffed") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  auto results = scan.results();
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), results).ok());
  // Another order, one object new and changed (a second finding), the other handed back.
  std::vector<TargetResultPtr> next = {
      results[1],
      fakeResult("certs", "/etc/ssl/a.pem", {scan.leaf_a, scan.intermediate},
                 {results[0]->findings[0],
                  fakeFinding(FindingCode::WeakKey, scan.intermediate, 1, Severity::Warning)})};
  const int64_t before = store->rowsWritten();
  REQUIRE(store->recordScan(fakeScan("certs", at(60)), next).ok());
  // The finding row and the alert event its transition writes (002_alerts triggers).
  CHECK(store->rowsWritten() - before == kUnchangedRescanRows + 2);
  CHECK(store->activeFindings()->size() == 2);
  CHECK(store->inventory()->size() == 3);
}

TEST_CASE("Results sharing one owner (aliasing shared_ptrs) are told apart by address") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  struct Batch {
    TargetResult a, b, b_with_finding;
  };
  auto batch = std::make_shared<Batch>();
  const auto originals = scan.results();
  batch->a = *originals[0];
  batch->b = *originals[1];
  batch->b_with_finding = *originals[1];
  batch->b_with_finding.findings.push_back(
      fakeFinding(FindingCode::SelfSigned, scan.leaf_b, 0, Severity::Info));
  const TargetResultPtr a(batch, &batch->a);
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), {a, TargetResultPtr(batch, &batch->b)}).ok());
  REQUIRE(store
              ->recordScan(fakeScan("certs", at(60)),
                           {a, TargetResultPtr(batch, &batch->b_with_finding)})
              .ok());
  CHECK(store->activeFindings()->size() == 2);
}

TEST_CASE("After reopening, a scan listing nothing retires every target of the unit") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  TwoTargets scan;
  REQUIRE(testing::openStore(path)->recordScan(fakeScan("certs", at(0)), scan.results()).ok());
  auto store = testing::openStore(path);
  REQUIRE(store->recordScan(fakeScan("certs", at(60)), {}).ok());
  CHECK(store->inventory()->empty());
  CHECK(store->activeFindings()->empty());
  CHECK(RawDb(path).integer("SELECT count(*) FROM targets WHERE gone_at IS NULL") == 0);
}

TEST_CASE("A severity or message change updates the active finding in place") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  TwoTargets scan;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), scan.results(Severity::Warning)).ok());
  const int64_t before = store->rowsWritten();
  REQUIRE(store
              ->recordScan(fakeScan("certs", at(600)),
                           scan.results(Severity::Critical, "expires in 6 days"))
              .ok());
  // The finding row and the alert event its transition writes (002_alerts triggers).
  CHECK(store->rowsWritten() - before == kUnchangedRescanRows + 2);

  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("SELECT count(*) FROM findings") == 1);
  auto findings = store->activeFindings();
  REQUIRE(findings.ok());
  REQUIRE(findings->size() == 1);
  CHECK(std::string(toString(findings->front().finding.severity)) == "critical");
  CHECK(findings->front().finding.message == "expires in 6 days");
  CHECK(toUnix(findings->front().first_seen) == toUnix(at(0)));

  SUBCASE("a message change alone is an update too") {
    const int64_t again = store->rowsWritten();
    REQUIRE(store
                ->recordScan(fakeScan("certs", at(1200)),
                             scan.results(Severity::Critical, "expires in 5 days"))
                .ok());
    CHECK(store->rowsWritten() - again == kUnchangedRescanRows + 1);
    CHECK(raw.text("SELECT message FROM findings") == "expires in 5 days");
  }
}

TEST_CASE("A certificate seen at many targets is stored once") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const auto shared = fakeCertificate(42);
  std::vector<TargetResultPtr> results;
  for (int i = 0; i < 5; ++i) {
    results.push_back(fakeResult("glob", "/srv/" + std::to_string(i) + ".pem", {shared}));
  }
  REQUIRE(store->recordScan(fakeScan("glob", at(0)), results).ok());
  REQUIRE(store
              ->recordScan(fakeScan("other", at(0)),
                           {fakeResult("other", "/opt/x.pem", {fakeCertificate(42)})})
              .ok());
  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("SELECT count(*) FROM certificates") == 1);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 6);
  CHECK(raw.integer("SELECT count(DISTINCT certificate_id) FROM observations") == 1);
}

TEST_CASE("A changed role updates the observation in place") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const auto leaf = fakeCertificate(1);
  auto result = fakeResult("u", "/a.pem", {leaf});
  REQUIRE(store->recordScan(fakeScan("u", at(0)), {result}).ok());
  auto changed = std::make_shared<TargetResult>(*result);
  changed->roles = {ResolvedRole::Client};
  const int64_t before = store->rowsWritten();
  REQUIRE(store->recordScan(fakeScan("u", at(60)), {changed}).ok());
  CHECK(store->rowsWritten() - before == kUnchangedRescanRows + 1);
  auto rows = store->inventory();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().role == "client");
  CHECK(toUnix(rows->front().first_seen) == toUnix(at(0)));
}

TEST_CASE("The same path in two units is two independent targets") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const auto ca = fakeCertificate(7);
  const std::string path = "/etc/nginx/client_ca.pem";
  auto as_file = fakeResult("/etc/nginx/*.pem", path, {ca},
                            {fakeFinding(FindingCode::SelfSigned, ca, 0, Severity::Info)});
  auto as_bundle = fakeResult(path, path, {ca}, {}, TargetKind::Bundle);
  REQUIRE(store->recordScan(fakeScan("/etc/nginx/*.pem", at(0)), {as_file}).ok());
  REQUIRE(store->recordScan(fakeScan(path, at(0), TargetKind::Bundle), {as_bundle}).ok());
  const int64_t before = store->rowsWritten();
  REQUIRE(store->recordScan(fakeScan("/etc/nginx/*.pem", at(60)), {as_file}).ok());
  REQUIRE(store->recordScan(fakeScan(path, at(60), TargetKind::Bundle), {as_bundle}).ok());
  CHECK(store->rowsWritten() - before == 2 * kUnchangedRescanRows);
  auto rows = store->inventory();
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].unit != (*rows)[1].unit);
  auto findings = store->activeFindings();
  REQUIRE(findings.ok());
  REQUIRE(findings->size() == 1);
  CHECK(findings->front().unit == "/etc/nginx/*.pem");
}

TEST_CASE("Duplicates in one scan are recorded once") {
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  const auto leaf = fakeCertificate(1);
  const Finding finding = fakeFinding(FindingCode::WeakKey, leaf, 0, Severity::Warning);
  auto result = std::make_shared<TargetResult>();
  result->observation.target = "/a.pem";
  result->observation.certificates = {{leaf, 0}, {leaf, 0}};  // the same certificate twice
  result->roles = {ResolvedRole::Server, ResolvedRole::Server};
  result->findings = {finding, finding};
  REQUIRE(store->recordScan(fakeScan("u", at(0)), {result, result, nullptr}).ok());
  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("SELECT count(*) FROM targets") == 1);
  CHECK(raw.integer("SELECT count(*) FROM observations") == 1);
  CHECK(raw.integer("SELECT count(*) FROM findings") == 1);
  CHECK(raw.integer("SELECT targets FROM scans") == 1);
}

TEST_CASE("A failed scan writes nothing and leaves the store usable") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  TwoTargets scan;
  REQUIRE(store->recordScan(fakeScan("certs", at(0)), scan.results()).ok());
  // Make the database refuse one particular finding, halfway through the next scan.
  RawDb raw(path);
  raw.exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON findings WHEN NEW.message = 'boom'"
      " BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
  auto results = scan.results();
  results.insert(results.begin(), fakeResult("certs", "/etc/ssl/0.pem", {fakeCertificate(9)}));
  results.push_back(fakeResult("certs", "/etc/ssl/z.pem", {fakeCertificate(10)},
                               {makeFinding(FindingCode::ParseError, "boom")}));
  auto failed = store->recordScan(fakeScan("certs", at(600)), results);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message.find("refused by test") != std::string::npos);
  CHECK(raw.integer("SELECT count(*) FROM targets") == 2);
  CHECK(raw.integer("SELECT count(*) FROM certificates") == 3);
  CHECK(raw.integer("SELECT count(*) FROM scans") == 1);
  CHECK(raw.integer("SELECT last_scan_at FROM units") == testing::kT0);

  // The in-memory state was reloaded: the same scan, minus the refused finding, is recorded
  // in full (a stale cache would skip /etc/ssl/0.pem as already known).
  raw.exec("DROP TRIGGER refuse");
  REQUIRE(store->recordScan(fakeScan("certs", at(1200)), results).ok());
  CHECK(raw.integer("SELECT count(*) FROM targets") == 4);
  CHECK(raw.integer("SELECT count(*) FROM certificates") == 5);
  CHECK(raw.integer("SELECT count(*) FROM findings WHERE resolved_at IS NULL") == 2);
  CHECK(store->integrityCheck().ok());
}

// A sweep of endpoints: one unit per endpoint, recorded together.
std::vector<TargetResultPtr> endpointResult(int n) {
  return {fakeResult("ep" + std::to_string(n), "host" + std::to_string(n) + ":443",
                     {fakeCertificate(100 + n)}, {}, TargetKind::Endpoint)};
}

TEST_CASE("recordScans records a batch of units in one transaction") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto store = testing::openStore(path);
  std::vector<UnitScan> scans;
  std::vector<std::vector<TargetResultPtr>> results;
  for (int n = 0; n < 3; ++n) {
    scans.push_back(fakeScan("ep" + std::to_string(n), at(0), TargetKind::Endpoint));
    results.push_back(endpointResult(n));
  }
  std::vector<StateStore::ScanToRecord> batch;
  for (size_t i = 0; i < scans.size(); ++i) batch.push_back({&scans[i], &results[i]});
  REQUIRE(store->recordScans(batch).ok());
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM units") == 3);
  CHECK(raw.integer("SELECT count(*) FROM targets WHERE gone_at IS NULL") == 3);
  CHECK(raw.integer("SELECT count(*) FROM scans") == 3);

  SUBCASE("one unit the database refuses loses no other unit's scan") {
    raw.exec(
        "CREATE TRIGGER refuse BEFORE INSERT ON targets WHEN NEW.name = 'host9:443'"
        " BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
    scans.push_back(fakeScan("ep9", at(600), TargetKind::Endpoint));
    results.push_back(endpointResult(9));
    scans.push_back(fakeScan("ep4", at(600), TargetKind::Endpoint));
    results.push_back(endpointResult(4));
    batch = {{&scans[3], &results[3]}, {&scans[4], &results[4]}};
    auto recorded = store->recordScans(batch);
    REQUIRE_FALSE(recorded.ok());
    CHECK(recorded.error().message.find("refused by test") != std::string::npos);
    CHECK(raw.integer("SELECT count(*) FROM targets WHERE name = 'host4:443'") == 1);
    CHECK(raw.integer("SELECT count(*) FROM targets WHERE name = 'host9:443'") == 0);
    CHECK(store->integrityCheck().ok());
  }
}

}  // namespace
}  // namespace certvigil::storage
