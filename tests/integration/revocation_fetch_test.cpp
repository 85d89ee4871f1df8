// SPDX-License-Identifier: Apache-2.0
// tests/integration/revocation_fetch_test.cpp: revocation/crl_cache.h against a real HTTP
// server on 127.0.0.1 (tests/support/crl_server.py) and a tarpit: one fetch per URL however many
// threads ask at once, a conditional refetch after nextUpdate, failures remembered for a
// minute, the size cap and the timeout.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "alerts/http_client.h"
#include "revocation/crl_cache.h"
#include "tests/support/tls_servers.h"

namespace certvigil::revocation {
namespace {

using testing::ScriptServer;
using testing::TempDir;

/// crl_server.py serving a copy of the test PKI's DER CRL of ec-int as /ec-int.crl.
struct CrlServer {
  explicit CrlServer(double delay = 0)
      : root(copyCrl(dir)),
        server("crl_server.py", {"--root", root.string(), "--delay", std::to_string(delay)}) {}

  static std::filesystem::path copyCrl(const TempDir& into) {
    std::filesystem::copy_file(testing::pki("ec-int-crl.der"), into / "ec-int.crl");
    return into.path();
  }
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
  std::filesystem::path root;
  ScriptServer server;
};

config::RevocationConfig fastOptions() {
  config::RevocationConfig options;
  options.timeout = Seconds{2};
  return options;
}

TEST_CASE("one fetch per URL however many threads ask at once") {
  CrlServer server(/*delay=*/0.3);
  const SystemClock clock;
  CrlCache cache(clock);
  std::vector<CrlEntryPtr> got(16);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&, i] { got[i] = cache.get(server.url("/ec-int.crl"), fastOptions()); });
  }
  for (auto& t : threads) t.join();
  CHECK(server.requests("/ec-int.crl") == 1);
  for (const CrlEntryPtr& entry : got) {
    REQUIRE(entry);
    CHECK(entry == got.front());
    CHECK(entry->crls != nullptr);
    CHECK(entry->error.empty());
  }
  CHECK(got.front()->next_update.has_value());
  CHECK(cache.counts().ok == 1);
  CHECK(cache.takeChanged().size() == 1);
}

TEST_CASE("after nextUpdate the CRL is fetched again, conditionally: 304 keeps it") {
  CrlServer server;
  FakeClock clock(SystemClock().now());
  CrlCache cache(clock);
  const std::string url = server.url("/ec-int.crl");
  const CrlEntryPtr first = cache.get(url, fastOptions());
  REQUIRE(first->crls);
  CHECK_FALSE(first->etag.empty());
  clock.advance(Seconds{3600});  // before nextUpdate (7 days): no request
  CHECK(cache.get(url, fastOptions()) == first);
  CHECK(server.requests("/ec-int.crl") == 1);
  clock.advance(Seconds{8 * 86400});
  const CrlEntryPtr again = cache.get(url, fastOptions());
  CHECK(server.requests("/ec-int.crl") == 2);
  CHECK(cache.counts().not_modified == 1);
  CHECK(again->crls == first->crls);
  CHECK(again->error.empty());
  CHECK(again->fetched_at == clock.now());
}

TEST_CASE("a failure is remembered for a minute, then asked again") {
  CrlServer server;
  FakeClock clock(SystemClock().now());
  CrlCache cache(clock);
  const std::string url = server.url("/missing.crl");
  CHECK(cache.get(url, fastOptions())->error == "HTTP status 404");
  clock.advance(Seconds{30});
  CHECK(cache.get(url, fastOptions())->error == "HTTP status 404");
  CHECK(server.requests("/missing.crl") == 1);
  clock.advance(Seconds{31});
  (void)cache.get(url, fastOptions());
  CHECK(server.requests("/missing.crl") == 2);
  CHECK(cache.counts().error == 2);
}

TEST_CASE("a CRL larger than max_crl_bytes is refused") {
  CrlServer server;
  const SystemClock clock;
  CrlCache cache(clock);
  config::RevocationConfig options = fastOptions();
  options.max_crl_bytes = 100;
  const CrlEntryPtr entry = cache.get(server.url("/ec-int.crl"), options);
  CHECK(entry->crls == nullptr);
  CHECK(entry->error == "the answer is larger than 100 bytes");
}

TEST_CASE("a tarpit ends at the fetch timeout") {
  const testing::Tarpit tarpit;
  const SystemClock clock;
  CrlCache cache(clock);
  config::RevocationConfig options = fastOptions();
  options.timeout = Seconds{1};
  const auto start = std::chrono::steady_clock::now();
  const CrlEntryPtr entry =
      cache.get("http://127.0.0.1:" + std::to_string(tarpit.port()) + "/ca.crl", options);
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(entry->crls == nullptr);
  CHECK_FALSE(entry->error.empty());
  CHECK(took < std::chrono::seconds(3));
}

TEST_CASE("only http and https are fetched") {
  CHECK(fetchable("http://crl.example/ca.crl"));
  CHECK(fetchable("https://crl.example/ca.crl"));
  CHECK_FALSE(fetchable("ldap://ldap.example/cn=CA?certificateRevocationList"));
  CHECK_FALSE(fetchable("file:///etc/ssl/ca.crl"));
}

}  // namespace
}  // namespace certvigil::revocation
