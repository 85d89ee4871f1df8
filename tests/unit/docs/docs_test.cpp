// SPDX-License-Identifier: Apache-2.0
// tests/unit/docs/docs_test.cpp: the finding codes users route alerts on are defined once
// (core/finding_codes.def) and must agree with the product contract (PRODUCT.md's finding table,
// beside the source tree) and with docs/FINDINGS.md. PRODUCT.md is not shipped with the source
// (packaged builds): without it that part is skipped with a MESSAGE, not failed.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/finding.h"
#include "tests/support/test_support.h"

namespace certvigil {
namespace {

/// One table row: the code and the severity words of its row ("warning / critical" ->
/// {"warning", "critical"}).
struct CodeRow {
  std::string code;
  std::set<std::string> severities;
};
using CodeTable = std::vector<CodeRow>;

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// From the heading line that starts with `heading` up to the next heading of its level.
std::string section(const std::string& doc, const std::string& heading) {
  const auto start = doc.find("\n" + heading);
  if (start == std::string::npos) return "";
  const std::string level = heading.substr(0, heading.find(' ') + 1);  // "## "
  const auto end = doc.find("\n" + level, start + heading.size() + 1);
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

/// Rows "| `code` | severity | ..." of the tables in `text`.
CodeTable parseCodeTable(const std::string& text) {
  static const std::regex row(R"(^\| `([a-z][a-z0-9_]*)` \| ([^|]*) \|)");
  CodeTable table;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_search(line, match, row)) continue;
    CodeRow& entry = table.emplace_back(CodeRow{match[1].str(), {}});
    std::istringstream severities(match[2].str());
    for (std::string word; std::getline(severities, word, '/');)
      entry.severities.insert(trim(word));
  }
  return table;
}

/// Codes named by "### `code`" headings, in document order.
std::vector<std::string> headingCodes(const std::string& doc) {
  static const std::regex heading(R"(^#{2,4} `([a-z][a-z0-9_]*)`)");
  std::vector<std::string> codes;
  std::istringstream lines(doc);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, heading)) codes.push_back(match[1].str());
  }
  return codes;
}

/// Every code core knows, in table order (finding_codes.def).
std::vector<std::string> coreCodes() {
  std::vector<std::string> codes;
  for (FindingCode code : allFindingCodes()) codes.emplace_back(toString(code));
  return codes;
}

std::vector<std::string> codesOf(const CodeTable& table) {
  std::vector<std::string> codes;
  for (const CodeRow& row : table) codes.push_back(row.code);
  return codes;
}

/// Both directions: every core code has a row with its default severity among the row's
/// words, and every row names a core code (`planned`: a row core does not know yet is
/// reported, not failed: the contract names codes before they are built).
void expectSameCodes(const CodeTable& table, const std::string& where, bool planned = false) {
  CAPTURE(where);
  for (FindingCode code : allFindingCodes()) {
    const std::string name(toString(code));
    const std::string severity(toString(defaultSeverity(code)));
    CAPTURE(name);
    const auto row =
        std::find_if(table.begin(), table.end(), [&](const CodeRow& r) { return r.code == name; });
    CHECK_MESSAGE(row != table.end(), name << " is missing from " << where);
    if (row == table.end()) continue;
    CHECK_MESSAGE(row->severities.count(severity) == 1,
                  name << ": default severity " << severity << " is not in " << where);
  }
  for (const CodeRow& row : table) {
    if (planned && !findingCodeFromString(row.code)) {
      MESSAGE(where << " lists " << row.code << ", which is not built yet");
      continue;
    }
    CHECK_MESSAGE(findingCodeFromString(row.code).has_value(),
                  where << " lists " << row.code << ", which core does not know");
  }
}

std::string readDoc(const std::filesystem::path& path) {
  const std::string doc = testing::readFile(path);
  REQUIRE_MESSAGE(!doc.empty(), path.string() << " is missing or empty");
  return "\n" + doc;  // so that a heading on the first line is found like any other
}

}  // namespace

TEST_CASE("core's finding table is complete and consistent") {
  std::set<std::string> names;
  for (FindingCode code : allFindingCodes()) {
    const std::string name(toString(code));
    CAPTURE(name);
    CHECK(std::regex_match(name, std::regex("[a-z][a-z0-9_]*")));
    CHECK(names.insert(name).second);
    CHECK(findingCodeFromString(name) == code);
    CHECK_FALSE(defaultMeaning(code).empty());
    CHECK_FALSE(defaultRemedy(code).empty());
  }
  CHECK(names.size() == allFindingCodes().size());
}

TEST_CASE("PRODUCT.md's finding table and core list the same codes and severities") {
  const std::filesystem::path product = testing::sourceDir() / ".." / "shared" / "PRODUCT.md";
  if (!std::filesystem::exists(product)) {
    MESSAGE("skipped: " << product.string() << " does not exist (not a development checkout)");
    return;
  }
  const std::string table = section(readDoc(product), "## Finding codes");
  REQUIRE_MESSAGE(!table.empty(), "PRODUCT.md has no '## Finding codes' section");
  expectSameCodes(parseCodeTable(table), "PRODUCT.md", /*planned=*/true);
}

TEST_CASE("docs/FINDINGS.md documents every code with its severity") {
  const std::string doc = readDoc(testing::sourceDir() / "docs" / "FINDINGS.md");
  const std::string summary = section(doc, "## All codes");
  REQUIRE_MESSAGE(!summary.empty(), "docs/FINDINGS.md has no '## All codes' table");
  const CodeTable rows = parseCodeTable(summary);
  expectSameCodes(rows, "docs/FINDINGS.md '## All codes'");
  CHECK_MESSAGE(codesOf(rows) == coreCodes(), "the '## All codes' table is not in table order");

  const std::vector<std::string> headings = headingCodes(doc);
  for (const std::string& name : coreCodes()) {
    CHECK_MESSAGE(std::count(headings.begin(), headings.end(), name) == 1,
                  "docs/FINDINGS.md needs exactly one heading for " << name);
  }
  for (const std::string& name : headings) {
    CHECK_MESSAGE(findingCodeFromString(name).has_value(),
                  "docs/FINDINGS.md has a heading for unknown code " << name);
  }
  CHECK_MESSAGE(headings == coreCodes(), "the code headings are not in table order");
}

TEST_CASE("the table parser reads rows, severity alternatives and sections") {
  const std::string text =
      "\n## A\n| code | severity |\n|---|---|\n| `expires_soon` | warning / critical | x |\n"
      "| `expired` | critical | y |\n## B\n| `other` | info | z |\n";
  const CodeTable a = parseCodeTable(section(text, "## A"));
  REQUIRE(a.size() == 2);
  CHECK(a[0].code == "expires_soon");
  CHECK(a[0].severities == std::set<std::string>{"warning", "critical"});
  CHECK(a[1].code == "expired");
  CHECK(a[1].severities == std::set<std::string>{"critical"});
  CHECK(section(text, "## C").empty());
  CHECK(headingCodes("\n### `weak_key`\ntext\n## `expired` (critical)\n") ==
        std::vector<std::string>{"weak_key", "expired"});
}

}  // namespace certvigil
