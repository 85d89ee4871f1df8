// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/renewal_test.cpp: renewal_due from ACME renewal information (RFC 9773),
// on the boundaries of the suggested window, and its horizon.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

RenewalFacts window(TimePoint start, TimePoint end, std::string explanation = {}) {
  RenewalFacts r;
  r.fingerprint = "fp-api";
  r.cert_id = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
  r.url = "http://127.0.0.1:1/renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
  r.window_start = start;
  r.window_end = end;
  r.explanation_url = std::move(explanation);
  return r;
}

std::vector<Finding> renewal(const Observation& obs) {
  return checkRenewal(obs, defaultPolicy(), kNow);
}

TEST_CASE("renewal_due") {
  SUBCASE("a window that has started: a warning with the window and the explanation") {
    const auto findings =
        renewal(Obs()
                    .cert(Cert("api"))
                    .renewal(window(kNow - kDay, kNow + kDay, "https://ca.example/incident/42")));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::RenewalDue);
    CHECK(f.severity == Severity::Warning);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message.find("CN=api") != std::string::npos);
    CHECK(f.message.find(formatRfc3339(kNow - kDay)) != std::string::npos);
    CHECK(f.message.find("ends " + formatRfc3339(kNow + kDay)) != std::string::npos);
    CHECK(f.message.find("see https://ca.example/incident/42") != std::string::npos);
    CHECK(f.remedy.find("renew") != std::string::npos);
  }
  SUBCASE("exactly at the start: due") {
    CHECK(renewal(Obs().cert(Cert("api")).renewal(window(kNow, kNow + kDay))).size() == 1);
  }
  SUBCASE("a second before the start: nothing") {
    CHECK(renewal(Obs().cert(Cert("api")).renewal(window(kNow + Seconds{1}, kNow + kDay))).empty());
  }
  SUBCASE("a window entirely past is still due (the certificate was not renewed)") {
    CHECK(renewal(Obs().cert(Cert("api")).renewal(window(kNow - 3 * kDay, kNow - kDay))).size() ==
          1);
  }
  SUBCASE("a failed request without a window: nothing, whatever the problem") {
    RenewalFacts failed;
    failed.fingerprint = "fp-api";
    failed.problem = "HTTP status 500";
    CHECK(renewal(Obs().cert(Cert("api")).renewal(failed)).empty());
  }
  SUBCASE("a failed refresh keeps the last window in force") {
    RenewalFacts stale = window(kNow - kDay, kNow + kDay);
    stale.problem = "Timeout was reached";
    CHECK(renewal(Obs().cert(Cert("api")).renewal(stale)).size() == 1);
  }
  SUBCASE("facts about a certificate that is not there: nothing") {
    RenewalFacts other = window(kNow - kDay, kNow + kDay);
    other.fingerprint = "fp-gone";
    CHECK(renewal(Obs().cert(Cert("api")).renewal(other)).empty());
  }
}

TEST_CASE("renewal horizon: the window start, or the next time the CA may be asked") {
  const Policy policy = defaultPolicy();
  RenewalFacts r = window(kNow + 2 * kDay, kNow + 3 * kDay);
  CHECK(renewalHorizon(Obs().cert(Cert("api")).renewal(r), policy, kNow) == kNow + 2 * kDay);
  r.next_poll = kNow + Seconds{3600};
  CHECK(renewalHorizon(Obs().cert(Cert("api")).renewal(r), policy, kNow) == kNow + Seconds{3600});
  RenewalFacts started = window(kNow - kDay, kNow + kDay);
  CHECK(renewalHorizon(Obs().cert(Cert("api")).renewal(started), policy, kNow) == TimePoint::max());
  CHECK(renewalHorizon(Obs().cert(Cert("api")), policy, kNow) == TimePoint::max());
}

}  // namespace
}  // namespace certvigil::checks
