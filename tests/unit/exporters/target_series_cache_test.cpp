// tests/unit/exporters/target_series_cache_test.cpp: the in-place resolve of the series cache.
// Whatever sequence of snapshots a renderer has seen, its exposition must equal that of a fresh
// renderer, and it must hold exactly the texts of the current snapshot.
#include "exporters/prometheus/target_series_cache.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "exporters/prometheus/metrics_renderer.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

using testing::makeSnapshot;

std::string renderFresh(const Snapshot& snapshot) {
  MetricsRenderer fresh;
  return fresh.render(snapshot, testing::fixedStatus(), testing::fixedProcess());
}

size_t distinctResults(const Snapshot& snapshot) {
  std::vector<const TargetResult*> seen;
  for (const auto& t : snapshot.targets) {
    if (t && std::find(seen.begin(), seen.end(), t.get()) == seen.end()) seen.push_back(t.get());
  }
  return seen.size();
}

TEST_CASE("an unchanged list is answered without rebuilding") {
  const auto targets = testing::manyTargets(20);
  TargetSeriesCache cache;
  const ResolvedTargets& first = cache.resolve(*makeSnapshot(targets));
  CHECK(first.targets() == 20);
  CHECK(first.counts.certificates == 20);
  CHECK(cache.builds() == 20);
  const ResolvedTargets& second = cache.resolve(*makeSnapshot(targets));
  CHECK(&second == &first);
  CHECK(second.targets() == 20);
  CHECK(cache.builds() == 20);
}

TEST_CASE("insertions, removals and replacements keep spans index-aligned") {
  auto targets = testing::manyTargets(10);
  TargetSeriesCache cache;
  (void)cache.resolve(*makeSnapshot(targets));
  const auto extra = testing::manyTargets(12);
  targets.insert(targets.begin() + 3, extra[11]);  // a new name in the middle (order ignored)
  targets.erase(targets.begin() + 7);
  targets[0] = std::make_shared<TargetResult>(*targets[0]);
  const ResolvedTargets& resolved = cache.resolve(*makeSnapshot(targets));
  REQUIRE(resolved.targets() == 10);
  CHECK(cache.size() == 10);
  CHECK(cache.builds() == 12);
  for (size_t i = 0; i < targets.size(); ++i) {
    CAPTURE(i);
    CHECK(resolved.spans[0][i].find(targets[i]->observation.target) != std::string_view::npos);
    CHECK(resolved.spans[4][i].find(targets[i]->observation.target) != std::string_view::npos);
  }
}

// Random edits of a snapshot: replace, insert, remove, repeat a result elsewhere, repeat a name
// with another kind, drop in a null.
std::vector<TargetResultPtr> mutate(std::vector<TargetResultPtr> targets, std::mt19937& rng,
                                    const std::vector<TargetResultPtr>& pool) {
  const auto pick = [&rng](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  const size_t edits = 1 + pick(4);
  for (size_t e = 0; e < edits && !targets.empty(); ++e) {
    const size_t i = pick(targets.size());
    switch (pick(6)) {
      case 0:
        if (targets[i]) targets[i] = std::make_shared<TargetResult>(*targets[i]);
        break;
      case 1:
        targets.insert(targets.begin() + static_cast<std::ptrdiff_t>(i), pool[pick(pool.size())]);
        break;
      case 2:
        targets.erase(targets.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      case 3:
        targets.push_back(targets[i]);  // the same result twice, out of order
        break;
      case 4:
        if (targets[i]) {
          auto twin = std::make_shared<TargetResult>(*targets[i]);
          twin->observation.kind = TargetKind::Bundle;
          targets.insert(targets.begin() + static_cast<std::ptrdiff_t>(i) + 1, twin);
        }
        break;
      default:
        targets[i] = nullptr;
    }
  }
  return targets;
}

TEST_CASE("after any sequence of snapshots the exposition equals a fresh render") {
  const auto pool = testing::manyTargets(60);
  std::vector<TargetResultPtr> targets(pool.begin(), pool.begin() + 30);
  std::mt19937 rng(20260101);
  MetricsRenderer renderer;
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    targets = mutate(targets, rng, pool);
    const SnapshotPtr snapshot = makeSnapshot(targets);
    const std::string text =
        renderer.render(*snapshot, testing::fixedStatus(), testing::fixedProcess());
    REQUIRE(text == renderFresh(*snapshot));
    CHECK(renderer.cachedTargets() <= distinctResults(*snapshot));
    if (round % 7 == 0) {  // the same snapshot again takes the unchanged path
      REQUIRE(renderer.render(*snapshot, testing::fixedStatus(), testing::fixedProcess()) == text);
    }
  }
}

TEST_CASE("a freed result's address reused by a new result is rebuilt") {
  // Simulate the allocator handing out the same address: the aliasing constructor gives the
  // same pointer a different owner.
  auto original = testing::manyTargets(3);
  TargetSeriesCache cache;
  (void)cache.resolve(*makeSnapshot(original));
  auto changed = std::make_shared<TargetResult>(*original[1]);
  changed->observation.success = false;
  // Different contents, but presented at the address of original[1]: the cache must not trust
  // the address alone.
  const TargetResultPtr impostor(changed, original[1].get());
  std::vector<TargetResultPtr> next = original;
  next[1] = impostor;
  (void)cache.resolve(*makeSnapshot(next));
  CHECK(cache.builds() == 4);
  CHECK(cache.size() == 3);
}

}  // namespace
}  // namespace certvigil::exporters
