// tests/unit/exporters/target_families_test.cpp: which targets make series, and agreement of
// the direct writer with the prometheus-cpp reference over many randomly edited snapshots.
#include "exporters/prometheus/target_families.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "exporters/prometheus/metrics_renderer.h"
#include "tests/unit/exporters/serializer_reference.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

using testing::makeSnapshot;

TargetResultPtr withKind(const TargetResultPtr& result, TargetKind kind) {
  auto copy = std::make_shared<TargetResult>(*result);
  copy->observation.kind = kind;
  return copy;
}

TEST_CASE("repeated (kind, name) and null targets make no series; the first one counts") {
  const auto t = testing::manyTargets(3);
  auto twin = std::make_shared<TargetResult>(*t[1]);
  twin->observation.success = false;
  const auto bundle = withKind(t[1], TargetKind::Bundle);
  MetricsRenderer renderer;
  const std::string text =
      renderer.render(*makeSnapshot({t[0], nullptr, t[1], twin, bundle, t[1], t[2]}),
                      testing::fixedStatus(), testing::fixedProcess());
  const std::string name = t[1]->observation.target;
  CHECK(text.find("certvigil_probe_success{source=\"file\",target=\"" + name + "\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("certvigil_probe_success{source=\"file\",target=\"" + name + "\"} 0\n") ==
        std::string::npos);
  CHECK(text.find("certvigil_probe_success{source=\"bundle\",target=\"" + name + "\"} 1\n") !=
        std::string::npos);
  CHECK(text.find("certvigil_certificates 4\n") != std::string::npos);
}

TEST_CASE("the cert_info cache holds one entry per distinct certificate in the snapshot") {
  const auto t = testing::manyTargets(4);
  std::vector<TargetResultPtr> copies;
  for (size_t i = 0; i < 10; ++i) {
    auto copy = std::make_shared<TargetResult>(*t[i % 4]);
    copy->observation.target = "/copies/" + std::to_string(i) + ".pem";
    copies.push_back(copy);
  }
  FactsLabelCache facts;
  {
    TargetSeriesWriter writer;
    writer.addSnapshot(*makeSnapshot(copies), facts);
    CHECK(writer.certificates() == 10);
  }
  facts.sweep();
  CHECK(facts.size() == 4);
  {
    TargetSeriesWriter writer;
    writer.addSnapshot(*makeSnapshot({copies[0], copies[1]}), facts);
  }
  facts.sweep();
  CHECK(facts.size() == 2);
}

TEST_CASE("new facts at the address of freed ones are not mistaken for them") {
  const auto t = testing::manyTargets(1);
  FactsLabelCache facts;
  const CertificateFactsPtr original = t[0]->observation.certificates[0].facts;
  const std::string before(facts.labels(original));
  auto changed = std::make_shared<CertificateFacts>(*original);
  changed->subject = "CN=changed";
  // The aliasing constructor gives the old address a new owner, as the allocator reusing a
  // freed address would.
  const CertificateFactsPtr impostor(changed, original.get());
  const std::string after(facts.labels(impostor));
  CHECK(before.find("CN=changed") == std::string::npos);
  CHECK(after.find("CN=changed") == std::string::npos);  // the impostor points at `original`
  CHECK(after == formatInfoLabels(*impostor));
  CHECK(facts.size() == 1);
}

// Random edits that keep the snapshot ordered by name, as the scheduler publishes it: replace a
// result, drop one, add one from the pool, repeat one, add the same name with another kind,
// make a hostile one, null one.
std::vector<TargetResultPtr> mutate(std::vector<TargetResultPtr> targets, std::mt19937& rng,
                                    const std::vector<TargetResultPtr>& pool) {
  const auto pick = [&rng](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  for (size_t edits = 1 + pick(4); edits > 0 && !targets.empty(); --edits) {
    const size_t i = pick(targets.size());
    const auto at = targets.begin() + static_cast<std::ptrdiff_t>(i);
    switch (pick(7)) {
      case 0:
        if (targets[i]) targets[i] = std::make_shared<TargetResult>(*targets[i]);
        break;
      case 1:
        targets.erase(at);
        break;
      case 2:
        targets.push_back(pool[pick(pool.size())]);
        break;
      case 3:
        targets.insert(at, targets[i]);
        break;
      case 4:
        if (targets[i]) targets.insert(at + 1, withKind(targets[i], TargetKind::Endpoint));
        break;
      case 5: {
        auto odd = std::make_shared<TargetResult>(*pool[pick(pool.size())]);
        odd->observation.target += "\"\\\n\xFF";
        odd->findings = {makeFinding(FindingCode::ParseError, "a"),
                         makeFinding(FindingCode::ParseError, "b")};
        targets.push_back(odd);
        break;
      }
      default:
        targets[i] = nullptr;
    }
  }
  std::stable_sort(targets.begin(), targets.end(), [](const auto& a, const auto& b) {
    if (!a || !b) return static_cast<bool>(b) && !a;
    return a->observation.target < b->observation.target;
  });
  return targets;
}

TEST_CASE("over random snapshots the writer and prometheus-cpp write the same samples") {
  const auto pool = testing::manyTargets(40);
  std::vector<TargetResultPtr> targets(pool.begin(), pool.begin() + 20);
  std::mt19937 rng(20260101);
  MetricsRenderer renderer;
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    targets = mutate(targets, rng, pool);
    const SnapshotPtr snapshot = makeSnapshot(targets);
    const std::string fast =
        renderer.render(*snapshot, testing::fixedStatus(), testing::fixedProcess());
    const std::string reference =
        testing::renderWithSerializer(*snapshot, testing::fixedStatus(), testing::fixedProcess());
    REQUIRE(testing::parsedSamples(fast) == testing::parsedSamples(reference));
  }
}

}  // namespace
}  // namespace certvigil::exporters
