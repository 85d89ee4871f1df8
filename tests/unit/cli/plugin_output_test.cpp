// SPDX-License-Identifier: Apache-2.0
// cli/plugin_output: the status line of `certvigil check` follows the Nagios plugin guidelines:
// "CERTVIGIL STATE - text | perfdata", the state agrees with the exit code, and every perfdata
// item matches 'label'=value[UOM];[warn];[crit];[min];[max].
#include "cli/plugin_output.h"

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "cli/report.h"
#include "synthetic.h"

namespace certvigil::cli {
namespace {

using testing::facts;
using testing::kDay;
using testing::kNow;
using testing::result;
using testing::syntheticResults;

// The guidelines' grammar: a label quoted with single quotes when it holds spaces or quotes
// (a quote inside doubled, no '='), a value of [-0-9.] or U, a unit of s, %, B/KB/MB/TB or c,
// then warn;crit;min;max, each optional (thresholds in range format).
const std::regex kPerfItem(R"(('([^'=]|'')+'|[^' =]+)=(-?[0-9.]+|U)(s|%|B|KB|MB|TB|c)?)"
                           R"((;(@?(-?[0-9.]+|~)?:?(-?[0-9.]+)?)?){0,2}(;(-?[0-9.]+)?){0,2})");
const std::regex kStatusLine(R"(CERTVIGIL (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]*)(?: \| (.*))?)");

const char* stateOf(ExitCode code) {
  constexpr const char* kNames[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  return kNames[static_cast<int>(code)];
}

// Checks the line against the grammar and the exit code; returns its perfdata items.
std::vector<std::string> checkedPerfdata(const std::vector<TargetResultPtr>& results) {
  const std::string line = pluginStatusLine(results, kNow, Thresholds{});
  CAPTURE(line);
  CHECK(line.find('\n') == std::string::npos);
  std::smatch parts;
  REQUIRE(std::regex_match(line, parts, kStatusLine));
  CHECK(parts[1] == stateOf(exitCodeFor(results)));
  std::vector<std::string> items;
  const std::string perf = parts[3];
  // Items are separated by spaces outside quotes.
  static const std::regex kItem(R"(('([^']|'')*'|[^' ])+)");
  for (auto it = std::sregex_iterator(perf.begin(), perf.end(), kItem);
       it != std::sregex_iterator(); ++it) {
    const std::string item = it->str();
    CHECK_MESSAGE(std::regex_match(item, kPerfItem), item);
    items.push_back(item);
  }
  CHECK(items.size() == results.size());
  return items;
}

TEST_CASE(
    "pluginStatusLine: the synthetic snapshot, worst first in the text, perfdata per target") {
  const auto all = syntheticResults();
  CHECK(pluginStatusLine(all, kNow, Thresholds{}) ==
        "CERTVIGIL CRITICAL - 2 critical, 1 warning, 2 ok | '/etc/ssl/good.pem'=60;28;7;0 "
        "'/etc/ssl/old.pem'=-3;28;7;0 '/etc/ssl/self.pem'=360;28;7;0 "
        "'/etc/ssl/soon.pem'=12;28;7;0 'mtls.example:443'=80;28;7;0");
  checkedPerfdata(all);
}

// Targets name only the fields they set (designated initializers), as in synthetic.h.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

TEST_CASE("pluginStatusLine: ok, warning, critical, no certificate, odd labels") {
  const auto all = syntheticResults();
  SUBCASE("ok") {
    CHECK(checkedPerfdata({all[0], all[2]}) ==
          std::vector<std::string>{"'/etc/ssl/good.pem'=60;28;7;0",
                                   "'/etc/ssl/self.pem'=360;28;7;0"});
    CHECK(pluginStatusLine({all[0]}, kNow, {})
              .starts_with("CERTVIGIL OK - 0 critical, 0 warning, 1 ok | "));
  }
  SUBCASE("warning") {
    checkedPerfdata({all[0], all[3]});
    CHECK(pluginStatusLine({all[3]}, kNow, {})
              .starts_with("CERTVIGIL WARNING - 0 critical, 1 warning, 0 ok | "));
  }
  SUBCASE("critical") {
    checkedPerfdata({all[1]});
    CHECK(pluginStatusLine({all[1]}, kNow, {})
              .starts_with("CERTVIGIL CRITICAL - 1 critical, 0 warning, 0 ok | "));
  }
  SUBCASE("no certificate: the value is U") {
    auto refused =
        result({.name = "down.example:443",
                .kind = TargetKind::Endpoint,
                .findings = {testing::finding(FindingCode::ConnectFailed, Severity::Critical,
                                              nullptr, 0, "connection refused", "start it")}});
    CHECK(checkedPerfdata({refused}) == std::vector<std::string>{"'down.example:443'=U;28;7;0"});
    CHECK(pluginStatusLine({}, kNow, {}) == "CERTVIGIL OK - 0 critical, 0 warning, 0 ok");
  }
  SUBCASE("a quote, a space, '=' and '|' in a label") {
    auto odd =
        result({.name = "/srv/o'brien certs/a=b|c.pem",
                .certs = {facts("odd.example", "Example Int", kNow - kDay, kNow + 40 * kDay)}});
    CHECK(checkedPerfdata({odd}) ==
          std::vector<std::string>{"'/srv/o''brien certs/a_b_c.pem'=40;28;7;0"});
  }
}

TEST_CASE("daysLeft: floor of the soonest certificate on the verified path") {
  auto leaf = facts("leaf.example", "Example Int", kNow - kDay, kNow + 30 * kDay + Seconds{3600});
  auto old_cross =
      facts("Old Cross", "Old Root", kNow - 900 * kDay, kNow + 2 * kDay, testing::Use::Ca);
  auto intermediate =
      facts("Example Int", "Example Root", kNow - kDay, kNow + 900 * kDay, testing::Use::Ca);
  auto r = result({.name = "/etc/ssl/a.pem", .certs = {leaf, intermediate, old_cross}});
  CHECK(daysLeft(*r, kNow) == 2);  // no verified path: every certificate counts
  auto verified = std::make_shared<TargetResult>(*r);
  verified->observation.chain.status = ChainStatus::Valid;
  verified->observation.chain.path = CertificatePath::List{
      {leaf, CertSource::Presented, 0}, {intermediate, CertSource::Presented, 1}};
  CHECK(daysLeft(*verified, kNow) == 30);  // the stray cross-sign is not on the path
  CHECK(daysLeft(*verified, kNow + 30 * kDay + Seconds{3601}) == -1);  // 1 s past: day -1
  Thresholds thresholds;
  thresholds.warning = 20 * kDay;
  thresholds.critical = 3 * kDay;
  CHECK(pluginStatusLine({verified}, kNow, thresholds) ==
        "CERTVIGIL OK - 0 critical, 0 warning, 1 ok | '/etc/ssl/a.pem'=30;20;3;0");
}

#pragma GCC diagnostic pop

}  // namespace
}  // namespace certvigil::cli
