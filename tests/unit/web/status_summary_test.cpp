// SPDX-License-Identifier: Apache-2.0
// Tests for the status page's counts, GET /api/v1/status ("summary") and the unfiltered
// GET /api/v1/timeline: they come from the snapshot, and must equal what the database counts
// for the same scan, also where the two could part: a certificate presented at two positions, the
// same one twice at one position, a finding about another position of the same fingerprint, no
// fingerprint.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "exporters/http/api_routes.h"
#include "tests/unit/web/web_fixtures.h"

namespace certvigil::exporters {
namespace {

using Json = nlohmann::json;
using testing::at;
using testing::fakeCertificate;
using testing::fakeFinding;
using testing::fakeResult;

class ReadyStatus final : public StatusProvider {
 public:
  DaemonStatus status() const override {
    DaemonStatus status;
    status.ready = true;
    return status;
  }
};

// The routes over `db` and `snapshot`, and a GET that returns the parsed body.
struct Api {
  std::filesystem::path db;
  std::unique_ptr<storage::HistoryReader> reader;
  testing::FixedSnapshots snapshots;
  ReadyStatus status;
  BearerToken token;
  FakeClock clock{at(100)};
  std::vector<HttpRoute> routes;

  Api(const std::filesystem::path& db_path, SnapshotPtr snapshot)
      : db(db_path),
        reader(std::move(storage::HistoryReader::open(db_path).value())),
        snapshots(std::move(snapshot)) {
    routes = apiRoutes({*reader, snapshots, status, token, clock, {}});
  }
  Json get(const std::string& path, std::multimap<std::string, std::string> params = {}) const {
    for (const HttpRoute& route : routes) {
      std::smatch match;
      if (route.method != HttpMethod::Get ||
          !std::regex_match(path, match, std::regex(route.pattern)))
        continue;
      HttpRequest request{"GET", path, std::move(params), {}, {}, "", "127.0.0.1"};
      const HttpResponse response = route.handler(request);
      REQUIRE(response.status == 200);
      return Json::parse(response.body);
    }
    FAIL("no route for " << path);
    return {};
  }
  // The summary beside the database's own counts of the same certificates.
  void checkAgainstDatabase() const {
    const Json summary = get("/api/v1/status")["summary"];
    const Json& by = summary["certificates_by_severity"];
    const int64_t total = get("/api/v1/certificates", {{"limit", "1"}})["total"];
    CHECK(summary["certificates"] == total);
    int64_t judged = 0;
    for (const char* severity : {"critical", "warning", "info"}) {
      INFO(severity);
      const Json counted = get("/api/v1/certificates", {{"severity", severity}, {"limit", "1"}});
      CHECK(by[severity] == counted["total"]);
      judged += counted["total"].get<int64_t>();
    }
    CHECK(by["ok"] == total - judged);
    // The timeline from the snapshot and from the database (before the first scan).
    const Api without_snapshot(db, nullptr);
    CHECK(get("/api/v1/timeline") == without_snapshot.get("/api/v1/timeline"));
  }
};

TEST_CASE("the summary counts the snapshot as /api/v1/certificates counts the database") {
  testing::WebFixture fixture;
  Api api(fixture.db, fixture.snapshot);
  const Json summary = api.get("/api/v1/status")["summary"];
  CHECK(summary["targets"] == 4);
  CHECK(summary["certificates"] == 4);
  CHECK(summary["certificates_by_severity"] ==
        Json({{"critical", 1}, {"warning", 1}, {"info", 0}, {"ok", 2}}));
  api.checkAgainstDatabase();
}

TEST_CASE("the summary agrees with the database where positions and fingerprints repeat") {
  testing::TempDir dir;
  const auto db = dir / "certvigil.db";
  const auto c5 = fakeCertificate(5);
  const auto c6 = fakeCertificate(6);
  const auto c7 = fakeCertificate(7);
  // c5 at positions 0 and 2; the critical finding names position 2, the database matches the
  // fingerprint only, so both rows are critical.
  auto twice = fakeResult("glob", "/srv/twice.pem", {c5, c6, c5},
                          {fakeFinding(FindingCode::Expired, c5, 2, Severity::Critical),
                           fakeFinding(FindingCode::WeakKey, c6, 1, Severity::Info)});
  // c7 listed twice at position 0 (one row), and a certificate without a fingerprint (none).
  auto same = std::make_shared<TargetResult>(*fakeResult("glob", "/srv/same.pem", {c7, c7}));
  same->observation.certificates[1].position = 0;
  auto unnamed = std::make_shared<CertificateFacts>(*fakeCertificate(8));
  unnamed->fingerprint_sha256.clear();
  same->observation.certificates.push_back({unnamed, 1});
  same->roles.push_back(ResolvedRole::Ca);
  same->findings = {fakeFinding(FindingCode::ExpiresSoon, c7, 0, Severity::Warning)};
  auto refused = fakeResult(
      "api:443", "api:443", {},
      {fakeFinding(FindingCode::ConnectFailed, nullptr, -1, Severity::Critical, "refused")},
      TargetKind::Endpoint);
  {
    auto store = testing::openStore(db);
    REQUIRE(store->recordScan(testing::fakeScan("glob", at(0)), {twice, same}).ok());
    REQUIRE(store->recordScan(testing::fakeScan("api:443", at(0), TargetKind::Endpoint), {refused})
                .ok());
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->targets = {refused, same, twice};
  Api api(db, snapshot);
  const Json summary = api.get("/api/v1/status")["summary"];
  CHECK(summary["certificates"] == 4);  // twice: 3, same: 1, refused: 0
  CHECK(summary["certificates_by_severity"] ==
        Json({{"critical", 2}, {"warning", 1}, {"info", 1}, {"ok", 0}}));
  api.checkAgainstDatabase();
}

TEST_CASE("before the first scan there is no summary (the page counts in the database)") {
  testing::WebFixture fixture;
  Api api(fixture.db, nullptr);
  const Json status = api.get("/api/v1/status");
  CHECK(status["summary"].is_null());
  CHECK(status["snapshot_generated_at"].is_null());
}

}  // namespace
}  // namespace certvigil::exporters
