// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/transitions_test.cpp: every transition of a finding, and a change of the
// certificate a target presents, becomes exactly one event, written by the transaction that
// records the scan (002_alerts.sql's triggers), through the real StateStore.
#include <doctest/doctest.h>

#include "tests/unit/alerts/alerts_fixtures.h"

namespace certvigil::testing {
namespace {

using certvigil::EventKind;

struct OneTarget {
  AlertDb db;
  CertificateFactsPtr cert = fakeCertificate(1);

  void scan(int64_t offset, std::vector<Finding> findings,
            std::vector<CertificateFactsPtr> certs = {}) {
    if (certs.empty()) certs = {cert};
    const Status status = db.store->recordScan(
        fakeScan("files", at(offset)), {fakeResult("files", "/etc/a.pem", certs, findings)});
    REQUIRE(status.ok());
  }
  Finding expiring(Severity severity, const std::string& message) const {
    return fakeFinding(FindingCode::ExpiresSoon, cert, 0, severity, message);
  }
};

TEST_CASE("a finding that appears is one firing event with the certificate's facts") {
  OneTarget t;
  t.scan(0, {t.expiring(Severity::Warning, "expires in 20 days")});
  const auto events = t.db.events();
  REQUIRE(events.size() == 1);
  const auto& e = events[0];
  CHECK(e.kind == EventKind::Firing);
  CHECK(e.code == "expires_soon");
  CHECK(e.severity == "warning");
  CHECK(e.target == "/etc/a.pem");
  CHECK(e.unit == "files");
  CHECK(e.target_kind == "file");
  CHECK(e.message == "expires in 20 days");
  CHECK(e.fingerprint == t.cert->fingerprint_sha256);
  CHECK(e.subject == "CN=cert-1");
  CHECK(e.issuer == "CN=Test CA");
  CHECK(e.serial == t.cert->serial);
  CHECK(e.not_after == t.cert->not_after);
  CHECK(e.first_seen == at(0));
  CHECK(e.uid.size() == 36);
  CHECK(e.uid[14] == '4');  // UUID version 4
}

TEST_CASE("severity changes are events, message-only changes are not, resolution is one") {
  OneTarget t;
  t.scan(0, {t.expiring(Severity::Warning, "expires in 8 days")});
  t.scan(3600, {t.expiring(Severity::Warning, "expires in 7 days 23 hours")});
  CHECK(t.db.events().size() == 1);
  t.scan(7200, {t.expiring(Severity::Critical, "expires in 7 days")});
  t.scan(9000, {t.expiring(Severity::Critical, "expires in 6 days")});
  t.scan(10800, {});
  t.scan(14400, {});
  const auto events = t.db.events();
  REQUIRE(events.size() == 3);
  CHECK(events[1].kind == EventKind::SeverityChanged);
  CHECK(events[1].severity == "critical");
  CHECK(events[1].previous_severity == "warning");
  CHECK(events[1].message == "expires in 7 days");
  CHECK(events[2].kind == EventKind::Resolved);
  CHECK(events[2].severity == "critical");
  CHECK(events[2].resolved_at == at(10800));
  // Distinct, stable ids: read again, the same.
  CHECK(events[0].uid != events[1].uid);
  CHECK(t.db.events()[2].uid == events[2].uid);
}

TEST_CASE("a finding that comes back after clearing fires again") {
  OneTarget t;
  t.scan(0, {t.expiring(Severity::Warning, "m")});
  t.scan(60, {});
  t.scan(120, {t.expiring(Severity::Warning, "m")});
  const auto events = t.db.events();
  REQUIRE(events.size() == 3);
  CHECK(events[2].kind == EventKind::Firing);
}

TEST_CASE("a target that disappears resolves its findings") {
  OneTarget t;
  t.scan(0, {t.expiring(Severity::Critical, "m")});
  REQUIRE(t.db.store->recordScan(fakeScan("files", at(60)), {}).ok());
  const auto events = t.db.events();
  REQUIRE(events.size() == 2);
  CHECK(events[1].kind == EventKind::Resolved);
}

TEST_CASE("a target presenting another certificate is one certificate_changed event") {
  OneTarget t;
  t.scan(0, {});
  CHECK(t.db.events().empty());
  const auto renewed = fakeCertificate(2);
  t.scan(60, {}, {renewed});
  t.scan(120, {}, {renewed});
  const auto events = t.db.events();
  REQUIRE(events.size() == 1);
  const auto& e = events[0];
  CHECK(e.kind == EventKind::CertificateChanged);
  CHECK(e.code == "certificate_changed");
  CHECK(e.severity == "info");
  CHECK(e.fingerprint == renewed->fingerprint_sha256);
  CHECK(e.previous_fingerprint == t.cert->fingerprint_sha256);
  CHECK(e.subject == "CN=cert-2");
  CHECK(e.message.find("CN=cert-1") != std::string::npos);
}

TEST_CASE("events are written in the scan's transaction: no scan without its events") {
  OneTarget t;
  RawDb raw(t.db.path);
  raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END");
  const Status failed = t.db.store->recordScan(
      fakeScan("files", at(0)),
      {fakeResult("files", "/etc/a.pem", {t.cert}, {t.expiring(Severity::Critical, "m")})});
  CHECK_FALSE(failed.ok());
  CHECK(raw.integer("SELECT count(*) FROM findings") == 0);
  CHECK(raw.integer("SELECT count(*) FROM scans") == 0);
  raw.exec("DROP TRIGGER refuse");
  t.scan(60, {t.expiring(Severity::Critical, "m")});
  CHECK(raw.integer("SELECT count(*) FROM findings") == 1);
  CHECK(t.db.events().size() == 1);
}

TEST_CASE("history pruning deletes old events") {
  OneTarget t;
  t.scan(0, {t.expiring(Severity::Critical, "m")});
  REQUIRE(t.db.events().size() == 1);
  const TimePoint created = t.db.events()[0].created_at;
  REQUIRE(t.db.store->pruneBefore(created).ok());
  CHECK(t.db.events().size() == 1);
  REQUIRE(t.db.store->pruneBefore(created + Seconds(1)).ok());
  CHECK(t.db.events().empty());
}

}  // namespace
}  // namespace certvigil::testing
