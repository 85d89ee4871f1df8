// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/metrics_docs_test.cpp: docs/METRICS.md and the code list the same
// families (CONTRIBUTING.md: user-facing names defined once, docs checked against code).
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "exporters/prometheus/metric_families.h"
#include "tests/support/test_support.h"

namespace certvigil::exporters {
namespace {

TEST_CASE("docs/METRICS.md documents exactly the exported families") {
  const std::string doc = testing::readFile(testing::sourceDir() / "docs/METRICS.md");
  REQUIRE_FALSE(doc.empty());
  std::set<std::string> documented;
  const std::regex row(R"(^\| `((certvigil|process)_[a-z_]+)` \|)");
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, row)) documented.insert(match[1].str());
  }
  std::set<std::string> exported;
  for (const FamilyDescriptor& family : kAllFamilies) exported.insert(std::string(family.name));
  CHECK(documented == exported);
}

}  // namespace
}  // namespace certvigil::exporters
