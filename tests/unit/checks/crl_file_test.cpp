// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/crl_file_test.cpp: a CRL file a server checks peers against: expired,
// expires_soon, not_yet_valid on its CRLs' dates; revocation_unknown (critical) for a CRL it
// cannot use and for a CA with no CRL; silence for CRLs it never consults.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "checks/checks.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

constexpr const char* kNginx = "nginx (ssl_crl at /etc/nginx/sites-enabled/api:12)";

/// A CRL of "CN=Client CA" issued 10 days ago, valid for 30 days (20 left).
CrlFacts crl(TimePoint next_update = kNow + 20 * kDay) {
  CrlFacts c;
  c.issuer = "CN=Client CA";
  c.this_update = next_update - 30 * kDay;
  c.next_update = next_update;
  return c;
}

Observation crlTarget(std::vector<CrlFacts> crls, std::vector<CrlGap> gaps = {},
                      std::string used_by = kNginx) {
  CrlFileFacts facts;
  facts.crls = std::move(crls);
  facts.gaps = std::move(gaps);
  facts.issuers_given = true;
  facts.used_by = std::move(used_by);
  Observation obs = Obs().crlFile(std::move(facts));
  obs.target = "/etc/nginx/clients.crl";
  return obs;
}

std::vector<Finding> judge(const Observation& obs) {
  return checkCrlFile(obs, defaultPolicy(), kNow);
}

TEST_CASE("expired: nextUpdate has passed, so the server rejects every client") {
  SUBCASE("one second past nextUpdate") {
    const auto findings = judge(crlTarget({crl(kNow - kSecond)}));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::Expired);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint.empty());
    CHECK(f.position == 0);
    CHECK(contains(f.message, "the CRL of CN=Client CA expired"));
    CHECK(contains(f.message, std::string(kNginx) +
                                  " rejects every client certificate issued by CN=Client CA"));
    CHECK(contains(f.message, "(CRL has expired)"));
    CHECK(contains(f.remedy, "openssl ca -gencrl -out /etc/nginx/clients.crl"));
    CHECK(contains(f.remedy, "reload nginx"));
  }
  SUBCASE("two expired CRLs are two findings, told apart by their place in the file") {
    CrlFacts root = crl(kNow - kDay);
    root.issuer = "CN=Root";
    const auto findings = judge(crlTarget({crl(kNow - kDay), root}));
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].key() != findings[1].key());
  }
}

TEST_CASE("expires_soon: the thresholds of a certificate, the CRL's validity as lifetime") {
  // 30-day CRL: warning at min(28 d, 0.33 x 30 d = 9.9 d), critical at min(7 d, 3 d).
  const Seconds warning{855360};
  SUBCASE("fresh: silent") { CHECK(judge(crlTarget({crl()})).empty()); }
  SUBCASE("one second before the warning level: silent") {
    CHECK(judge(crlTarget({crl(kNow + warning + kSecond)})).empty());
  }
  SUBCASE("at the warning level: warning") {
    const auto findings = judge(crlTarget({crl(kNow + warning)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::ExpiresSoon);
    CHECK(findings[0].severity == Severity::Warning);
    CHECK(contains(findings[0].message, "expires in 9 days"));
    CHECK(contains(findings[0].message, "then " + std::string(kNginx) + " rejects every client"));
  }
  SUBCASE("at the critical level: critical") {
    const auto findings = judge(crlTarget({crl(kNow + 3 * kDay)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Critical);
  }
  SUBCASE("nextUpdate == now is still current: expires_soon now, critical") {
    const auto findings = judge(crlTarget({crl(kNow)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::ExpiresSoon);
    CHECK(contains(findings[0].message, "expires now"));
  }
  SUBCASE("no nextUpdate: never stale") {
    CrlFacts c = crl();
    c.next_update.reset();
    CHECK(judge(crlTarget({c})).empty());
  }
}

TEST_CASE("not_yet_valid: thisUpdate in the future") {
  CrlFacts c = crl();
  c.this_update = kNow + kHour;
  const auto findings = judge(crlTarget({c}));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == FindingCode::NotYetValid);
  CHECK(findings[0].severity == Severity::Critical);
  CHECK(contains(findings[0].message, "(CRL is not yet valid)"));
}

TEST_CASE("revocation_unknown, critical: a CRL the server cannot use, a CA without a CRL") {
  SUBCASE("a bad signature") {
    CrlFacts c = crl();
    c.problem = "its signature does not verify with the key of CN=Client CA";
    const auto findings = judge(crlTarget({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::RevocationUnknown);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "(CRL signature failure)"));
    CHECK(contains(findings[0].remedy, "-verify -CAfile"));
  }
  SUBCASE("a CA of the bundle with no CRL in the file") {
    const auto findings = judge(crlTarget({crl()}, {CrlGap{"CN=Root", "fp-root"}}));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::RevocationUnknown);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-root");
    CHECK(contains(f.message, "holds no CRL of CA CN=Root"));
    CHECK(contains(f.message, "(unable to get certificate CRL)"));
    CHECK(contains(f.remedy, ">> /etc/nginx/clients.crl"));
  }
}

TEST_CASE("CRLs the server never consults are not judged") {
  CrlFacts stale = crl(kNow - 10 * kDay);
  SUBCASE("outranked by a current CRL of the same CA") {
    stale.superseded = true;
    CHECK(judge(crlTarget({stale, crl()})).empty());
  }
  SUBCASE("from no CA of the bundle") {
    stale.foreign = true;
    CHECK(judge(crlTarget({stale})).empty());
  }
  SUBCASE("not a CRL file at all") { CHECK(judge(Obs().cert(Cert("api"))).empty()); }
}

TEST_CASE("who rejects: the discovered server, an nginx proxy, or a server configured by hand") {
  SUBCASE("proxy_ssl_crl checks upstream servers") {
    const auto findings =
        judge(crlTarget({crl(kNow - kDay)}, {}, "nginx (proxy_ssl_crl at /etc/nginx/x:3)"));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message, "rejects every upstream server certificate"));
  }
  SUBCASE("by hand") {
    const auto findings = judge(crlTarget({crl(kNow - kDay)}, {}, ""));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message,
                   "a server that checks client certificates against this file rejects"));
    CHECK(contains(findings[0].remedy, "reload the server"));
  }
}

TEST_CASE("horizon: the next threshold, nextUpdate + 1 s, thisUpdate") {
  const Policy policy = defaultPolicy();
  const Observation fresh = crlTarget({crl()});
  CHECK(crlFileHorizon(fresh, policy, kNow) == kNow + 20 * kDay - Seconds{855360});
  const Observation critical = crlTarget({crl(kNow + kDay)});
  CHECK(crlFileHorizon(critical, policy, kNow) == kNow + kDay + kSecond);
  CHECK(crlFileHorizon(Obs().cert(Cert("api")), policy, kNow) == TimePoint::max());
  CHECK(nextChange(fresh, policy, kNow) == kNow + 20 * kDay - Seconds{855360});
}

TEST_CASE("a CRL file is not a file that holds nothing") {
  const auto findings = checkReadProblems(crlTarget({crl()}), defaultPolicy(), kNow);
  CHECK(findings.empty());
}

}  // namespace
}  // namespace certvigil::checks
