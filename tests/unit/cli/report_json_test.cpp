// SPDX-License-Identifier: Apache-2.0
// cli/report_json: `--json` has its stable shape (findings as in docs/FINDINGS.md) —
// {"results":[{"target","kind","certificates":[...],"findings":[...]}]} with RFC 3339 UTC
// timestamps and `cause` only where set — and the synthetic snapshot renders as
// tests/golden/check_synthetic.json.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/report.h"
#include "synthetic.h"
#include "tests/support/test_support.h"

namespace certvigil::cli {
namespace {

using testing::syntheticResults;
using Json = nlohmann::ordered_json;

std::vector<std::string> keysOf(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

bool isRfc3339Utc(const std::string& s) {
  static const std::regex rfc3339(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$)");
  return std::regex_match(s, rfc3339);
}

}  // namespace

TEST_CASE("resultsToJson: one object, a results array, one entry per target in order") {
  const Json j = resultsToJson(syntheticResults());
  REQUIRE(j.is_object());
  CHECK(keysOf(j) == std::vector<std::string>{"results"});
  REQUIRE(j["results"].is_array());
  REQUIRE(j["results"].size() == 5);
  std::vector<std::string> targets;
  for (const auto& r : j["results"]) {
    CHECK(keysOf(r) == std::vector<std::string>{"target", "kind", "certificates", "findings"});
    targets.push_back(r["target"].get<std::string>());
  }
  CHECK(targets == std::vector<std::string>{"/etc/ssl/good.pem", "/etc/ssl/old.pem",
                                            "/etc/ssl/self.pem", "/etc/ssl/soon.pem",
                                            "mtls.example:443"});
  CHECK(j["results"][0]["kind"] == "file");
  CHECK(j["results"][4]["kind"] == "endpoint");
  CHECK(resultsToJson({}) == Json{{"results", Json::array()}});
}

TEST_CASE("resultsToJson: certificates carry the documented keys, RFC 3339 UTC times") {
  const Json j = resultsToJson(syntheticResults());
  const Json& certs = j["results"][0]["certificates"];
  REQUIRE(certs.size() == 2);
  for (const auto& c : certs) {
    for (const char* key :
         {"fingerprint_sha256", "subject", "issuer", "not_before", "not_after", "position"}) {
      CAPTURE(key);
      CHECK(c.contains(key));
    }
    CHECK(isRfc3339Utc(c["not_before"].get<std::string>()));
    CHECK(isRfc3339Utc(c["not_after"].get<std::string>()));
    CHECK(
        std::regex_match(c["fingerprint_sha256"].get<std::string>(), std::regex("^[0-9a-f]{64}$")));
  }
  CHECK(certs[0]["position"] == 0);  // the leaf
  CHECK(certs[1]["position"] == 1);
  CHECK(certs[0]["subject"] == "CN=good.example,O=Example");
  CHECK(certs[0]["issuer"] == "CN=Example Int,O=Example");
  CHECK(certs[0]["not_before"] == "2026-10-23T12:00:00Z");
  CHECK(certs[0]["not_after"] == "2027-01-21T12:00:00Z");
  CHECK(certs[0]["role"] == "server");
  CHECK(certs[1]["role"] == "ca");
}

TEST_CASE(
    "resultsToJson: findings carry code, severity, fingerprint, message, remedy; cause "
    "only when set") {
  const Json j = resultsToJson(syntheticResults());
  CHECK(j["results"][0]["findings"] == Json::array());  // healthy: an empty list, not absent

  const Json& expired = j["results"][1]["findings"];
  REQUIRE(expired.size() == 1);
  for (const char* key : {"code", "severity", "fingerprint_sha256", "message", "remedy"}) {
    CAPTURE(key);
    CHECK(expired[0].contains(key));
  }
  CHECK(expired[0]["code"] == "expired");
  CHECK(expired[0]["severity"] == "critical");
  CHECK(expired[0]["fingerprint_sha256"] ==
        j["results"][1]["certificates"][0]["fingerprint_sha256"]);
  CHECK_FALSE(expired[0].contains("cause"));
  CHECK(j["results"][3]["findings"][0]["severity"] == "warning");
  CHECK(j["results"][2]["findings"][0]["severity"] == "info");

  const Json& rejected = j["results"][4]["findings"];
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0]["code"] == "client_cert_rejected");
  CHECK(rejected[0]["cause"] == "unknown_ca");
}

TEST_CASE("resultsToJson: the synthetic snapshot matches the golden file") {
  const std::string text = resultsToJson(syntheticResults()).dump(2) + "\n";
  const auto golden = certvigil::testing::sourceDir() / "tests/golden/check_synthetic.json";
  if (std::getenv("CERTVIGIL_UPDATE_GOLDEN")) certvigil::testing::writeFile(golden, text);
  // Compared as JSON values: whitespace and number formatting are not part of the contract.
  CHECK(nlohmann::json::parse(text) == nlohmann::json::parse(certvigil::testing::readFile(golden)));
}

TEST_CASE("writeResultsJson: prints resultsToJson's document byte for byte, one result at a time") {
  const auto printed = [](const std::vector<TargetResultPtr>& results,
                          std::optional<TimePoint> at) {
    std::ostringstream out;
    writeResultsJson(out, results, at);
    return out.str();
  };
  const TimePoint at = std::chrono::sys_days{std::chrono::year{2027} / 1 / 2};
  for (const auto& results : {syntheticResults(), std::vector<TargetResultPtr>{}}) {
    CHECK(printed(results, std::nullopt) == resultsToJson(results).dump(2));
    CHECK(printed(results, at) == resultsToJson(results, at).dump(2));
  }
  // A result whose strings hold a newline and non-ASCII text: escaped, never a raw line break.
  auto odd = std::make_shared<TargetResult>(*syntheticResults().front());
  odd->observation.target = "/etc/ssl/two\nlines-\u00e9.pem";
  CHECK(printed({odd}, at) == resultsToJson({odd}, at).dump(2));
}

}  // namespace certvigil::cli
