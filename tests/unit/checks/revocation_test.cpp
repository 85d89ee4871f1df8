// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/revocation_test.cpp: revoked, revocation_unknown.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> revocation(const Observation& obs) {
  return checkRevocation(obs, defaultPolicy(), kNow);
}

RevocationFacts crlSays(const std::string& fingerprint, int position, bool revoked,
                        TimePoint next_update) {
  RevocationFacts r;
  r.fingerprint = fingerprint;
  r.position = position;
  r.revoked = revoked;
  r.covered = true;
  r.next_update = next_update;
  if (revoked) {
    r.revoked_at = kNow - 2 * kDay;
    r.reason = "keyCompromise";
  }
  return r;
}

TEST_CASE("revoked") {
  SUBCASE("a revoked leaf, with date and reason") {
    const auto findings =
        revocation(Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, true, kNow + kDay)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::Revoked);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message ==
          "leaf CN=api is revoked since 2026-11-20T12:00:00Z (keyCompromise) according to its CRL");
    CHECK(contains(f.remedy, "new key"));
  }
  SUBCASE("a stale CRL that lists it still says revoked, never revocation_unknown") {
    const auto findings =
        revocation(Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, true, kNow - kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::Revoked);
  }
  SUBCASE("a revoked old cross-sign off the valid path does not page") {
    CHECK(revocation(Obs()
                         .cert(Cert("api"))
                         .cert(Cert("Old Int").ca())
                         .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Root CA"})
                         .revocation(crlSays("fp-Old Int", 1, true, kNow + kDay)))
              .empty());
  }
  SUBCASE("silent when the CRL covers it and does not list it") {
    CHECK(revocation(Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, false, kNow + kDay)))
              .empty());
  }
}

TEST_CASE("revocation_unknown") {
  SUBCASE("a covering CRL past its nextUpdate is stale") {
    const auto findings = revocation(
        Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, false, kNow - 3 * kDay)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::RevocationUnknown);
    CHECK(f.severity == Severity::Warning);
    CHECK(f.fingerprint == "fp-api");
    CHECK(contains(f.message, "stale (nextUpdate 2026-11-19T12:00:00Z, 3 days ago)"));
    CHECK(contains(f.remedy, "CRL"));
  }
  SUBCASE("nextUpdate == now is not stale yet; one second later it is") {
    CHECK(
        revocation(Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, false, kNow))).empty());
    CHECK(
        revocation(Obs().cert(Cert("api")).revocation(crlSays("fp-api", 0, false, kNow - kSecond)))
            .size() == 1);
  }
  SUBCASE("silent without a covering CRL or without a nextUpdate") {
    RevocationFacts uncovered = crlSays("fp-api", 0, false, kNow - kDay);
    uncovered.covered = false;
    CHECK(revocation(Obs().cert(Cert("api")).revocation(uncovered)).empty());
    RevocationFacts noNext = crlSays("fp-api", 0, false, kNow);
    noNext.next_update.reset();
    CHECK(revocation(Obs().cert(Cert("api")).revocation(noNext)).empty());
  }
  SUBCASE("facts without a fingerprint are matched by position") {
    const auto findings =
        revocation(Obs().cert(Cert("api")).revocation(crlSays("", 0, false, kNow - kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].fingerprint == "fp-api");
  }
}

RevocationFacts fetchedFrom(const std::string& url) {
  RevocationFacts r = crlSays("fp-api", 0, false, kNow + kDay);
  r.source = RevocationSource::Crl;
  r.url = url;
  return r;
}

TEST_CASE("revoked: from a CRL fetched from its distribution point") {
  RevocationFacts r = fetchedFrom("http://crl.example/ca.crl");
  r.revoked = true;
  r.revoked_at = kNow - 2 * kDay;
  r.reason = "keyCompromise";
  const auto findings = revocation(Obs().cert(Cert("api")).revocation(r));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == FindingCode::Revoked);
  CHECK(findings[0].severity == Severity::Critical);
  CHECK(findings[0].message ==
        "leaf CN=api is revoked since 2026-11-20T12:00:00Z (keyCompromise) according to its CRL "
        "at http://crl.example/ca.crl");
}

TEST_CASE("revocation_unknown: a CRL that could not be fetched names the URL and the reason") {
  RevocationFacts r = fetchedFrom("http://crl.example/ca.crl");
  r.covered = false;
  r.next_update.reset();
  r.problem = "cannot fetch its CRL from http://crl.example/ca.crl: Timeout was reached";
  SUBCASE("a warning by default, never revoked") {
    const auto findings = revocation(Obs().cert(Cert("api")).revocation(r));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::RevocationUnknown);
    CHECK(findings[0].severity == Severity::Warning);
    CHECK(contains(findings[0].message, "Timeout was reached"));
    CHECK(contains(findings[0].remedy, "http://crl.example/ca.crl"));
    CHECK(contains(findings[0].remedy, "reachable"));
  }
  SUBCASE("critical with soft_fail: false") {
    r.hard_fail = true;
    const auto findings = revocation(Obs().cert(Cert("api")).revocation(r));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Critical);
  }
  SUBCASE("a fetched CRL past its nextUpdate is stale, and the remedy asks the CA") {
    RevocationFacts stale = fetchedFrom("http://crl.example/ca.crl");
    stale.next_update = kNow - kDay;
    const auto findings = revocation(Obs().cert(Cert("api")).revocation(stale));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message, "its CRL at http://crl.example/ca.crl is stale"));
    CHECK(contains(findings[0].remedy, "the CA must publish a fresh CRL"));
  }
}

}  // namespace
}  // namespace certvigil::checks
