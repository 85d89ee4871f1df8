// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/validate_test.cpp: rules across values and keys (validate*.cpp).
#include <doctest/doctest.h>

#include "config/validate.h"
#include "tests/unit/config/config_test_util.h"

namespace certvigil::config::test {
namespace {

TEST_CASE("concurrency must be positive and bounded") {
  expectOneProblem("concurrency: 0\n", "concurrency", 1, "must be at least 1, got 0");
  expectOneProblem("\nconcurrency: -4\n", "concurrency", 2, "must be at least 1, got -4");
  expectOneProblem("concurrency: 1000000\n", "concurrency", 1, "must be at most 10000");
  CHECK(loadValid("concurrency: 1\n").concurrency == 1);
}

TEST_CASE("durations that must be positive") {
  expectOneProblem("interval: 0s\n", "interval", 1, "must be longer than 0s");
  expectOneProblem("timeout: 0\n", "timeout", 1, "must be longer than 0s");
  expectOneProblem("retention: 0d\n", "retention", 1, "must be longer than 0s");
  expectOneProblem("bundles:\n  - path: a\n    interval: 0m\n", "bundles[0].interval", 3,
                   "longer than 0s");
  // A zero threshold is allowed: it only turns that level off.
  CHECK(loadValid("thresholds: {critical: 0s}\n").thresholds.critical == Seconds{0});
}

TEST_CASE("threshold fractions lie in (0, 1]") {
  expectOneProblem("thresholds:\n  critical_fraction: 0\n", "thresholds.critical_fraction", 2,
                   "must be more than 0 and at most 1");
  expectOneProblem("thresholds:\n  warning_fraction: 1.01\n", "thresholds.warning_fraction", 2,
                   "got 1.01");
  expectOneProblem("thresholds:\n  critical_fraction: -0.1\n", "thresholds.critical_fraction", 2,
                   "must be more than 0");
  CHECK(loadValid("thresholds: {warning_fraction: 1}\n").thresholds.warning_fraction == 1.0);
}

TEST_CASE("warning must not come after critical") {
  expectOneProblem("thresholds:\n  warning: 5d\n  critical: 7d\n", "thresholds.warning", 2,
                   "warning (5d) must not be shorter than critical (7d)");
  expectOneProblem("thresholds:\n  warning: 3d\n", "thresholds.warning", 2,
                   "warning (3d) must not be shorter than critical (7d)");
  expectOneProblem("thresholds:\n  warning_fraction: 0.05\n", "thresholds.warning_fraction", 2,
                   "must not be smaller than critical_fraction (0.1)");
  CHECK(loadValid("thresholds: {warning: 7d, critical: 7d}\n").thresholds.warning ==
        Seconds{7 * 86400});
}

TEST_CASE("listen is host:port") {
  expectOneProblem("listen: 9879\n", "listen", 1, "'9879' is not host:port: missing :port");
  expectOneProblem("listen: ':9879'\n", "listen", 1, "missing host");
  expectOneProblem("listen: localhost:http\n", "listen", 1, "port must be a number");
  CHECK(loadValid("listen: '[::1]:9879'\n").listen == "[::1]:9879");
  CHECK(loadValid("listen: 127.0.0.1:0\n").listen == "127.0.0.1:0");  // tests bind port 0
}

TEST_CASE("endpoint addresses are host:port or [v6]:port with a port 1-65535") {
  auto one = [](const std::string& address, const std::string& words) {
    CAPTURE(address);
    expectOneProblem("endpoints:\n  - address: '" + address + "'\n", "endpoints[0].address", 2,
                     words);
  };
  one("api.internal", "missing :port");
  one("api.internal:0", "port must be a number from 1 to 65535, got '0'");
  one("api.internal:65536", "got '65536'");
  one("api.internal:", "got ''");
  one("2001:db8::1:443", "an IPv6 address needs brackets: [2001:db8::1]:port");
  one("[2001:db8::zz]:443", "is not an IPv6 address");
  one("[::1]443", "missing :port after ']'");
  one("api internal:443", "invalid character ' '");
  expectOneProblem("endpoints:\n  - mtls: required\n", "endpoints[0].address", 2,
                   "address is required");
  const Config c =
      loadValid("endpoints: [{address: 'a-b_c.d:1'}, {address: '[fe80::1%eth0]:65535'}]");
  CHECK(c.endpoints[0].servername == "a-b_c.d");
  CHECK(c.endpoints[1].servername == "fe80::1%eth0");
}

TEST_CASE("client credentials go together") {
  SUBCASE("cert without key") {
    expectOneProblem("endpoints:\n  - address: a:1\n    client_cert: c.pem\n",
                     "endpoints[0].client_cert", 3, "client_cert needs client_key");
  }
  SUBCASE("a .p12 as client_cert") {
    expectOneProblem("endpoints:\n  - address: a:1\n    client_cert: c.P12\n",
                     "endpoints[0].client_cert", 3, "use client_pkcs12");
  }
  SUBCASE("key without cert") {
    expectOneProblem("endpoints:\n  - address: a:1\n    client_key: c.key\n",
                     "endpoints[0].client_key", 3, "client_key is set but client_cert is not");
  }
  SUBCASE("pkcs12 and PEM both") {
    expectOneProblem(
        "endpoints:\n  - address: a:1\n    client_cert: c.pem\n    client_key: c.key\n"
        "    client_pkcs12: c.p12\n",
        "endpoints[0].client_pkcs12", 5, "not both");
  }
  SUBCASE("password_file with nothing to open") {
    expectOneProblem("endpoints:\n  - address: a:1\n    password_file: p\n",
                     "endpoints[0].password_file", 3, "only used with client_pkcs12");
  }
  SUBCASE("mtls required without credentials is allowed: we still probe") {
    CHECK(name(loadValid("endpoints: [{address: 'a:1', mtls: required}]").endpoints[0].mtls) ==
          "required");
    CHECK(name(loadValid("endpoints: [{address: 'a:1', mtls: optional}]").endpoints[0].mtls) ==
          "optional");
  }
  SUBCASE("the key in the same PEM") {
    CHECK_NOTHROW(
        loadValid("endpoints: [{address: 'a:1', client_cert: a.pem, client_key: a.pem}]"));
  }
}

TEST_CASE("duplicates of one target are errors") {
  expectOneProblem("endpoints:\n  - address: a:1\n  - address: b:1\n  - address: a:1\n",
                   "endpoints[2].address", 4, "same as endpoints[0] (line 2)");
  expectOneProblem("files:\n  - path: /x\n  - path: /etc/certvigil/../../x\n", "files[1].path", 3,
                   "same as files[0]");
  expectOneProblem("bundles:\n  - path: /b\n  - path: /b\n", "bundles[1].path", 3, "same as");
  // The same address under another name is another virtual host.
  CHECK(loadValid("endpoints: [{address: 'a:1'}, {address: 'a:1', servername: b}]")
            .endpoints.size() == 2);
}

TEST_CASE("files and bundles need a path") {
  expectOneProblem("files:\n  - role: client\n", "files[0].path", 2, "path is required");
  expectOneProblem("bundles:\n  - interval: 1h\n", "bundles[0].path", 2, "path is required");
}

TEST_CASE("notifiers need a destination suited to their type") {
  expectOneProblem("notifiers:\n  - type: webhook\n", "notifiers[0].url", 2,
                   "a webhook notifier needs url");
  expectOneProblem("notifiers:\n  - type: alertmanager\n", "notifiers[0].url", 2,
                   "an alertmanager notifier needs url");
  expectOneProblem("notifiers:\n  - type: slack\n", "notifiers[0].url_file", 2,
                   "a slack notifier needs url_file");
  expectOneProblem("notifiers:\n  - type: webhook\n    url: ftp://x/\n", "notifiers[0].url", 3,
                   "is not an http:// or https:// URL");
  expectOneProblem("notifiers:\n  - type: webhook\n    url: http://x/\n    url_file: u\n",
                   "notifiers[0].url_file", 4, "not both");
  expectOneProblem("notifiers:\n  - type: slack\n    url_file: u\n    secret_file: s\n",
                   "notifiers[0].secret_file", 4, "only used by webhook");
  CHECK(loadValid("notifiers: [{type: webhook, url_file: u}]").notifiers[0].url.empty());
}

TEST_CASE("URLs with tokens are rejected with advice to use url_file") {
  expectOneProblem(
      "notifiers:\n  - type: slack\n    url: https://hooks.slack.com/services/T0/B0/XXXX\n",
      "notifiers[0].url", 3, "contains a Slack webhook token: put it in a file");
  expectOneProblem("notifiers:\n  - type: slack\n    url: https://chat.internal/hooks/abc\n",
                   "notifiers[0].url", 3, "set url_file instead");
  expectOneProblem("notifiers:\n  - type: webhook\n    url: https://h.internal/x?a=1&Token=s3\n",
                   "notifiers[0].url", 3, "contains a 'token' parameter");
  expectOneProblem("notifiers:\n  - type: alertmanager\n    url: http://u:pw@am:9093\n",
                   "notifiers[0].url", 3, "contains a user name or password");
}

TEST_CASE("notifier filters and names") {
  expectOneProblem("notifiers:\n  - type: slack\n    url_file: u\n    severities: [critcal]\n",
                   "notifiers[0].severities[0]", 4, "is not one of info | warning | critical");
  expectOneProblem(
      "notifiers:\n  - type: slack\n    url_file: u\n    codes:\n      - expired\n"
      "      - expires_son\n",
      "notifiers[0].codes[1]", 6, "did you mean 'expires_soon'?");
  expectOneProblem(
      "notifiers:\n  - type: slack\n    url_file: u\n    name: ops\n"
      "  - type: slack\n    url_file: v\n    name: ops\n",
      "notifiers[1].name", 7, "already named 'ops'");
  expectOneProblem("notifiers:\n  - type: slack\n    url_file: u\n    name: 'ops team'\n",
                   "notifiers[0].name", 4, "letters, digits");
  expectOneProblem("notifiers:\n  - type: slack\n    url_file: u\n    repeat_interval: 0s\n",
                   "notifiers[0].repeat_interval", 4, "longer than 0s");
}

TEST_CASE("validate() works on a config built in code") {
  Config c;
  c.concurrency = 0;
  EndpointConfig e;
  e.address = std::string("no-port");
  c.endpoints.push_back(e);
  const std::vector<ConfigProblem> problems = validate(c);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].key_path == "concurrency");
  CHECK(problems[0].line == 0);
  CHECK(problems[1].key_path == "endpoints[0].address");
  CHECK(validate(Config{}).empty());
}

}  // namespace
}  // namespace certvigil::config::test
