// SPDX-License-Identifier: Apache-2.0
// daemon/probe_route.h: GET /probe's answers that need no probe: a missing target, no
// configuration yet, a malformed target or option (400) and an endpoint that is not configured
// (403). None of these requests reaches the network.
#include "daemon/probe_route.h"

#include <doctest/doctest.h>

#include <memory>

#include "scheduler/monitor.h"

namespace certvigil::daemon {
namespace {

constexpr TimePoint kNow{Seconds{1795348800}};

struct Fixture {
  std::shared_ptr<const config::Config> config;
  FixedClock clock{kNow};
  scheduler::Monitor monitor{nullptr, clock};  // where the daemon's /probe finds its endpoints
  scheduler::ProbeService service{[this] { return config; },
                                  [this](std::string_view address, std::string_view servername) {
                                    return monitor.configuredEndpoint(address, servername);
                                  },
                                  clock};
  exporters::HttpRoute route = probeRoute(service);

  explicit Fixture(bool allow_any = false) {
    auto c = std::make_shared<config::Config>();
    c->trust.system = false;  // nothing to load: the store is never used by a refusal
    c->probe.allow_any_target = allow_any;
    config::EndpointConfig e;
    e.address = "api.internal:443";
    c->endpoints.push_back(e);
    config = std::move(c);
    REQUIRE(monitor.configure(*config).ok());
  }

  exporters::HttpResponse get(std::multimap<std::string, std::string> params) const {
    exporters::HttpRequest req;
    req.method = "GET";
    req.path = "/probe";
    req.params = std::move(params);
    return route.handler(req);
  }
};

TEST_CASE("the route is GET /probe") {
  Fixture f;
  CHECK(f.route.method == exporters::HttpMethod::Get);
  CHECK(f.route.pattern == "/probe");
  CHECK_FALSE(f.route.authorize);
}

TEST_CASE("a request without target= is malformed") {
  Fixture f;
  const exporters::HttpResponse res = f.get({{"servername", "api.internal"}});
  CHECK(res.status == 400);
  CHECK(res.body == "missing target=host:port\n");
  CHECK(f.get({{"target", ""}}).status == 400);
}

TEST_CASE("before a configuration is in force the answer is 400, not a probe") {
  Fixture f;
  f.config = nullptr;
  const exporters::HttpResponse res = f.get({{"target", "api.internal:443"}});
  CHECK(res.status == 400);
  CHECK(res.body == "not configured yet\n");
}

TEST_CASE("an endpoint that is not configured is forbidden") {
  Fixture f;
  const exporters::HttpResponse res = f.get({{"target", "db.internal:5432"}});
  CHECK(res.status == 403);
  CHECK(res.body == "not a configured endpoint (set probe.allow_any_target to probe any)\n");
  // Configured address, another servername: not that entry either.
  CHECK(f.get({{"target", "api.internal:443"}, {"servername", "other.internal"}}).status == 403);
}

TEST_CASE("a malformed target is 400 whether or not any target may be probed") {
  for (bool allow_any : {false, true}) {
    CAPTURE(allow_any);
    Fixture f(allow_any);
    for (const char* target : {"api.internal", "api.internal:", "api.internal:99999",
                               "2001:db8::1:443", "http://api.internal/"}) {
      CAPTURE(target);
      const exporters::HttpResponse res = f.get({{"target", target}});
      CHECK(res.status == 400);
      CHECK(res.body.rfind("target must be host:port or [v6]:port: ", 0) == 0);
    }
  }
}

TEST_CASE("with allow_any_target, unknown options of an ad hoc target are 400") {
  Fixture f(true);
  exporters::HttpResponse res = f.get({{"target", "db.internal:5432"}, {"mtls", "sometimes"}});
  CHECK(res.status == 400);
  CHECK(res.body == "mtls must be none, optional or required\n");
  res = f.get({{"target", "db.internal:5432"}, {"starttls", "gopher"}});
  CHECK(res.status == 400);
  CHECK(res.body == "unknown starttls protocol\n");
}

}  // namespace
}  // namespace certvigil::daemon
