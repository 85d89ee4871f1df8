// SPDX-License-Identifier: Apache-2.0
// scheduler/Monitor without a store: configure publishes nothing until a scan, scanAll fills the
// snapshot, a reconfigure keeps the caches of unchanged units, and a reload whose trust anchors
// cannot be loaded is refused from the run() thread, keeping the running config.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "scheduler/monitor.h"
#include "tests/support/test_support.h"

namespace certvigil::scheduler {
namespace {

namespace fs = std::filesystem;
using testing::pki;
using testing::TempDir;

TimePoint wallNow() { return std::chrono::floor<Seconds>(std::chrono::system_clock::now()); }

config::Config configFor(const std::vector<fs::path>& dirs) {
  config::Config c;
  c.trust.system = false;
  c.trust.ca_files = {pki("ec-root.crt")};
  for (const auto& d : dirs) {
    config::FileConfig f;
    f.path = d.string();
    c.files.push_back(f);
  }
  return c;
}

std::vector<std::string> targetNames(const SnapshotPtr& s) {
  std::vector<std::string> names;
  for (const auto& t : s->targets) names.push_back(fs::path(t->observation.target).filename());
  return names;
}

// Waits (at most 10 s) until `pred` holds.
template <typename Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace

TEST_CASE("Monitor: configure publishes no targets until a scan; scanAll fills the snapshot") {
  TempDir a;
  TempDir b;
  fs::copy_file(pki("leaf-server-fullchain.pem"), a / "server.pem");
  fs::copy_file(pki("leaf-expired-fullchain.pem"), b / "expired.pem");
  fs::copy_file(pki("leaf-client-fullchain.pem"), b / "client.pem");
  FakeClock clock(wallNow());
  Monitor monitor(nullptr, clock);
  CHECK(monitor.latest()->targets.empty());

  REQUIRE(monitor.configure(configFor({a.path(), b.path()})).ok());
  CHECK(monitor.latest()->targets.empty());
  CHECK(monitor.latest()->scans.empty());
  CHECK(monitor.scansCompleted() == 0);

  monitor.scanAll();
  const SnapshotPtr snapshot = monitor.latest();
  CHECK(monitor.scansCompleted() == 2);
  CHECK(snapshot->generated_at == clock.now());
  CHECK(snapshot->scans.size() == 2);
  // Ordered by target name across units.
  REQUIRE(snapshot->targets.size() == 3);
  for (size_t i = 1; i < snapshot->targets.size(); ++i) {
    CHECK(snapshot->targets[i - 1]->observation.target < snapshot->targets[i]->observation.target);
  }
  bool expired_seen = false;
  for (const auto& t : snapshot->targets) {
    for (const auto& f : t->findings) expired_seen |= f.code == FindingCode::Expired;
  }
  CHECK(expired_seen);

  SUBCASE("the same config again keeps the unit caches: the same result objects") {
    REQUIRE(monitor.configure(configFor({a.path(), b.path()})).ok());
    monitor.scanAll();
    const SnapshotPtr again = monitor.latest();
    REQUIRE(again->targets.size() == 3);
    for (size_t i = 0; i < 3; ++i) CHECK(again->targets[i].get() == snapshot->targets[i].get());
  }
  SUBCASE("a unit removed from the config takes its targets with it") {
    REQUIRE(monitor.configure(configFor({a.path()})).ok());
    CHECK(targetNames(monitor.latest()) == std::vector<std::string>{"server.pem"});
    CHECK(monitor.latest()->scans.size() == 1);
  }
  SUBCASE("a config whose trust anchors cannot be loaded is refused and changes nothing") {
    config::Config bad = configFor({b.path()});
    bad.trust.ca_files = {a / "missing-root.pem"};
    const Status st = monitor.configure(bad);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().describe().find("missing-root.pem") != std::string::npos);
    monitor.scanAll();
    CHECK(monitor.latest()->targets.size() == 3);
  }
}

TEST_CASE("Monitor: run() scans at once, refuses a bad reload, applies a good one, stops") {
  TempDir a;
  TempDir b;
  fs::copy_file(pki("leaf-server-fullchain.pem"), a / "server.pem");
  fs::copy_file(pki("leaf-client-fullchain.pem"), b / "client.pem");
  FakeClock clock(wallNow());  // frozen: only requests make run() do anything after the first scan
  Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(configFor({a.path()})).ok());

  std::atomic<int> heartbeats{0};
  std::thread runner([&] { monitor.run([&] { ++heartbeats; }); });

  CHECK(eventually([&] { return monitor.latest()->targets.size() == 1; }));
  CHECK(heartbeats.load() > 0);

  std::mutex m;
  std::condition_variable cv;
  std::optional<Status> outcome;
  auto done = [&](const Status& st) {
    std::lock_guard lock(m);
    outcome = st;
    cv.notify_all();
  };
  auto waitOutcome = [&]() -> Status {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return outcome.has_value(); }));
    Status st = *outcome;
    outcome.reset();
    return st;
  };

  auto bad = std::make_shared<config::Config>(configFor({b.path()}));
  bad->trust.ca_files = {b / "no-such-root.pem"};
  monitor.requestReload(bad, done);
  const Status refused = waitOutcome();
  CHECK_FALSE(refused.ok());
  if (!refused.ok()) {
    CHECK(refused.error().describe().find("no-such-root.pem") != std::string::npos);
  }
  CHECK(targetNames(monitor.latest()) == std::vector<std::string>{"server.pem"});

  monitor.requestReload(std::make_shared<config::Config>(configFor({b.path()})), done);
  CHECK(waitOutcome().ok());
  CHECK(eventually(
      [&] { return targetNames(monitor.latest()) == std::vector<std::string>{"client.pem"}; }));

  const uint64_t before = monitor.scansCompleted();
  monitor.requestScanAll();
  CHECK(eventually([&] { return monitor.scansCompleted() > before; }));

  monitor.requestStop();
  runner.join();
  CHECK(targetNames(monitor.latest()) == std::vector<std::string>{"client.pem"});
}

TEST_CASE("Monitor: run() scans a unit again once its interval has passed, and sleeps between") {
  TempDir a;
  fs::copy_file(pki("leaf-server-fullchain.pem"), a / "server.pem");
  FakeClock clock(wallNow());
  Monitor monitor(nullptr, clock);
  config::Config c = configFor({a.path()});
  c.files.front().interval = Seconds{1};  // + up to 0.1 s of splay
  REQUIRE(monitor.configure(c).ok());

  std::atomic<int> heartbeats{0};
  std::thread runner([&] { monitor.run([&] { ++heartbeats; }); });
  // The first scan at once, then two more with no request: the kept earliest due time follows
  // each scan.
  CHECK(eventually([&] { return monitor.scansCompleted() >= 3; }));
  monitor.requestStop();
  runner.join();
  // One wake per scan (and per 5 s heartbeat): a loop that did not sleep until the next due
  // time would have beaten thousands of times.
  CHECK(heartbeats.load() < 20);
}

}  // namespace certvigil::scheduler

namespace certvigil::scheduler {

TEST_CASE("Monitor: new thresholds re-judge unchanged files at once") {
  TempDir dir;
  fs::copy_file(pki("leaf-20d-fullchain.pem"), dir / "soon.pem");
  SystemClock clock;
  Monitor monitor(nullptr, clock);
  config::Config c = configFor({dir.path()});
  REQUIRE(monitor.configure(c).ok());
  monitor.scanAll();
  auto codes = [&] {
    std::vector<FindingCode> out;
    for (const auto& f : monitor.latest()->targets.front()->findings) out.push_back(f.code);
    return out;
  };
  CHECK(codes() == std::vector<FindingCode>{FindingCode::ExpiresSoon});
  c.thresholds.warning = Seconds{10 * 86400};
  c.thresholds.critical = Seconds{5 * 86400};
  REQUIRE(monitor.configure(c).ok());
  monitor.scanAll();  // the file did not change; its judgement horizon is hours away
  CHECK(codes().empty());
}

// /probe asks the monitor how an endpoint is configured: the units hold every entry, and the
// config the monitor keeps for other readers drops its own copy of them.
TEST_CASE("Monitor: configured endpoints are found in the units, not kept twice") {
  config::Config c = configFor({});
  config::EndpointConfig api;
  api.address = "api.internal:443";
  api.timeout = Seconds{7};
  api.clients = ClientSet{Client::Go};
  config::EndpointConfig named = api;
  named.servername = "bücher.example";  // found by its U-label and its A-label
  named.clients.reset();
  c.endpoints = {api, named};
  c.clients = ClientSet{Client::Rustls};
  SystemClock clock;
  Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(c).ok());

  CHECK(monitor.currentConfig()->endpoints.empty());
  CHECK(monitor.currentConfig()->clients == ClientSet{Client::Rustls});

  const std::optional<ConfiguredEndpoint> any = monitor.configuredEndpoint("api.internal:443", "");
  REQUIRE(any);
  CHECK(any->spec.name == "api.internal:443");
  CHECK(any->spec.timeout == std::chrono::seconds(7));
  CHECK(any->clients == ClientSet{Client::Go});
  for (const char* servername : {"bücher.example", "xn--bcher-kva.example"}) {
    CAPTURE(servername);
    const auto found = monitor.configuredEndpoint("api.internal:443", servername);
    REQUIRE(found);
    CHECK(found->spec.servername == "xn--bcher-kva.example");
    CHECK(found->clients == ClientSet{Client::Rustls});  // the entry names none: the global
  }
  CHECK_FALSE(monitor.configuredEndpoint("api.internal:443", "other.example"));
  CHECK_FALSE(monitor.configuredEndpoint("api.internal:8443", ""));
}

}  // namespace certvigil::scheduler
