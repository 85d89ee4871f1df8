// SPDX-License-Identifier: Apache-2.0
// tests/integration/metrics_promtool_test.cpp: the HTTP listener on 127.0.0.1:0 with a real
// client: /metrics passes `promtool check metrics` with no lint output, /healthz follows
// readiness, the status page is static with a strict policy, errors reveal nothing, and bind()
// reports a taken port.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <thread>

#include "exporters/http/http_server.h"
#include "tests/support/test_support.h"
#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

// Runs `promtool check metrics` on `exposition`; stdout and stderr together.
CommandResult promtoolCheck(const std::string& exposition) {
  const testing::TempDir dir;
  const auto file = testing::writeFile(dir / "metrics.prom", exposition);
  const std::string command = "promtool check metrics < '" + file.string() + "' 2>&1";
  CommandResult result;
  // The command is ours (a fixed tool and a temporary file name), not external input.
  FILE* pipe = popen(command.c_str(), "r");  // NOLINT(cert-env33-c)
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buf{};
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;)
    result.output.append(buf.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The small snapshot plus a target with every kind of hostile label value.
SnapshotPtr hostileSnapshot() {
  std::vector<TargetResultPtr> targets = testing::smallSnapshot()->targets;
  const auto facts = testing::makeFacts("CN=q\"b\\n\nl\xFF", "CN=\xC3\xA9", 11, 0, 1);
  targets.push_back(testing::makeTarget("/tmp/odd \"name\"\\\n.pem", TargetKind::File, {facts},
                                        {ResolvedRole::Any}));
  return testing::makeSnapshot(targets, testing::smallSnapshot()->scans);
}

struct Fixture {
  testing::FakeSnapshotSource snapshots{hostileSnapshot()};
  testing::FakeStatusProvider status;
  HttpServer server{HttpServerOptions{"127.0.0.1:0"}, snapshots, status};
  int port = 0;

  Fixture() {
    const Result<int> bound = server.bind();
    REQUIRE_MESSAGE(bound.ok(), (bound.ok() ? "" : bound.error().describe()));
    port = *bound;
    REQUIRE(server.start().ok());
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(10, 0);
    return c;
  }
};

TEST_CASE("GET /metrics passes promtool check metrics without lint output") {
  Fixture f;
  CHECK(f.port > 0);
  CHECK(f.server.port() == f.port);
  auto res = f.client().Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(res->body.find("certvigil_cert_not_after_timestamp_seconds{") != std::string::npos);
  CHECK(res->body.find("process_resident_memory_bytes ") != std::string::npos);
  const CommandResult check = promtoolCheck(res->body);
  CHECK_MESSAGE(check.exit_code == 0, check.output);
  CHECK_MESSAGE(check.output.empty(), check.output);
}

// /metrics is streamed in chunks; Prometheus asks for gzip, and each chunk is compressed.
TEST_CASE("GET /metrics is chunked, and gzipped when the scraper accepts gzip") {
  Fixture f;
  const auto plain = f.client().Get("/metrics", {{"Accept-Encoding", "identity"}});
  REQUIRE(plain);
  CHECK(plain->get_header_value("Transfer-Encoding") == "chunked");
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  httplib::Client client = f.client();
  client.set_decompress(true);
  const auto gzipped = client.Get("/metrics", {{"Accept-Encoding", "gzip"}});
  REQUIRE(gzipped);
  CHECK(gzipped->status == 200);
  CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
  CHECK(gzipped->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  // The same series (process_* values differ between two scrapes).
  const auto certificateLines = [](const std::string& body) {
    return body.substr(body.find("# HELP certvigil_probe_success"));
  };
  CHECK(certificateLines(gzipped->body) == certificateLines(plain->body));
  const CommandResult check = promtoolCheck(gzipped->body);
  CHECK_MESSAGE(check.exit_code == 0, check.output);
  CHECK_MESSAGE(check.output.empty(), check.output);
}

TEST_CASE("promtool really checks: a broken exposition fails") {
  const CommandResult lint = promtoolCheck("# HELP x_ms d\n# TYPE x_ms gauge\nx_ms 1\n");
  CHECK(lint.exit_code != 0);
  CHECK_FALSE(lint.output.empty());
  const CommandResult invalid = promtoolCheck("# HELP a b\n# TYPE a gauge\na{l=\"\xFF\"} 1\n");
  CHECK(invalid.exit_code != 0);
}

TEST_CASE("a certificate that is gone disappears from /metrics") {
  Fixture f;
  REQUIRE(f.client().Get("/metrics")->body.find("odd \\\"name") != std::string::npos);
  f.snapshots.set(testing::smallSnapshot());
  const auto res = f.client().Get("/metrics");
  REQUIRE(res);
  CHECK(res->body.find("odd \\\"name") == std::string::npos);
  CHECK(res->body.find("/etc/ssl/api.pem") != std::string::npos);
}

TEST_CASE("/metrics answers before the first snapshot") {
  Fixture f;
  f.snapshots.set(nullptr);
  const auto res = f.client().Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.find("certvigil_build_info{") != std::string::npos);
  CHECK(promtoolCheck(res->body).exit_code == 0);
}

TEST_CASE("concurrent scrapes while snapshots change each get a whole exposition") {
  Fixture f;
  const auto many = testing::manyTargets(300);
  std::atomic<bool> done{false};
  std::thread publisher([&] {
    for (size_t i = 0; !done; ++i) {
      const auto count = static_cast<std::ptrdiff_t>(100 + (i * 37) % 200);
      std::vector<TargetResultPtr> targets(many.begin(), many.begin() + count);
      targets[i % 100] = std::make_shared<TargetResult>(*targets[i % 100]);
      f.snapshots.set(testing::makeSnapshot(targets));
    }
  });
  std::vector<std::thread> scrapers;
  scrapers.reserve(6);
  std::atomic<int> good{0};
  for (int t = 0; t < 6; ++t) {
    scrapers.emplace_back([&] {
      httplib::Client client = f.client();
      for (int i = 0; i < 15; ++i) {
        const auto res = client.Get("/metrics");
        const bool whole = res && res->status == 200 && !res->body.empty() &&
                           res->body.back() == '\n' &&
                           res->body.find("certvigil_cert_info{") != std::string::npos;
        if (whole) ++good;
      }
    });
  }
  for (auto& scraper : scrapers) scraper.join();
  done = true;
  publisher.join();
  CHECK(good == 6 * 15);
  const auto last = f.client().Get("/metrics");
  REQUIRE(last);
  CHECK(promtoolCheck(last->body).output.empty());
}

TEST_CASE("/healthz is 503 until ready, then 200 ok") {
  Fixture f;
  auto before = f.client().Get("/healthz");
  REQUIRE(before);
  CHECK(before->status == 503);
  CHECK(before->body == "not ready\n");
  f.status.setReady(true);
  auto after = f.client().Get("/healthz");
  REQUIRE(after);
  CHECK(after->status == 200);
  CHECK(after->body == "ok\n");
}

// The page carries no data itself (its script reads /api/v1 and writes text nodes only; the
// browser test tests/system/070-status-page-browser.sh checks escaping), so no value can reach
// it as markup.
TEST_CASE("the status page is static HTML with a strict policy") {
  Fixture f;
  const auto res = f.client().Get("/");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  const std::string policy = res->get_header_value("Content-Security-Policy");
  CHECK(policy.find("default-src 'none'; script-src 'sha256-") == 0);
  CHECK(policy.find("unsafe-inline") == std::string::npos);
  CHECK(res->body.find("/api/v1/certificates") != std::string::npos);
  CHECK(res->body.find("/etc/ssl/api.pem") == std::string::npos);
}

TEST_CASE("unknown paths and methods get short answers without internals") {
  Fixture f;
  const auto missing = f.client().Get("/nope");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(missing->body == "not found\n");
  const auto post = f.client().Post("/metrics", "x", "text/plain");
  REQUIRE(post);
  CHECK(post->status >= 400);
  CHECK_FALSE(post->has_header("EXCEPTION_WHAT"));
}

TEST_CASE("bind() reports a port in use and an invalid address") {
  Fixture f;
  testing::FakeSnapshotSource snapshots;
  testing::FakeStatusProvider status;
  HttpServer second(HttpServerOptions{"127.0.0.1:" + std::to_string(f.port)}, snapshots, status);
  const Result<int> taken = second.bind();
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().describe().find("in use") != std::string::npos);
  CHECK(taken.error().describe().find("127.0.0.1:" + std::to_string(f.port)) != std::string::npos);
  CHECK_FALSE(second.start().ok());

  HttpServer bad(HttpServerOptions{"127.0.0.1:99999"}, snapshots, status);
  CHECK_FALSE(bad.bind().ok());
  HttpServer unknown(HttpServerOptions{"no-such-host.invalid:0"}, snapshots, status);
  const Result<int> unresolved = unknown.bind();
  REQUIRE_FALSE(unresolved.ok());
  CHECK(unresolved.error().describe().find("resolve") != std::string::npos);
}

TEST_CASE("stop() frees the port, also when the server never started") {
  testing::FakeSnapshotSource snapshots;
  testing::FakeStatusProvider status;
  int port = 0;
  {
    HttpServer idle(HttpServerOptions{"127.0.0.1:0"}, snapshots, status);
    const Result<int> bound = idle.bind();
    REQUIRE(bound.ok());
    port = *bound;
  }
  HttpServer again(HttpServerOptions{"127.0.0.1:" + std::to_string(port)}, snapshots, status);
  REQUIRE(again.bind().ok());
  REQUIRE(again.start().ok());
  again.stop();
  again.stop();  // idempotent
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  CHECK_FALSE(client.Get("/healthz"));
}

TEST_CASE("IPv6 loopback") {
  testing::FakeSnapshotSource snapshots(testing::smallSnapshot());
  testing::FakeStatusProvider status;
  HttpServer server(HttpServerOptions{"[::1]:0"}, snapshots, status);
  const Result<int> bound = server.bind();
  if (!bound.ok()) {
    MESSAGE("no IPv6 loopback here: " << bound.error().describe());
    return;
  }
  REQUIRE(server.start().ok());
  httplib::Client client("::1", *bound);
  const auto res = client.Get("/metrics");
  REQUIRE(res);
  CHECK(res->status == 200);
}

}  // namespace
}  // namespace certvigil::exporters
