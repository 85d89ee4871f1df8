// SPDX-License-Identifier: Apache-2.0
// tests/integration/ari_fetch_test.cpp: revocation/ari_cache.h against a real ACME renewal
// information server on 127.0.0.1 (tests/support/ari_server.py), on a fake clock: the directory
// asked once, Retry-After honoured, one request however many threads ask, a failed refresh
// keeping the last window, and a CA without ARI.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "alerts/http_client.h"
#include "revocation/ari_cache.h"
#include "tests/support/tls_servers.h"

namespace certvigil::revocation {
namespace {

using testing::ScriptServer;
using testing::TempDir;

constexpr const char* kId = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";
constexpr Seconds kTimeout{2};

/// ari_server.py answering from a windows file this test rewrites.
struct AriServer {
  explicit AriServer(const std::string& windows_json, bool renewal_info = true)
      : windows(write(dir, windows_json)), server("ari_server.py", args(windows, renewal_info)) {}

  static std::filesystem::path write(const TempDir& into, const std::string& json) {
    const std::filesystem::path path = into / "windows.json";
    std::ofstream(path) << json;
    return path;
  }
  static std::vector<std::string> args(const std::filesystem::path& file, bool renewal_info) {
    std::vector<std::string> out = {"--windows", file.string()};
    if (!renewal_info) out.emplace_back("--no-renewal-info");
    return out;
  }
  void answer(const std::string& json) const { write(dir, json); }
  std::string directory() const { return url("/directory"); }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(server.port()) + path;
  }
  /// How many requests the server saw for `path`.
  int requests(const std::string& path) const {
    alerts::HttpRequest request;
    request.url = url("/count" + path);
    return std::stoi(alerts::httpGet(request).body);
  }

  TempDir dir;
  std::filesystem::path windows;
  ScriptServer server;
};

std::string window(int start, int end, const std::string& extra = "") {
  return std::string(R"({")") + kId + R"(": {"start": )" + std::to_string(start) + R"(, "end": )" +
         std::to_string(end) + extra + "}}";
}

const std::string kInfoPath = std::string("/renewal-info/") + kId;

TEST_CASE("a window, asked again only after the CA's Retry-After") {
  AriServer server(window(-3600, 86400, R"(, "retry_after": 600, "explanation": "https://ca/x")"));
  FakeClock clock(SystemClock().now());
  AriCache cache(clock);
  AriEntryPtr first = cache.get(server.directory(), kId, kTimeout);
  REQUIRE(first->window.has_value());
  CHECK(first->error.empty());
  CHECK(first->url == server.url(kInfoPath));
  CHECK(first->window->explanation_url == "https://ca/x");
  CHECK(first->window->start < SystemClock().now());
  CHECK(first->next_poll == first->attempted_at + Seconds{600});
  clock.advance(Seconds{599});
  CHECK(cache.get(server.directory(), kId, kTimeout) == first);
  CHECK(server.requests(kInfoPath) == 1);
  clock.advance(Seconds{1});
  AriEntryPtr second = cache.get(server.directory(), kId, kTimeout);
  CHECK(second != first);
  CHECK(server.requests(kInfoPath) == 2);
  CHECK(server.requests("/directory") == 1);  // its renewalInfo URL is remembered
  CHECK(cache.counts().ok == 3);              // the directory and two answers
  CHECK(cache.takeChanged().size() == 2);
}

TEST_CASE("certificates not asked about since a cutoff are forgotten") {
  AriServer server(window(-3600, 86400, R"(, "retry_after": 600)"));
  FakeClock clock(SystemClock().now());
  AriCache cache(clock);
  (void)cache.get(server.directory(), kId, kTimeout);
  CHECK(cache.forgetBefore(clock.now()) == 0);
  clock.advance(Seconds{1});
  CHECK(cache.forgetBefore(clock.now()) == 1);
  (void)cache.get(server.directory(), kId, kTimeout);  // asked again: nothing was kept
  CHECK(server.requests(kInfoPath) == 2);
}

TEST_CASE("one request however many threads ask at once") {
  AriServer server(window(-3600, 86400, R"(, "delay": 0.3)"));
  const SystemClock clock;
  AriCache cache(clock);
  std::vector<AriEntryPtr> got(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = cache.get(server.directory(), kId, kTimeout); });
  }
  for (auto& t : threads) t.join();
  CHECK(server.requests(kInfoPath) == 1);
  for (const AriEntryPtr& entry : got) CHECK(entry == got.front());
}

TEST_CASE("a failed refresh keeps the last window and waits a minute") {
  AriServer server(window(-3600, 86400, R"(, "retry_after": 10)"));
  FakeClock clock(SystemClock().now());
  AriCache cache(clock);
  REQUIRE(cache.get(server.directory(), kId, kTimeout)->window.has_value());
  server.answer(std::string(R"({")") + kId + R"(": {"status": 500}})");
  clock.advance(Seconds{10});
  AriEntryPtr failed = cache.get(server.directory(), kId, kTimeout);
  CHECK(failed->error.find("HTTP status 500") != std::string::npos);
  CHECK(failed->window.has_value());  // still the CA's last word
  CHECK(failed->next_poll == failed->attempted_at + Seconds{60});
  clock.advance(Seconds{59});
  CHECK(cache.get(server.directory(), kId, kTimeout) == failed);
  CHECK(server.requests(kInfoPath) == 2);
  CHECK(cache.counts().error == 1);
}

TEST_CASE("what is not renewal information is an error with the reason, never a window") {
  SUBCASE("garbage") {
    AriServer server(std::string(R"({")") + kId + R"(": {"body": "<html>oops</html>"}})");
    const SystemClock clock;
    AriCache cache(clock);
    AriEntryPtr entry = cache.get(server.directory(), kId, kTimeout);
    CHECK_FALSE(entry->window.has_value());
    CHECK(entry->error.find("not a JSON") != std::string::npos);
  }
  SUBCASE("a certificate the CA does not know: 404") {
    AriServer server("{}");
    const SystemClock clock;
    AriCache cache(clock);
    CHECK(cache.get(server.directory(), kId, kTimeout)->error.find("404") != std::string::npos);
  }
  SUBCASE("a CA without ARI: its directory names no renewalInfo, asked once a minute") {
    AriServer server(window(-3600, 86400), /*renewal_info=*/false);
    FakeClock clock(SystemClock().now());
    AriCache cache(clock);
    AriEntryPtr entry = cache.get(server.directory(), kId, kTimeout);
    CHECK(entry->error.find("renewalInfo") != std::string::npos);
    CHECK(entry->url.empty());
    clock.advance(Seconds{30});
    CHECK(cache.get(server.directory(), "other.AQ", kTimeout)->error == entry->error);
    CHECK(server.requests("/directory") == 1);  // the failure is remembered for a minute
    CHECK(server.requests(kInfoPath) == 0);
  }
  SUBCASE("a tarpit: an error within the timeout") {
    AriServer server(window(-3600, 86400, R"(, "delay": 20)"));
    const SystemClock clock;
    AriCache cache(clock);
    const auto start = std::chrono::steady_clock::now();
    AriEntryPtr entry = cache.get(server.directory(), kId, Seconds{1});
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{5});
    CHECK_FALSE(entry->window.has_value());
    CHECK_FALSE(entry->error.empty());
  }
}

}  // namespace
}  // namespace certvigil::revocation
