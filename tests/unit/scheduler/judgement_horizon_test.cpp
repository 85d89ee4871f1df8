// SPDX-License-Identifier: Apache-2.0
// scheduler/judgementHorizon: the next instant a finding could change, on synthetic
// observations at a fixed now. Too early costs a re-judge; too late hides a finding, so the
// property test below walks time horizon by horizon and checks nothing changes in between.
#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>

#include "checks/checks.h"
#include "checks/expiry.h"
#include "scheduler/unit_scanner.h"
#include "tests/unit/scheduler/time_string.h"

namespace certvigil::scheduler {
namespace {

constexpr TimePoint kNow{Seconds{1795348800}};  // 2026-11-22T12:00:00Z
constexpr Seconds kSecond{1};
constexpr Seconds kMinute{60};
constexpr Seconds kHour{3600};
constexpr Seconds kDay{86400};

CertificateFactsPtr cert(TimePoint not_before, TimePoint not_after, std::string name = "leaf") {
  auto f = std::make_shared<CertificateFacts>();
  f->fingerprint_sha256 = "fp-" + name;
  f->subject = "CN=" + name;
  f->issuer = "CN=Int CA";
  f->common_name = name;
  f->not_before = not_before;
  f->not_after = not_after;
  f->has_eku = true;
  f->eku_server_auth = true;
  f->key_type = KeyType::Ec;
  f->key_bits = 256;
  f->signature_algorithm = "ecdsa-with-SHA256";
  f->signature_digest = "sha256";
  return f;
}

Observation observe(std::vector<CertificateFactsPtr> certs) {
  Observation obs;
  obs.target = "/etc/ssl/test.pem";
  int position = 0;
  for (auto& c : certs) obs.certificates.push_back({std::move(c), position++});
  return obs;
}

// A 90-day certificate: warning at 28 days left (0.33 x 90 d = 29.7 d is larger), critical
// at 7 days left (0.10 x 90 d = 9 d is larger).
CertificateFactsPtr ninetyDays(TimePoint not_after) {
  return cert(not_after - 90 * kDay, not_after);
}

}  // namespace

TEST_CASE("judgementHorizon: nothing due within the hour: now + 1 h") {
  const Policy policy;
  CHECK(judgementHorizon(observe({}), policy, kNow) == kNow + kHour);
  CHECK(judgementHorizon(observe({ninetyDays(kNow + 60 * kDay)}), policy, kNow) == kNow + kHour);
  // Long expired and never valid again: still re-judged hourly (messages quote the time).
  CHECK(judgementHorizon(observe({ninetyDays(kNow - 10 * kDay)}), policy, kNow) == kNow + kHour);
}

TEST_CASE("judgementHorizon: each boundary, just before it and exactly on it") {
  const Policy policy;
  const TimePoint end = kNow + 60 * kDay;
  const Observation obs = observe({ninetyDays(end)});
  const checks::ExpiryLevels levels =
      checks::expiryLevels(*obs.certificates[0].facts, policy.thresholds);
  REQUIRE(levels.warning == 28 * kDay);
  REQUIRE(levels.critical == 7 * kDay);

  SUBCASE("notBefore in the future") {
    const TimePoint start = kNow + 100 * kSecond;
    const Observation notyet = observe({cert(start, start + 90 * kDay)});
    CHECK(judgementHorizon(notyet, policy, kNow) == start);
    // From notBefore on it is valid: the next change is far away.
    CHECK(judgementHorizon(notyet, policy, start) == start + kHour);
  }
  SUBCASE("the warning crossing") {
    const TimePoint warn = end - levels.warning;
    CHECK(judgementHorizon(obs, policy, warn - 10 * kSecond) == warn);
    CHECK(judgementHorizon(obs, policy, warn - kSecond) == warn);
    CHECK(judgementHorizon(obs, policy, warn) == warn + kHour);
  }
  SUBCASE("the critical crossing") {
    const TimePoint crit = end - levels.critical;
    CHECK(judgementHorizon(obs, policy, crit - 30 * kSecond) == crit);
    CHECK(judgementHorizon(obs, policy, crit) == crit + kHour);
  }
  SUBCASE("expiry: notAfter is the last valid second, expired from notAfter + 1") {
    CHECK(judgementHorizon(obs, policy, end - 5 * kSecond) == end + kSecond);
    CHECK(judgementHorizon(obs, policy, end) == end + kSecond);
    CHECK(judgementHorizon(obs, policy, end + kSecond) == end + kSecond + kHour);
  }
}

TEST_CASE("judgementHorizon: thresholds from the policy and from the lifetime fraction") {
  SUBCASE("--warn-days 30 --crit-days 21") {
    Policy policy;
    policy.thresholds.warning = 30 * kDay;
    policy.thresholds.critical = 21 * kDay;
    const TimePoint end = kNow + 100 * kDay;
    const Observation obs = observe({cert(end - 365 * kDay, end)});
    CHECK(judgementHorizon(obs, policy, end - 30 * kDay - kMinute) == end - 30 * kDay);
    CHECK(judgementHorizon(obs, policy, end - 21 * kDay - kMinute) == end - 21 * kDay);
  }
  SUBCASE("a 24-hour certificate: 0.33 and 0.10 of its lifetime") {
    const Policy policy;
    const TimePoint start = kNow - kHour;
    const TimePoint end = start + kDay;
    const Observation obs = observe({cert(start, end)});
    const TimePoint warn = end - Seconds{28512};  // 0.33 x 86400
    const TimePoint crit = end - Seconds{8640};   // 0.10 x 86400
    CHECK(judgementHorizon(obs, policy, warn - 60 * kSecond) == warn);
    CHECK(judgementHorizon(obs, policy, crit - 60 * kSecond) == crit);
  }
}

TEST_CASE("judgementHorizon: a CRL's nextUpdate, and the earliest of several certificates") {
  const Policy policy;
  Observation obs = observe({ninetyDays(kNow + 60 * kDay)});
  RevocationFacts r;
  r.covered = true;
  r.next_update = kNow + 100 * kSecond;
  obs.revocation.push_back(r);
  // Stale from the second after nextUpdate.
  CHECK(judgementHorizon(obs, policy, kNow) == kNow + 101 * kSecond);
  obs.revocation[0].next_update = kNow - kDay;  // already stale: nothing more to wait for
  CHECK(judgementHorizon(obs, policy, kNow) == kNow + kHour);

  // A one-year intermediate crossing its 7-day critical level in 20 s.
  const Observation two = observe({ninetyDays(kNow + 60 * kDay),
                                   cert(kNow - 358 * kDay, kNow + 7 * kDay + 20 * kSecond, "int")});
  CHECK(judgementHorizon(two, policy, kNow) == kNow + 20 * kSecond);
}

TEST_CASE("judgementHorizon: findings never change between now and the horizon") {
  const Policy policy;
  // A walk through whole lifetimes, horizon by horizon: at horizon - 1 s the findings must
  // still be those of the step's start.
  const std::vector<Observation> cases = {
      observe({cert(kNow + 2 * kHour, kNow + 2 * kHour + kDay)}),  // 24 h, not yet valid
      observe({cert(kNow - 3 * kDay, kNow + 4 * kDay), cert(kNow - kDay, kNow + 2 * kDay, "b")}),
  };
  auto codes = [&](const Observation& obs, TimePoint at) {
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& f : checks::runChecks(obs, policy, at)) {
      out.insert({std::string(toString(f.code)) + "@" + std::to_string(f.position),
                  std::string(toString(f.severity))});
    }
    return out;
  };
  for (const auto& obs : cases) {
    TimePoint t = kNow;
    int steps = 0;
    int changes = 0;
    const TimePoint stop = kNow + 6 * kDay;
    while (t < stop) {
      const TimePoint h = judgementHorizon(obs, policy, t);
      REQUIRE(h > t);
      REQUIRE(h <= t + kHour);
      CAPTURE(formatRfc3339(t));
      CHECK(codes(obs, t) == codes(obs, h - kSecond));
      changes += codes(obs, t) != codes(obs, h) ? 1 : 0;
      t = h;
      ++steps;
    }
    CHECK(changes >= 3);  // the walk did cross warning, critical and expiry
    CHECK(steps < 200);
  }
}

}  // namespace certvigil::scheduler
