// SPDX-License-Identifier: Apache-2.0
// cli/report_text and exitCodeFor: the human report is worst first, every finding is followed
// by its remedy, colour only when asked, and a summary line; the exit code is the worst
// severity in Nagios terms.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/report.h"
#include "synthetic.h"

namespace certvigil::cli {
namespace {

using testing::kNow;
using testing::syntheticResults;

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string render(const std::vector<TargetResultPtr>& results, bool color) {
  std::ostringstream out;
  printReport(out, results, color, kNow);
  return out.str();
}

// The target lines (those not indented), in order.
std::vector<std::string> targetLines(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& l : lines(text)) {
    if (!l.empty() && l[0] != ' ') out.push_back(l);
  }
  return out;
}

}  // namespace

TEST_CASE("printReport: worst first, ties in the given order, then the summary") {
  const std::string text = render(syntheticResults(), false);
  CAPTURE(text);
  CHECK(targetLines(text) == std::vector<std::string>{
                                 "CRITICAL  /etc/ssl/old.pem (file)",
                                 "CRITICAL  mtls.example:443 (endpoint)",
                                 "WARNING  /etc/ssl/soon.pem (file)",
                                 "OK  /etc/ssl/self.pem (file)",  // info only is OK
                                 "OK  /etc/ssl/good.pem (file)",
                                 "5 targets: 2 critical, 1 warning, 2 ok",
                             });
}

TEST_CASE("printReport: each certificate with its expiry, each finding with its remedy below") {
  const std::string text = render(syntheticResults(), false);
  const std::vector<std::string> all = lines(text);
  CAPTURE(text);
  // The expired target, whole.
  REQUIRE(all.size() > 5);
  CHECK(all[0] == "CRITICAL  /etc/ssl/old.pem (file)");
  CHECK(all[1] == "    [0] CN=old.example,O=Example  expires 2026-11-19T12:00:00Z (3 days ago)");
  CHECK(all[2] == "    [1] CN=Example Int,O=Example  expires 2035-02-08T12:00:00Z (in 3000 days)");
  CHECK(all[3] == "    critical expired: CN=old.example expired 3 days ago (2026-11-19T12:00:00Z)");
  CHECK(all[4] ==
        "      fix: renew CN=old.example and deploy it (then reload the service that uses it)");
  // Every finding line is followed by its fix line.
  size_t findings = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const bool is_finding = all[i].starts_with("    critical ") ||
                            all[i].starts_with("    warning ") || all[i].starts_with("    info ");
    if (!is_finding) continue;
    ++findings;
    REQUIRE(i + 1 < all.size());
    CHECK(all[i + 1].starts_with("      fix: "));
    CHECK(all[i + 1].size() > std::string("      fix: ").size());
  }
  CHECK(findings == 4);
  CHECK(text.find("(cause: unknown_ca)") != std::string::npos);
  CHECK(text.find("(in 12 days)") != std::string::npos);
}

TEST_CASE("printReport: ANSI colour only when asked") {
  const std::string plain = render(syntheticResults(), false);
  CHECK(plain.find('\033') == std::string::npos);
  const std::string color = render(syntheticResults(), true);
  CHECK(color.find("\033[1;31mCRITICAL\033[0m  /etc/ssl/old.pem") != std::string::npos);
  CHECK(color.find("\033[1;33mWARNING\033[0m") != std::string::npos);
  CHECK(color.find("\033[32mOK\033[0m") != std::string::npos);
  // The same text once the escapes are taken out.
  std::string stripped;
  for (size_t i = 0; i < color.size(); ++i) {
    if (color[i] == '\033') {
      i = color.find('m', i);
      continue;
    }
    stripped += color[i];
  }
  CHECK(stripped == plain);
}

TEST_CASE("printReport: the summary counts, singular and empty") {
  const auto all = syntheticResults();
  CHECK(render({all[0]}, false).ends_with("1 target: 0 critical, 0 warning, 1 ok\n"));
  CHECK(render({}, false) == "0 targets: 0 critical, 0 warning, 0 ok\n");
}

TEST_CASE("exitCodeFor: the worst severity in Nagios terms") {
  const auto all = syntheticResults();  // good, old (critical), self (info), soon (warning), mtls
  CHECK(exitCodeFor({}) == ExitCode::Ok);
  CHECK(exitCodeFor({all[0]}) == ExitCode::Ok);
  CHECK(exitCodeFor({all[2]}) == ExitCode::Ok);  // info only
  CHECK(exitCodeFor({all[0], all[2], all[3]}) == ExitCode::Warning);
  CHECK(exitCodeFor({all[3], all[1]}) == ExitCode::Critical);
  CHECK(exitCodeFor(all) == ExitCode::Critical);
  CHECK(static_cast<int>(ExitCode::Ok) == 0);
  CHECK(static_cast<int>(ExitCode::Warning) == 1);
  CHECK(static_cast<int>(ExitCode::Critical) == 2);
  CHECK(static_cast<int>(ExitCode::Unknown) == 3);
}

}  // namespace certvigil::cli
