// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/expiry_test.cpp: expired, not_yet_valid, expires_soon, and which
// certificates the expiry check judges.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "checks/expiry.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> expiry(const Observation& obs, const Policy& policy = defaultPolicy()) {
  return checkExpiry(obs, policy, kNow);
}

TEST_CASE("expired") {
  SUBCASE("notAfter one second ago is expired, critical, about the leaf") {
    const auto findings = expiry(Obs().cert(Cert("api").expiresIn(-kSecond)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::Expired);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message == "leaf CN=api expired 1 second ago (2026-11-22T11:59:59Z)");
    CHECK(contains(f.remedy, "renew CN=api"));
  }
  SUBCASE("notAfter == now is still valid (RFC 5280: inclusive): expires_soon, not expired") {
    const auto findings = expiry(Obs().cert(Cert("api").expiresIn(Seconds{0})));
    CHECK(countOf(findings, FindingCode::Expired) == 0);
    REQUIRE(countOf(findings, FindingCode::ExpiresSoon) == 1);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "expires now"));
  }
  SUBCASE("an expired intermediate is named as one, at its position") {
    const auto findings =
        expiry(Obs().cert(Cert("api")).cert(Cert("Int CA").ca().expiresIn(-3 * kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].position == 1);
    CHECK(findings[0].message ==
          "intermediate CN=Int CA expired 3 days ago (2026-11-19T12:00:00Z)");
    CHECK(contains(findings[0].remedy, "intermediate"));
  }
  SUBCASE("silent on a healthy certificate") { CHECK(expiry(Obs().cert(Cert("api"))).empty()); }
}

TEST_CASE("not_yet_valid") {
  SUBCASE("notBefore == now is valid") {
    const auto findings = expiry(Obs().cert(Cert("api").validity(kNow, kNow + 90 * kDay)));
    CHECK(findings.empty());
  }
  SUBCASE("notBefore one second ahead is not yet valid, and names the clock") {
    const auto findings =
        expiry(Obs().cert(Cert("api").validity(kNow + kSecond, kNow + 90 * kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::NotYetValid);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(findings[0].fingerprint == "fp-api");
    CHECK(contains(findings[0].message, "not valid until 2026-11-22T12:00:01Z"));
    CHECK(contains(findings[0].message, "clock"));
  }
  SUBCASE("a short certificate starting tomorrow is only not_yet_valid") {
    const auto findings = expiry(Obs().cert(Cert("api").validity(kNow + kDay, kNow + 2 * kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::NotYetValid);
  }
}

struct SoonRow {
  const char* name;
  Seconds left;
  Seconds lifetime;
  int expected;  // -1 none, else a Severity
};

constexpr int kNone = -1;
constexpr int kWarn = static_cast<int>(Severity::Warning);
constexpr int kCrit = static_cast<int>(Severity::Critical);

// 30-day certificate: warning = min(28 d, 0.33 x 30 d = 855360 s), critical = min(7 d, 3 d).
// 24-hour certificate: warning = 0.33 x 24 h = 28512 s, critical = 0.10 x 24 h = 8640 s.
const SoonRow kSoonRows[] = {
    {"90 d: 28 d + 1 s left: nothing", 28 * kDay + kSecond, 90 * kDay, kNone},
    {"90 d: exactly 28 d left: warning", 28 * kDay, 90 * kDay, kWarn},
    {"90 d: 7 d + 1 s left: warning", 7 * kDay + kSecond, 90 * kDay, kWarn},
    {"90 d: exactly 7 d left: critical", 7 * kDay, 90 * kDay, kCrit},
    {"90 d: 1 s left: critical", kSecond, 90 * kDay, kCrit},
    {"30 d: just above a third of the lifetime: nothing", Seconds{855361}, 30 * kDay, kNone},
    {"30 d: exactly 0.33 of the lifetime: warning", Seconds{855360}, 30 * kDay, kWarn},
    {"30 d: a tenth + 1 s: warning", 3 * kDay + kSecond, 30 * kDay, kWarn},
    {"30 d: exactly a tenth of the lifetime: critical", 3 * kDay, 30 * kDay, kCrit},
    {"24 h: 12 h left does not alert", 12 * kHour, 24 * kHour, kNone},
    {"24 h: 28512 s left: warning", Seconds{28512}, 24 * kHour, kWarn},
    {"24 h: 8641 s left: warning", Seconds{8641}, 24 * kHour, kWarn},
    {"24 h: 8640 s left: critical", Seconds{8640}, 24 * kHour, kCrit},
};

TEST_CASE("expires_soon") {
  for (const SoonRow& row : kSoonRows) {
    SUBCASE(row.name) {
      const auto findings = expiry(Obs().cert(Cert("api").expiresIn(row.left, row.lifetime)));
      if (row.expected == kNone) {
        CHECK(findings.empty());
      } else {
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].code == FindingCode::ExpiresSoon);
        CHECK(static_cast<int>(findings[0].severity) == row.expected);
      }
    }
  }
  SUBCASE("message says how long and until when, remedy says renew") {
    const auto findings = expiry(Obs().cert(Cert("api").expiresIn(5 * kDay + 3 * kHour)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message == "leaf CN=api expires in 5 days (2026-11-27T15:00:00Z)");
    CHECK(findings[0].fingerprint == "fp-api");
    CHECK(contains(findings[0].remedy, "renew"));
  }
  SUBCASE("under a day it counts hours") {
    const auto findings = expiry(Obs().cert(Cert("api").expiresIn(11 * kHour)));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message, "expires in 11 hours"));
  }
  SUBCASE("thresholds come from the policy") {
    Policy policy;
    policy.thresholds.warning = 14 * kDay;
    policy.thresholds.critical = 2 * kDay;
    CHECK(expiry(Obs().cert(Cert("api").expiresIn(20 * kDay)), policy).empty());
    const auto findings = expiry(Obs().cert(Cert("api").expiresIn(3 * kDay)), policy);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Warning);
  }
  SUBCASE("a client certificate's remedy talks about its client") {
    const auto findings =
        expiry(Obs().role(Role::Client).cert(Cert("svc").eku(false, true).expiresIn(kDay)));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].remedy, "client certificate CN=svc"));
  }
}

TEST_CASE("expiryLevels: min(days, fraction x lifetime) per level") {
  const Thresholds t;
  const auto levels = [&t](Seconds lifetime) {
    return expiryLevels(*Cert("api").expiresIn(kDay, lifetime).build(), t);
  };
  CHECK(levels(90 * kDay).warning == 28 * kDay);
  CHECK(levels(90 * kDay).critical == 7 * kDay);
  CHECK(levels(30 * kDay).warning == Seconds{855360});
  CHECK(levels(30 * kDay).critical == 3 * kDay);
  CHECK(levels(24 * kHour).warning == Seconds{28512});
  CHECK(levels(24 * kHour).critical == Seconds{8640});
  CHECK(levels(Seconds{0}).warning == Seconds{0});
  CHECK(levels(-kDay).critical == Seconds{0});
}

TEST_CASE("expiry judges only certificates that matter") {
  const Cert leaf("api");
  const Cert intermediate = Cert("Int CA").ca();
  const Cert oldCrossSign = Cert("Int CA (cross)").ca().issuedBy("Old Root").expiresIn(-kDay);
  const Cert sentRoot = Cert("Old Root").root().expiresIn(2 * kDay, 20 * 365 * kDay);
  const std::vector<std::string> path = {"fp-api", "fp-Int CA", "fp-Root CA"};

  SUBCASE("with a valid path, extras off the path never alert") {
    const auto findings = expiry(Obs()
                                     .cert(leaf)
                                     .cert(intermediate)
                                     .cert(oldCrossSign)
                                     .cert(sentRoot)
                                     .chain(ChainStatus::Valid, -1, path));
    CHECK(findings.empty());
  }
  SUBCASE("a certificate on the valid path is judged") {
    const auto findings = expiry(Obs()
                                     .cert(leaf)
                                     .cert(Cert("Int CA").ca().expiresIn(-kDay))
                                     .cert(sentRoot)
                                     .chain(ChainStatus::Valid, -1, path));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::Expired);
    CHECK(findings[0].position == 1);
  }
  SUBCASE("the leaf is judged even if a path omitted it") {
    const auto findings = expiry(Obs()
                                     .cert(Cert("api").expiresIn(-kDay))
                                     .chain(ChainStatus::Valid, -1, {"fp-other", "fp-Root CA"}));
    CHECK(countOf(findings, FindingCode::Expired) == 1);
  }
  SUBCASE("without a valid path every presented certificate is judged") {
    const auto findings = expiry(
        Obs().cert(leaf).cert(oldCrossSign).cert(sentRoot).chain(ChainStatus::Incomplete, 1));
    CHECK(countOf(findings, FindingCode::Expired) == 1);
    CHECK(countOf(findings, FindingCode::ExpiresSoon) == 1);
  }
  SUBCASE("a bundle judges all its certificates") {
    const auto findings = expiry(Obs()
                                     .kind(TargetKind::Bundle)
                                     .cert(sentRoot)
                                     .cert(oldCrossSign)
                                     .chain(ChainStatus::Valid, -1, {"fp-unrelated"}));
    CHECK(findings.size() == 2);
    const Finding* soon = findCode(findings, FindingCode::ExpiresSoon);
    REQUIRE(soon != nullptr);
    CHECK(contains(soon->message, "root CN=Old Root"));
    CHECK(contains(soon->remedy, "successor"));
  }
  SUBCASE("the same certificate presented twice is one finding") {
    const Cert expired = Cert("api").expiresIn(-kDay);
    CHECK(expiry(Obs().cert(expired).cert(expired)).size() == 1);
  }
}

}  // namespace
}  // namespace certvigil::checks
