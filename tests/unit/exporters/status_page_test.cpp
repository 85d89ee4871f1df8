// tests/unit/exporters/status_page_test.cpp: the placeholder status page.
#include "exporters/http/status_page.h"

#include <doctest/doctest.h>

#include "tests/unit/exporters/snapshot_fixtures.h"

namespace certvigil::exporters {
namespace {

using testing::kFixtureNow;
constexpr int64_t kDay = 86400;

TEST_CASE("daysLeft rounds down, also past expiry") {
  const TimePoint now = fromUnix(kFixtureNow);
  CHECK(daysLeft(fromUnix(kFixtureNow + kDay * 3), now) == 3);
  CHECK(daysLeft(fromUnix(kFixtureNow + kDay * 3 - 1), now) == 2);
  CHECK(daysLeft(now, now) == 0);
  CHECK(daysLeft(fromUnix(kFixtureNow - 1), now) == -1);
  CHECK(daysLeft(fromUnix(kFixtureNow - kDay), now) == -1);
  CHECK(daysLeft(fromUnix(kFixtureNow - kDay - 1), now) == -2);
}

TEST_CASE("the page lists certificates soonest first with escaped text") {
  const auto evil =
      testing::makeFacts("CN=<script>alert('x')</script>&", "CN=CA", 5, 0, kFixtureNow + kDay * 5);
  std::vector<TargetResultPtr> targets = testing::smallSnapshot()->targets;
  targets.push_back(
      testing::makeTarget("/tmp/\"evil\".pem", TargetKind::File, {evil}, {ResolvedRole::Client}));
  const std::string page = renderStatusPage(*testing::makeSnapshot(targets), fromUnix(kFixtureNow));
  CHECK(page.find("<script>") == std::string::npos);
  CHECK(page.find("CN=&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;") != std::string::npos);
  CHECK(page.find("/tmp/&quot;evil&quot;.pem") != std::string::npos);
  const size_t evil_row = page.find("<td>5</td>");
  const size_t leaf_row = page.find("<td>20</td>");
  const size_t root_row = page.find("<td>3000</td>");
  REQUIRE(evil_row != std::string::npos);
  CHECK(evil_row < leaf_row);
  CHECK(leaf_row < root_row);
  CHECK(page.find("expires_soon") != std::string::npos);
  CHECK(page.find("Targets without certificates") != std::string::npos);
  CHECK(page.find("connect_failed") != std::string::npos);
}

TEST_CASE("the page caps its rows and says so") {
  const std::string page =
      renderStatusPage(*testing::makeSnapshot(testing::manyTargets(30)), fromUnix(kFixtureNow), 10);
  CHECK(page.find("Showing 10 of 30.") != std::string::npos);
  CHECK(page.find("service-000000.pem") != std::string::npos);  // 0 days left: soonest
  CHECK(page.find("service-000029.pem") == std::string::npos);
}

}  // namespace
}  // namespace certvigil::exporters
