// SPDX-License-Identifier: Apache-2.0
// scheduler/endpoint_scanner.h judgeOrKeep: an endpoint probed again that answers exactly as
// before keeps its published result (the same object, its timing refreshed); anything that
// would make the result differ (what was collected, the findings now, the unit) gives a new one,
// which still shares the endpoint facts of the result before when they are equal. And
// replaceInPlace: a unit's last outcome keeps its memory when replaced.
#include <doctest/doctest.h>

#include "scheduler/endpoint_scanner.h"
#include "tests/support/test_support.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::scheduler {
namespace {

using checks::testing::Cert;
using checks::testing::kDay;
using checks::testing::kHour;
using checks::testing::kNow;
using checks::testing::Obs;

constexpr const char* kUnit = "api.internal:443";

struct Fixture {
  x509::CertificateCache certificates;
  probers::ChainVerdictCache verdicts;
  x509::TrustStore trust = loadTrust();
  Policy policy;
  FakeClock clock{kNow};
  CertificateFactsPtr leaf =
      Cert("api.internal").dns({"api.internal"}).expiresIn(20 * kDay + 12 * kHour);
  CertificateFactsPtr other = Cert("api.internal").dns({"api.internal"}).expiresIn(80 * kDay);
  Snapshot previous;

  static x509::TrustStore loadTrust() {
    Result<x509::TrustStore> t = x509::TrustStore::load(false, {testing::pki("ec-root.crt")});
    REQUIRE(t.ok());
    return std::move(*t);
  }
  ScanContext context() {
    return {certificates, verdicts, trust, policy, clock, nullptr, &previous};
  }

  /// What a probe of the endpoint collects: new objects each time, as the prober makes them.
  Observation probe(const CertificateFactsPtr& presented, TimePoint at, double seconds) const {
    EndpointFacts facts;
    facts.address = kUnit;
    facts.servername = "api.internal";
    facts.tls_version = "TLSv1.3";
    facts.client.edit().answer.handshake_completed = true;
    Observation obs = Obs().endpoint(facts).hostname("api.internal").cert(presented).build();
    obs.collected_at = at;
    obs.duration_seconds = seconds;
    return obs;
  }
  /// Judges a probe as a sweep does, then publishes its result as the previous snapshot.
  TargetResultPtr sweep(Observation obs, const std::string& unit = kUnit) {
    TargetResultPtr result = judgeOrKeep(std::move(obs), unit, context());
    previous.targets = {result};
    return result;
  }
};

TEST_CASE_FIXTURE(Fixture,
                  "an endpoint that answers as before keeps its result, timing refreshed") {
  const TargetResultPtr first = sweep(probe(leaf, kNow, 0.25));
  REQUIRE(first->findings.size() == 1);  // expires in 20 days: a warning
  clock.advance(std::chrono::minutes(5));
  const TargetResultPtr second = sweep(probe(leaf, kNow + std::chrono::minutes(5), 0.5));
  CHECK(second == first);
  CHECK(second->observation.collected_at.get() == kNow + std::chrono::minutes(5));
  CHECK(second->observation.duration_seconds.get() == 0.5);
}

TEST_CASE_FIXTURE(Fixture, "whatever would make the result differ gives a new one") {
  const TargetResultPtr first = sweep(probe(leaf, kNow, 0.25));
  Observation again = probe(leaf, kNow + std::chrono::minutes(5), 0.25);
  std::string unit = kUnit;
  SUBCASE("another certificate") { again = probe(other, kNow, 0.25); }
  SUBCASE("a day later the finding says 19 days") { clock.advance(kDay); }
  SUBCASE("new thresholds make the warning critical") {
    policy.thresholds.critical = 30 * kDay;
    policy.thresholds.critical_fraction = 0.5;
  }
  SUBCASE("another handshake") {
    auto facts = std::make_shared<EndpointFacts>(*again.endpoint);
    facts->tls_version = "TLSv1.2";
    again.endpoint = facts;
  }
  SUBCASE("the probe failed") { again.success = false; }
  SUBCASE("another unit") { unit = "api.internal:443 (again)"; }
  const TargetResultPtr second = sweep(std::move(again), unit);
  CHECK(second != first);
}

TEST_CASE_FIXTURE(Fixture, "a new result shares what it can with the one before") {
  const TargetResultPtr first = sweep(probe(leaf, kNow, 0.25));
  clock.advance(kDay);  // the finding's text changes, the endpoint's facts do not
  const TargetResultPtr second = sweep(probe(leaf, kNow + kDay, 0.25));
  REQUIRE(second != first);
  CHECK(second->observation.endpoint == first->observation.endpoint);
  CHECK(&second->unit.str() == &first->unit.str());
}

TEST_CASE_FIXTURE(Fixture, "changed endpoint facts stay the new ones") {
  const TargetResultPtr first = sweep(probe(leaf, kNow, 0.25));
  Observation again = probe(leaf, kNow, 0.25);
  auto changed = std::make_shared<EndpointFacts>(*again.endpoint);
  SUBCASE("another cipher") { changed->cipher = "TLS_AES_128_GCM_SHA256"; }
  SUBCASE("a failure") { changed->failure = ProbeFailureKind::Timeout; }
  SUBCASE("the server now asks for a client certificate") {
    changed->client.edit().certificate_requested = true;
  }
  SUBCASE("an anonymous probe's answer") { changed->client.edit().anonymous = ServerAnswer{}; }
  again.endpoint = changed;
  const TargetResultPtr second = sweep(std::move(again));
  CHECK(second != first);
  CHECK(second->observation.endpoint == changed);
}

TEST_CASE_FIXTURE(Fixture, "a result of another kind under the same name is not the one before") {
  auto file = std::make_shared<TargetResult>();
  file->unit = kUnit;
  file->observation = probe(leaf, kNow, 0.25);
  file->observation.kind = TargetKind::File;
  previous.targets = {file};
  const TargetResultPtr result = judgeOrKeep(probe(leaf, kNow, 0.25), kUnit, context());
  CHECK(result != file);
  CHECK(result->observation.endpoint != file->observation.endpoint);
}

TEST_CASE_FIXTURE(Fixture, "without a previous result it judges") {
  const TargetResultPtr first = judgeOrKeep(probe(leaf, kNow, 0.25), kUnit, context());
  const TargetResultPtr second = judgeOrKeep(probe(leaf, kNow, 0.25), kUnit, context());
  CHECK(second != first);
  CHECK(second->findings == first->findings);
  ScanContext none = context();
  none.previous = nullptr;
  previous.targets = {first};
  CHECK(judgeOrKeep(probe(leaf, kNow, 0.25), kUnit, none) != first);
}

// The monitor keeps each unit's last outcome for the next sweep: replacing it must give the new
// values in the memory it already holds (bench/README.md, "Daemon memory").
TEST_CASE("a unit's last outcome takes the new one in the memory it already holds") {
  const SharedText name = "a-name-longer-than-the-short-string-buffer.internal:443";
  UnitOutcome kept;
  kept.scan.unit = SharedText("another-name-longer-than-the-short-string-buffer:443");
  kept.results = {std::make_shared<TargetResult>()};
  const TargetResultPtr* results_buffer = kept.results.data();

  UnitOutcome fresh;
  fresh.scan.unit = name;
  fresh.scan.targets = 1;
  fresh.scan.success = false;
  fresh.files_read = 3;
  const auto result = std::make_shared<TargetResult>();
  fresh.results = {result};
  replaceInPlace(kept, std::move(fresh));
  CHECK(kept.scan.unit == name);
  CHECK(kept.scan.unit.c_str() == name.c_str());  // the unit's own name, shared, not a copy
  CHECK(kept.results.data() == results_buffer);
  CHECK(kept.results == std::vector<TargetResultPtr>{result});
  CHECK(kept.scan.targets == 1);
  CHECK_FALSE(kept.scan.success);
  CHECK(kept.files_read == 3);

  UnitOutcome more;  // more results than the buffer holds, another name: both change
  more.scan.unit = "short:443";
  more.results = {result, result};
  replaceInPlace(kept, std::move(more));
  CHECK(kept.scan.unit == "short:443");
  CHECK(kept.results.size() == 2);
}

}  // namespace
}  // namespace certvigil::scheduler
