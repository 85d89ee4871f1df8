// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/config_test_util.h: loading YAML snippets and finding problems in the result.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "config/config.h"

namespace certvigil::config::test {

/// Where snippets pretend to live: relative paths resolve against /etc/certvigil.
inline constexpr const char* kFile = "/etc/certvigil/certvigil.yaml";

inline LoadOutcome load(const std::string& yaml) { return loadFromString(yaml, kFile); }

/// An enum's config spelling, for CHECKs: doctest cannot print a comparison of enums whose
/// toString() returns std::string_view (it finds toString by ADL and cannot append to it).
template <typename E>
std::string name(E value) {
  return std::string(toString(value));
}

/// Every problem, one per line, for failure messages.
inline std::string listProblems(const LoadOutcome& outcome) {
  std::string out;
  for (const ConfigProblem& p : outcome.problems) out += p.describe() + "\n";
  return out;
}

/// The problem at key_path, or nullptr.
inline const ConfigProblem* problemAt(const LoadOutcome& outcome, const std::string& key_path) {
  for (const ConfigProblem& p : outcome.problems) {
    if (p.key_path == key_path) return &p;
  }
  return nullptr;
}

/// Checks that loading `yaml` fails with exactly one problem, at key_path on `line`, whose
/// message contains `words`.
inline void expectOneProblem(const std::string& yaml, const std::string& key_path, int line,
                             const std::string& words) {
  const LoadOutcome outcome = load(yaml);
  INFO(listProblems(outcome));
  CHECK_FALSE(outcome.ok());
  CHECK_FALSE(outcome.config.has_value());
  REQUIRE(outcome.problems.size() == 1);
  const ConfigProblem& p = outcome.problems.front();
  CHECK(p.file == kFile);
  CHECK(p.key_path == key_path);
  CHECK(p.line == line);
  CHECK(p.column > 0);
  CHECK(p.message.find(words) != std::string::npos);
}

/// Loads a snippet that must be valid.
inline Config loadValid(const std::string& yaml) {
  LoadOutcome outcome = load(yaml);
  INFO(listProblems(outcome));
  REQUIRE(outcome.ok());
  return std::move(*outcome.config);
}

}  // namespace certvigil::config::test
