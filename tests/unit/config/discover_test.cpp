// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/discover_test.cpp: `discover:` entries: one server kind each, the path
// optional (the distribution default is applied by the scheduler), an optional interval.
#include "tests/unit/config/config_test_util.h"

namespace certvigil::config::test {

TEST_CASE("discover: one server per entry, path optional, relative paths resolved") {
  const LoadOutcome outcome = load(
      "discover:\n  - nginx: /etc/nginx/nginx.conf\n  - apache:\n"
      "  - haproxy: haproxy/haproxy.cfg\n    interval: 15m\n");
  REQUIRE_MESSAGE(outcome.ok(), listProblems(outcome));
  const auto& d = outcome.config->discover;
  REQUIRE(d.size() == 3);
  CHECK(d[0].server == "nginx");
  CHECK(d[0].path == "/etc/nginx/nginx.conf");
  CHECK(d[0].line == 2);
  CHECK(d[1].server == "apache");
  CHECK(d[1].path.empty());
  CHECK(d[2].path == "/etc/certvigil/haproxy/haproxy.cfg");
  REQUIRE(d[2].interval.has_value());
  CHECK(d[2].interval->count() == 900);
}

TEST_CASE("discover: two servers, none, an unknown key or a bad interval are errors") {
  CHECK_FALSE(load("discover:\n  - nginx: /a\n    apache: /b\n").ok());
  CHECK_FALSE(load("discover:\n  - interval: 1h\n").ok());
  const LoadOutcome typo = load("discover:\n  - ngnix: /etc/nginx/nginx.conf\n");
  CHECK_FALSE(typo.ok());
  CHECK(listProblems(typo).find("nginx") != std::string::npos);
  CHECK_FALSE(load("discover:\n  - nginx:\n    interval: 0s\n").ok());
  CHECK_FALSE(load("discover: /etc/nginx/nginx.conf\n").ok());
}

}  // namespace certvigil::config::test
