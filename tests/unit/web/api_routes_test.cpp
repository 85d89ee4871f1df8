// SPDX-License-Identifier: Apache-2.0
// Tests for the /api/v1 handlers, called directly (no sockets) on a real database.
#include "exporters/http/api_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "cli/events.h"
#include "tests/unit/web/web_fixtures.h"

namespace certvigil::exporters {
namespace {

using Json = nlohmann::json;
using testing::at;

class FixedStatus final : public StatusProvider {
 public:
  DaemonStatus status() const override {
    DaemonStatus status;
    status.version = "9.9.9";
    status.ready = true;
    return status;
  }
};

std::unique_ptr<storage::HistoryReader> openReader(const std::filesystem::path& db) {
  auto reader = storage::HistoryReader::open(db);
  REQUIRE(reader.ok());
  return std::move(reader.value());
}

struct ApiHarness {
  testing::WebFixture fixture;
  std::unique_ptr<storage::HistoryReader> reader;
  testing::FixedSnapshots snapshots;
  FixedStatus status;
  BearerToken token;
  FakeClock clock{at(100)};
  int scans_requested = 0;
  bool reload_ok = true;
  std::vector<HttpRoute> routes;

  explicit ApiHarness(SnapshotPtr snapshot = nullptr)
      : reader(openReader(fixture.db)), snapshots(snapshot ? snapshot : fixture.snapshot) {
    ApiActions actions{[this] { ++scans_requested; },
                       [this]() -> Status {
                         if (reload_ok) return Ok{};
                         return makeError(ErrorCode::Config, "bad");
                       }};
    routes = apiRoutes({*reader, snapshots, status, token, clock, actions});
  }

  // Dispatches like cpp-httplib: the first route whose pattern matches the whole path.
  HttpResponse call(const std::string& method, const std::string& path,
                    std::multimap<std::string, std::string> params = {},
                    std::multimap<std::string, std::string> headers = {}) const {
    const HttpMethod wanted = method == "POST" ? HttpMethod::Post : HttpMethod::Get;
    for (const HttpRoute& route : routes) {
      std::smatch match;
      if (route.method != wanted || !std::regex_match(path, match, std::regex(route.pattern))) {
        continue;
      }
      HttpRequest request{method, path, std::move(params), std::move(headers), {}, "", "127.0.0.1"};
      for (const auto& m : match) request.matches.push_back(m.str());
      return route.handler(request);
    }
    return HttpResponse{404, "text/plain", "no route", {}};
  }
  Json get(const std::string& path, std::multimap<std::string, std::string> params = {},
           int expected = 200) const {
    const HttpResponse response = call("GET", path, std::move(params));
    INFO(path << " -> " << response.body);
    REQUIRE(response.status == expected);
    CHECK(response.content_type == "application/json");
    return Json::parse(response.body);
  }
};

TEST_CASE("GET /api/v1/certificates: soonest first, days left from the clock, filters") {
  ApiHarness api;
  const Json body = api.get("/api/v1/certificates");
  CHECK(body["total"] == 4);
  const Json& first = body["certificates"][0];
  CHECK(first["subject"] == "CN=cert-1");
  CHECK(first["days_left"] == 30);  // notAfter = T0 + 31 d, now = T0 + 100 s
  CHECK(first["seconds_left"] == 31 * 86400 - 100);
  CHECK(first["findings"] == Json::array({"expires_soon"}));
  CHECK(first["worst_severity"] == "warning");
  CHECK(first["not_after"] == formatRfc3339(testing::fakeCertificate(1)->not_after));
  CHECK(body["certificates"][1]["worst_severity"].is_null());
  CHECK(api.get("/api/v1/certificates", {{"code", "expired"}})["total"] == 1);
  CHECK(api.get("/api/v1/certificates", {{"role", "ca"}})["total"] == 1);
  CHECK(api.get("/api/v1/certificates", {{"target", "b.pem"}, {"limit", "1"}})["total"] == 1);
}

TEST_CASE("GET /api/v1/timeline counts the listed certificates by week and severity") {
  ApiHarness api;
  const Json timeline = api.get("/api/v1/timeline");
  const Json& buckets = timeline["buckets"];
  REQUIRE(buckets.size() == 14);
  CHECK(buckets[0]["label"] == "expired");
  CHECK(buckets[0]["not_after_from"].is_null());
  CHECK(buckets[13]["label"] == "week 13");
  int64_t counted = 0;
  for (const Json& bucket : buckets) {
    const Json::object_t& counts = bucket["counts"].get_ref<const Json::object_t&>();
    int64_t sum = 0;
    for (const auto& entry : counts) sum += entry.second.get<int64_t>();
    CHECK(bucket["total"] == sum);
    counted += sum;
    // A bucket's bounds list exactly its certificates.
    std::multimap<std::string, std::string> window{
        {"not_after_before", bucket["not_after_before"].get<std::string>()}};
    if (!bucket["not_after_from"].is_null())
      window.emplace("not_after_from", bucket["not_after_from"].get<std::string>());
    CHECK(api.get("/api/v1/certificates", window)["total"] == bucket["total"]);
  }
  CHECK(counted + timeline["later"].get<int64_t>() == api.get("/api/v1/certificates")["total"]);
  // cert-1 expires in 31 days (week 5) with a warning.
  CHECK(buckets[5]["counts"]["warning"] == 1);
  CHECK(api.get("/api/v1/timeline",
                {{"severity", "critical"}})["buckets"][5]["counts"]["warning"] == 0);
  api.get("/api/v1/timeline", {{"not_after_from", "2026-01-01T00:00:00Z"}}, 400);
  api.get("/api/v1/certificates", {{"not_after_before", "tomorrow"}}, 400);
}

TEST_CASE("bad query parameters are a 400 that names them") {
  ApiHarness api;
  CHECK(api.get("/api/v1/certificates", {{"limit", "0"}}, 400)["error"].get<std::string>().find(
            "'limit'") != std::string::npos);
  CHECK(api.get("/api/v1/certificates", {{"limit", "12x"}}, 400).contains("error"));
  CHECK(api.get("/api/v1/certificates", {{"colour", "red"}}, 400)["error"] ==
        "unknown query parameter 'colour'");
  CHECK(api.get("/api/v1/certificates", {{"code", "no_such_code"}}, 400).contains("error"));
  CHECK(api.get("/api/v1/findings", {{"active", "maybe"}}, 400).contains("error"));
  CHECK(api.get("/api/v1/targets", {{"kind", "x"}}, 400).contains("error"));
  CHECK(api.get("/api/v1/findings", {{"code", "expired"}, {"code", "timeout"}}, 400)
            .contains("error"));
}

TEST_CASE("GET /api/v1/targets and one target by id or name") {
  ApiHarness api;
  const Json list = api.get("/api/v1/targets");
  CHECK(list["total"] == 4);
  const Json b = api.get("/api/v1/targets//srv/b.pem");
  CHECK(b["target"]["name"] == "/srv/b.pem");
  CHECK(b["findings"].size() == 1);
  CHECK(b["resolved_findings"][0]["code"] == "weak_key");
  CHECK(b["live"]["chain_status"] == "not_built");
  CHECK_FALSE(b.contains("acceptable_ca_names"));

  const Json a = api.get("/api/v1/targets//srv/a.pem");
  CHECK(a["same_name_ids"].size() == 1);
  CHECK(a["certificates"].size() == 2);
  CHECK(a["history"].size() == 3);
  CHECK(a["history"][2]["ended_at"] == formatRfc3339(at(100)));
  const std::string id = std::to_string(a["target"]["id"].get<int64_t>());
  CHECK(api.get("/api/v1/targets/" + id)["target"]["name"] == "/srv/a.pem");
  CHECK(api.get("/api/v1/targets/" + id, {{"history_limit", "1"}})["history"].size() == 1);
  CHECK(api.get("/api/v1/targets/nope", {}, 404)["error"] == "no such target");
}

TEST_CASE("an mTLS endpoint's acceptable client CA names come from the snapshot") {
  testing::WebFixture base;
  auto snapshot = std::make_shared<Snapshot>(*base.snapshot);
  auto endpoint = std::make_shared<TargetResult>(*snapshot->targets.back());
  auto facts = std::make_shared<EndpointFacts>();
  facts->address = "api:443";
  facts->client.edit().certificate_requested = true;
  facts->client.edit().acceptable_ca_names = {"CN=Clients CA,O=<b>Example</b>"};
  endpoint->observation.endpoint = facts;
  snapshot->targets.back() = endpoint;
  ApiHarness api(snapshot);
  const Json detail = api.get("/api/v1/targets/api:443");
  CHECK(detail["acceptable_ca_names"] == Json::array({"CN=Clients CA,O=<b>Example</b>"}));
  CHECK(detail["live"]["endpoint"]["client_certificate_requested"] == true);
}

TEST_CASE("findings, scans, events and status") {
  ApiHarness api;
  CHECK(api.get("/api/v1/findings")["total"] == 3);
  CHECK(api.get("/api/v1/findings", {{"active", "false"}})["findings"][0]["active"] == false);
  CHECK(api.get("/api/v1/findings", {{"active", "all"}})["total"] == 4);
  const Json scans = api.get("/api/v1/scans");
  CHECK(scans["total"] == 4);
  CHECK(scans["scans"][0]["started_at"] == formatRfc3339(at(100)));
  const Json events = api.get("/api/v1/events");
  CHECK(events["available"] == true);
  REQUIRE(events["events"].size() == 6);
  CHECK(events["events"][0]["created_at_rfc3339"].is_string());
  CHECK(api.get("/api/v1/events", {{"limit", "2"}})["events"].size() == 2);
  const Json status = api.get("/api/v1/status");
  CHECK(status["version"] == "9.9.9");
  CHECK(status["post_enabled"] == false);
  CHECK(status["now"] == formatRfc3339(at(100)));
  CHECK(std::find(status["finding_codes"].begin(), status["finding_codes"].end(), "expired") !=
        status["finding_codes"].end());
}

TEST_CASE("POST routes need the bearer token; without a token file they are disabled") {
  ApiHarness api;
  HttpResponse refused = api.call("POST", "/api/v1/scan");
  CHECK(refused.status == 401);
  CHECK(refused.body.find("disabled") != std::string::npos);
  CHECK(api.scans_requested == 0);

  api.token.set("the-right-token-1234");
  refused = api.call("POST", "/api/v1/scan");
  CHECK(refused.status == 401);
  CHECK(refused.headers.find("WWW-Authenticate") != refused.headers.end());
  refused =
      api.call("POST", "/api/v1/scan", {}, {{"authorization", "Bearer the-wrong-token-1234"}});
  CHECK(refused.status == 401);
  CHECK(api.scans_requested == 0);

  const std::multimap<std::string, std::string> auth{
      {"Authorization", "Bearer the-right-token-1234"}};
  CHECK(api.call("POST", "/api/v1/scan", {}, auth).status == 202);
  CHECK(api.scans_requested == 1);
  CHECK(api.call("POST", "/api/v1/reload", {}, auth).status == 202);
  api.reload_ok = false;
  const HttpResponse bad = api.call("POST", "/api/v1/reload", {}, auth);
  CHECK(bad.status == 422);
  CHECK(bad.body.find("bad") == std::string::npos);  // details go to the log only
}

TEST_CASE("certificate text that is not UTF-8 is replaced, never an exception") {
  testing::TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  auto facts = std::make_shared<CertificateFacts>(*testing::fakeCertificate(7));
  facts->subject = "CN=\xff\xfe<script>";
  REQUIRE(
      store
          ->recordScan(testing::fakeScan("u", at(0)), {testing::fakeResult("u", "/x.pem", {facts})})
          .ok());
  auto reader = storage::HistoryReader::open(dir / "certvigil.db");
  REQUIRE(reader.ok());
  testing::FixedSnapshots snapshots(std::make_shared<Snapshot>());
  FixedStatus status;
  BearerToken token;
  FakeClock clock(at(0));
  auto routes = apiRoutes({**reader, snapshots, status, token, clock, {}});
  HttpRequest request{"GET", "/api/v1/certificates", {}, {}, {}, "", ""};
  const HttpResponse response = routes.at(3).handler(request);
  REQUIRE(response.status == 200);
  const Json body = Json::parse(response.body);
  CHECK(body["certificates"][0]["subject"] == "CN=\xEF\xBF\xBD\xEF\xBF\xBD<script>");
}

TEST_CASE("certvigil events --json and /api/v1/events give the same objects") {
  using Ordered = nlohmann::ordered_json;  // keeps key order, which is compared too
  ApiHarness api;
  testing::RawDb(api.fixture.db).exec("INSERT INTO notifier_cursors VALUES ('ops', 2, 0)");
  const HttpResponse response = api.call("GET", "/api/v1/events", {{"limit", "50"}});
  REQUIRE(response.status == 200);
  const Ordered from_api = Ordered::parse(response.body)["events"];
  auto reader = storage::HistoryReader::open(api.fixture.db);  // as the CLI opens it
  REQUIRE(reader.ok());
  const Ordered from_cli =
      Ordered::parse(cli::eventsJson((*reader)->events(50, std::nullopt).value()))["events"];
  REQUIRE(from_api.size() == 6);
  CHECK(from_api.dump() == from_cli.dump());
  CHECK(from_api[0]["notifiers"]["ops"] == "pending");
  CHECK(from_api[5]["notifiers"]["ops"] == "handled");
}

}  // namespace
}  // namespace certvigil::exporters
