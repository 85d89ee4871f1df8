// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/target_families_test.cpp: records, shared cert_info texts, which targets
// make series, and agreement of the cached renderer with a fresh one and with the prometheus-cpp
// reference over many randomly edited snapshot sequences.
#include "exporters/prometheus/target_families.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
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
  (void)facts.labels(original);
  auto changed = std::make_shared<CertificateFacts>(*original);
  changed->subject = "CN=changed";
  // The aliasing constructor gives the old address a new owner, as the allocator reusing a
  // freed address would: the labels are rebuilt, from the facts at that address.
  const CertificateFactsPtr impostor(changed, original.get());
  CHECK(std::string(facts.labels(impostor)) == formatInfoLabels(*original));
  CHECK(facts.size() == 1);
}

TEST_CASE("one target's series: escaped labels, formatted values, distinct findings") {
  auto result = std::make_shared<TargetResult>(*testing::manyTargets(1)[0]);
  result->observation.target = "/a\"b.pem";
  result->observation.duration_seconds = 0.25;
  result->findings = {makeFinding(FindingCode::ParseError, "one"),
                      makeFinding(FindingCode::ParseError, "two"),
                      makeFinding(FindingCode::Expired, "x", "ab", 0)};
  const std::string text = MetricsRenderer::renderTarget(*result);
  CHECK(text.find(
            "certvigil_probe_duration_seconds{source=\"file\",target=\"/a\\\"b.pem\"} 0.25\n") !=
        std::string::npos);
  CHECK(text.find(R"(,code="parse_error",severity="critical",fingerprint="",position=""} 1)") !=
        std::string::npos);
  CHECK(text.find(R"(,code="expired",severity="critical",fingerprint="ab",position="0"} 1)") !=
        std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') == 2 * 6 + 2 + 3 + 2);
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

std::string renderFresh(const Snapshot& snapshot) {
  MetricsRenderer fresh;
  return fresh.render(snapshot, testing::fixedStatus(), testing::fixedProcess());
}

// The renderer keeps records between scrapes: whatever sequence of snapshots it has seen, it
// must write what a fresh renderer writes, and that must match the prometheus-cpp reference.
TEST_CASE("over random snapshot sequences the renderer matches a fresh one and the reference") {
  const auto pool = testing::manyTargets(40);
  std::vector<TargetResultPtr> targets(pool.begin(), pool.begin() + 20);
  std::mt19937 rng(20260101);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible on purpose
  MetricsRenderer renderer;
  for (int round = 0; round < 200; ++round) {
    CAPTURE(round);
    targets = mutate(targets, rng, pool);
    const SnapshotPtr snapshot = makeSnapshot(targets);
    const std::string text =
        renderer.render(*snapshot, testing::fixedStatus(), testing::fixedProcess());
    REQUIRE(text == renderFresh(*snapshot));
    const std::string reference =
        testing::renderWithSerializer(*snapshot, testing::fixedStatus(), testing::fixedProcess());
    REQUIRE(testing::parsedSamples(text) == testing::parsedSamples(reference));
    CHECK(renderer.cachedCertificates() <= targets.size());
    if (round % 7 == 0) {  // the same snapshot again takes the unchanged path
      REQUIRE(renderer.render(*snapshot, testing::fixedStatus(), testing::fixedProcess()) == text);
    }
  }
}

}  // namespace
}  // namespace certvigil::exporters
