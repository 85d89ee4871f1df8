// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/errors_test.cpp: what the loader itself rejects (syntax, unknown keys, wrong
// types, bad words and durations), each at the right line and key path.
#include <doctest/doctest.h>

#include "tests/unit/config/config_test_util.h"

namespace certvigil::config::test {
namespace {

TEST_CASE("a YAML syntax error is one problem at its position") {
  const LoadOutcome o = load("listen: 127.0.0.1:9879\nendpoints: [a\nfiles: []\n");
  REQUIRE(o.problems.size() == 1);
  CHECK(o.problems[0].line == 3);
  CHECK(o.problems[0].column > 0);
  CHECK(o.problems[0].key_path.empty());
  CHECK(o.problems[0].message.find("YAML syntax error") != std::string::npos);
  CHECK_FALSE(o.config.has_value());
}

TEST_CASE("bad indentation is a syntax error") {
  const LoadOutcome o = load("thresholds:\n  warning: 28d\n critical: 7d\n");
  REQUIRE(o.problems.size() == 1);
  CHECK(o.problems[0].line == 3);
}

TEST_CASE("a stray top-level comma is a syntax error, not an endless loop in yaml-cpp") {
  // fuzz/regressions/config: yaml-cpp 0.7's LoadAll allocated until the process died.
  for (const char* yaml : {",", "# comment\n,\n", " , ,"}) {
    const LoadOutcome o = load(yaml);
    REQUIRE(o.problems.size() == 1);
    CHECK(o.problems[0].message.find("YAML syntax error") != std::string::npos);
    CHECK_FALSE(o.config.has_value());
  }
  CHECK(load("# comment\n,\n").problems[0].line == 2);
  CHECK(load("---\n---\ninterval: 1h\n").problems.size() == 1);  // empty documents still end
}

TEST_CASE("unknown keys are errors, with a suggestion when one is close") {
  SUBCASE("top level typo") {
    expectOneProblem("listen: 127.0.0.1:1\nfile:\n  - path: /x\n", "file", 2,
                     "unknown key 'file' (did you mean 'files'?)");
  }
  SUBCASE("transposition") {
    expectOneProblem("intreval: 1h\n", "intreval", 1, "did you mean 'interval'?");
  }
  SUBCASE("nothing close: list what is allowed") {
    expectOneProblem("probe:\n  open_proxy: true\n", "probe.open_proxy", 2,
                     "unknown key 'open_proxy' (expected one of: allow_any_target)");
  }
  SUBCASE("nested in a list entry") {
    expectOneProblem("endpoints:\n  - address: a:1\n  - address: b:2\n    mtsl: required\n",
                     "endpoints[1].mtsl", 4, "did you mean 'mtls'?");
  }
  SUBCASE("nested in a section") {
    expectOneProblem("thresholds:\n  warn: 10d\n", "thresholds.warn", 2, "did you mean 'warning'?");
  }
}

TEST_CASE("anchors work, merge keys are refused plainly") {
  const Config c = loadValid("endpoints:\n  - &api {address: 'a:1', mtls: required}\n");
  CHECK(name(c.endpoints[0].mtls) == "required");
  expectOneProblem(
      "endpoints:\n  - &e {address: 'a:1', mtls: required}\n  - <<: *e\n    address: b:2\n",
      "endpoints[1].<<", 3, "merge keys (<<) are not supported");
}

TEST_CASE("a duplicate key is an error") {
  expectOneProblem("interval: 1h\ntimeout: 5s\ninterval: 2h\n", "interval", 3,
                   "duplicate key (first set at line 1)");
}

TEST_CASE("wrong types name the key and what was expected") {
  SUBCASE("list for a string") {
    expectOneProblem("listen: [a, b]\n", "listen", 1, "expected a string, got a list");
  }
  SUBCASE("text for a number") {
    expectOneProblem("\nconcurrency: many\n", "concurrency", 2, "expected a whole number");
  }
  SUBCASE("fraction as text") {
    expectOneProblem("thresholds:\n  warning_fraction: third\n", "thresholds.warning_fraction", 2,
                     "expected a number");
  }
  SUBCASE("bool") {
    expectOneProblem("trust:\n  system: maybe\n", "trust.system", 2, "expected true or false");
  }
  SUBCASE("mapping for a list") {
    expectOneProblem("endpoints:\n  address: a:1\n", "endpoints", 2, "expected a list");
  }
  SUBCASE("scalar for a section") {
    expectOneProblem("thresholds: 7d\n", "thresholds", 1, "expected a mapping");
  }
  SUBCASE("list entry not a mapping") {
    expectOneProblem("files:\n  - /etc/ssl/a.pem\n", "files[0]", 2, "expected a mapping");
  }
  SUBCASE("list item of a path list") {
    expectOneProblem("trust:\n  ca_files:\n    - [a, b]\n", "trust.ca_files[0]", 3,
                     "expected a single value, got a list");
  }
  SUBCASE("top level is not a mapping") {
    expectOneProblem("- listen: a:1\n", "", 1, "expected a mapping");
  }
}

TEST_CASE("bad durations") {
  expectOneProblem("interval: soon\n", "interval", 1, "expected a duration such as 90s");
  expectOneProblem("timeout: -5s\n", "timeout", 1, "got '-5s'");
  expectOneProblem("endpoints:\n  - address: a:1\n    timeout: 1.5s\n", "endpoints[0].timeout", 3,
                   "expected a duration");
  expectOneProblem("notifiers:\n  - type: slack\n    url_file: u\n    max_age: 3 days\n",
                   "notifiers[0].max_age", 4, "got '3 days'");
}

TEST_CASE("words outside their set are errors") {
  SUBCASE("mtls") {
    expectOneProblem("endpoints:\n  - address: a:1\n    mtls: requried\n", "endpoints[0].mtls", 3,
                     "'requried' is not one of required | optional | none (did you mean "
                     "'required'?)");
  }
  SUBCASE("starttls") {
    expectOneProblem("endpoints:\n  - address: a:25\n    starttls: smtps\n",
                     "endpoints[0].starttls", 3, "is not one of smtp | imap");
  }
  SUBCASE("role") {
    expectOneProblem("files:\n  - path: a.pem\n    role: ca-bundle\n", "files[0].role", 3,
                     "is not one of client | server | auto");
  }
  SUBCASE("notifier type") {
    expectOneProblem("notifiers:\n  - type: email\n    url: http://x/\n", "notifiers[0].type", 2,
                     "is not one of webhook | slack | alertmanager");
  }
  SUBCASE("notifier without type") {
    expectOneProblem("notifiers:\n  - url: http://x/\n", "notifiers[0].type", 2,
                     "type is required");
  }
}

TEST_CASE("every problem is reported, in file order, not only the first") {
  const LoadOutcome o = load(
      "listen: nowhere\n"          // 1: not host:port
      "concurrency: 0\n"           // 2
      "thresholds:\n"              // 3
      "  warning_fraction: 1.5\n"  // 4
      "endpoints:\n"               // 5
      "  - address: a:1\n"         // 6
      "    mtls: sometimes\n"      // 7
      "  - address: b:99999\n"     // 8
      "files:\n"                   // 9
      "  - path: x.pem\n"          // 10
      "    colour: blue\n"         // 11
      "interval: forever\n");      // 12
  INFO(listProblems(o));
  REQUIRE(o.problems.size() == 7);
  const std::vector<std::pair<std::string, int>> expected{{"listen", 1},
                                                          {"concurrency", 2},
                                                          {"thresholds.warning_fraction", 4},
                                                          {"endpoints[0].mtls", 7},
                                                          {"endpoints[1].address", 8},
                                                          {"files[0].colour", 11},
                                                          {"interval", 12}};
  for (size_t i = 0; i < expected.size(); ++i) {
    CHECK(o.problems[i].key_path == expected[i].first);
    CHECK(o.problems[i].line == expected[i].second);
  }
  CHECK_FALSE(o.config.has_value());
}

TEST_CASE("a value that failed to load is not judged again") {
  // The address has the wrong type: one problem, not also "address is required".
  expectOneProblem("endpoints:\n  - address: [a, b]\n", "endpoints[0].address", 2,
                   "expected a string");
  // A bad type: no second complaint about a missing url.
  expectOneProblem("notifiers:\n  - type: pager\n", "notifiers[0].type", 2, "is not one of");
}

TEST_CASE("describe() is file:line:col: key_path: message") {
  const LoadOutcome o = load("\nendpoints:\n  - address: a:1\n    mtls: maybe\n");
  REQUIRE(o.problems.size() == 1);
  CHECK(o.problems[0].describe() ==
        std::string(kFile) +
            ":4:11: endpoints[0].mtls: 'maybe' is not one of required | optional | none");
  CHECK(ConfigProblem{"f.yaml", 0, 0, "", "cannot open"}.describe() == "f.yaml: cannot open");
  CHECK(ConfigProblem{"f.yaml", 3, 0, "a", "m"}.describe() == "f.yaml:3: a: m");
}

TEST_CASE("more than one YAML document is an error") {
  const LoadOutcome o = load("interval: 1h\n---\ninterval: 2h\n");
  REQUIRE(o.problems.size() == 1);
  CHECK(o.problems[0].line == 3);
  CHECK(o.problems[0].message.find("more than one YAML document") != std::string::npos);
}

}  // namespace
}  // namespace certvigil::config::test
