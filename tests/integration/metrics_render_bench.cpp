// tests/integration/metrics_render_bench.cpp: render time of /metrics for 100,000 certificate
// series (one certificate per target), fast path against prometheus-cpp's TextSerializer.
// Prints times with MESSAGE and asserts no time (machines differ); it does assert that both
// renderers write the same number of samples. The contract target is 50 ms warm.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <functional>

#include "exporters/http/http_server.h"
#include "exporters/prometheus/metrics_renderer.h"
#include "tests/unit/exporters/serializer_reference.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

constexpr size_t kTargets = 100000;
constexpr int kWarmRuns = 15;

double millisecondsOf(const std::function<void()>& fn) {
  const auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

size_t samples(const std::string& text) {
  size_t n = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (text[pos] != '#') ++n;
    const size_t end = text.find('\n', pos);
    pos = end == std::string::npos ? text.size() : end + 1;
  }
  return n;
}

TEST_CASE("render 100k certificate series: fast path vs TextSerializer") {
  const SnapshotPtr snapshot = testing::makeSnapshot(testing::manyTargets(kTargets));
  const DaemonStatus status = testing::fixedStatus();
  MetricsRenderer renderer;
  std::string fast;
  const double cold = millisecondsOf([&] { fast = renderer.render(*snapshot, status); });
  std::vector<double> warm;
  for (int i = 0; i < kWarmRuns; ++i) {
    warm.push_back(millisecondsOf([&] { fast = renderer.render(*snapshot, status); }));
  }
  // A scan replaced 1% of the results: those are rebuilt, the rest stay cached.
  std::vector<TargetResultPtr> churned = snapshot->targets;
  for (size_t i = 0; i < churned.size(); i += 100) {
    churned[i] = std::make_shared<TargetResult>(*churned[i]);
  }
  const SnapshotPtr next = testing::makeSnapshot(churned);
  const double churn = millisecondsOf([&] { fast = renderer.render(*next, status); });
  CHECK(renderer.cachedTargets() == kTargets);

  std::string slow;
  const double serializer = millisecondsOf(
      [&] { slow = testing::renderWithSerializer(*snapshot, status, readProcessStats()); });
  CHECK(samples(fast) == samples(slow));
  CHECK(samples(fast) > 3 * kTargets);

  MESSAGE("exposition: " << static_cast<double>(fast.size()) / 1e6 << " MB, " << samples(fast) << " samples");
  MESSAGE("fast path, cold cache (first scrape): " << cold << " ms");
  MESSAGE("fast path, warm cache: median " << median(warm) << " ms, min "
                                           << *std::min_element(warm.begin(), warm.end())
                                           << " ms over " << kWarmRuns << " runs");
  MESSAGE("fast path, 1% of results replaced: " << churn << " ms");
  MESSAGE("prometheus-cpp TextSerializer over ClientMetric: " << serializer << " ms");
}

TEST_CASE("scrape 100k certificate series over HTTP") {
  testing::FakeSnapshotSource snapshots(testing::makeSnapshot(testing::manyTargets(kTargets)));
  testing::FakeStatusProvider status;
  HttpServer server(HttpServerOptions{"127.0.0.1:0"}, snapshots, status);
  const Result<int> port = server.bind();
  REQUIRE(port.ok());
  REQUIRE(server.start().ok());
  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(60, 0);
  for (const bool gzip : {false, true}) {
    httplib::Headers headers;
    if (gzip) headers.emplace("Accept-Encoding", "gzip");
    client.Get("/metrics", headers);  // warms the cache
    int code = 0;
    const double ms = millisecondsOf([&] {
      const httplib::Result res = client.Get("/metrics", headers);
      code = res ? res->status : -1;
    });
    CHECK(code == 200);
    MESSAGE("GET /metrics" << (gzip ? " (gzip)" : "") << ": " << ms << " ms");
  }
}

}  // namespace
}  // namespace certvigil::exporters
