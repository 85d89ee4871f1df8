// SPDX-License-Identifier: Apache-2.0
// tests/integration/metrics_render_bench.cpp: render time of /metrics for 100,000 certificate
// series (one certificate per target), fast path against prometheus-cpp's TextSerializer.
// Prints times with MESSAGE and asserts no time (machines differ); it does assert that both
// renderers write the same number of samples. The contract target is 50 ms warm.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>

#include "exporters/http/http_server.h"
#include "exporters/prometheus/metrics_renderer.h"
#include "tests/unit/exporters/serializer_reference.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

constexpr size_t kTargets = 100000;
constexpr int kRuns = 15;

// Wall-clock and CPU milliseconds of one call. CPU time shows the cost on a busy machine,
// where wall time also counts waiting for a core.
struct Timing {
  double wall = 0;
  double cpu = 0;
};

double threadCpuMilliseconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

Timing timeOf(const std::function<void()>& fn) {
  const double cpu = threadCpuMilliseconds();
  const auto start = std::chrono::steady_clock::now();
  fn();
  return {
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
      threadCpuMilliseconds() - cpu};
}

// Median wall and CPU time over kRuns calls.
Timing medianOf(const std::function<void()>& fn) {
  std::vector<double> wall;
  std::vector<double> cpu;
  for (int i = 0; i < kRuns; ++i) {
    const Timing t = timeOf(fn);
    wall.push_back(t.wall);
    cpu.push_back(t.cpu);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

std::string describe(const Timing& t) {
  return std::to_string(t.wall) + " ms wall, " + std::to_string(t.cpu) + " ms CPU";
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

// A snapshot that shares every result with `snapshot` except every 100th, replaced by a copy
// (a scan that renewed 1% of the certificates).
SnapshotPtr churned(const Snapshot& snapshot) {
  std::vector<TargetResultPtr> targets = snapshot.targets;
  for (size_t i = 0; i < targets.size(); i += 100) {
    targets[i] = std::make_shared<TargetResult>(*targets[i]);
  }
  return testing::makeSnapshot(targets);
}

// Times the renderer on `targets` targets and compares with TextSerializer once.
void benchRender(const std::vector<TargetResultPtr>& targets, const char* what) {
  const SnapshotPtr snapshot = testing::makeSnapshot(targets);
  const DaemonStatus status = testing::fixedStatus();
  MetricsRenderer renderer;
  size_t size = 0;
  const auto render = [&](const Snapshot& s) { size = renderer.render(s, status).size(); };

  const Timing first = timeOf([&] { render(*snapshot); });
  const Timing steady = medianOf([&] { render(*snapshot); });
  std::vector<SnapshotPtr> churns;
  churns.reserve(kRuns);
  for (int i = 0; i < kRuns; ++i) churns.push_back(churned(*snapshot));
  size_t next = 0;
  const Timing churn = medianOf([&] { render(*churns[next++ % churns.size()]); });
  const Timing one = medianOf(
      [&] { size = MetricsRenderer::renderTarget(*snapshot->targets[targets.size() / 2]).size(); });

  const std::string fast = renderer.render(*snapshot, status);
  std::string slow;
  const Timing serializer =
      timeOf([&] { slow = testing::renderWithSerializer(*snapshot, status, readProcessStats()); });
  CHECK(samples(fast) == samples(slow));
  CHECK(samples(fast) >= 5 * targets.size());

  MESSAGE(std::string(what) << ": exposition " << static_cast<double>(fast.size()) / 1e6 << " MB, "
                            << samples(fast) << " samples");
  MESSAGE("  render, first call: " << describe(first));
  MESSAGE("  render, same results (median of " << kRuns << "): " << describe(steady));
  MESSAGE("  render, 1% of results replaced (median): " << describe(churn));
  MESSAGE("  renderTarget, one target (median): " << describe(one));
  MESSAGE("  prometheus-cpp TextSerializer over ClientMetric: " << describe(serializer));
}

TEST_CASE("render 100k certificate series: direct writer vs TextSerializer") {
  benchRender(testing::manyTargets(kTargets), "100k distinct certificates");
  // As bench/scan_bench tree (a): 100k files holding copies of 100 certificates, whose facts
  // the x509 parse cache shares, each with one finding.
  std::vector<TargetResultPtr> shared = testing::manyTargets(kTargets);
  for (size_t i = 0; i < shared.size(); ++i) {
    auto copy = std::make_shared<TargetResult>(*shared[i]);
    const CertificateFactsPtr& facts = shared[i % 100]->observation.certificates[0].facts;
    copy->observation.certificates[0].facts = facts;
    copy->findings = {makeFinding(FindingCode::NotACa, "x", facts->fingerprint_sha256)};
    shared[i] = copy;
  }
  benchRender(shared, "100k files, 100 distinct certificates");
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
    const double ms = timeOf([&] {
                        const httplib::Result res = client.Get("/metrics", headers);
                        code = res ? res->status : -1;
                      }).wall;
    CHECK(code == 200);
    MESSAGE(std::string(gzip ? "GET /metrics, gzip: " : "GET /metrics: ") << ms << " ms");
  }
}

}  // namespace
}  // namespace certvigil::exporters
