// SPDX-License-Identifier: Apache-2.0
// Tests for storage::HistoryReader on a real database written by StateStore (web_fixtures.h).
#include "storage/history_reader.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>

#include "tests/unit/web/web_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::at;
using testing::RawDb;
using testing::WebFixture;

std::unique_ptr<HistoryReader> openReader(const std::filesystem::path& db) {
  auto reader = HistoryReader::open(db);
  REQUIRE_MESSAGE(reader.ok(), (reader.ok() ? "" : reader.error().describe()));
  return std::move(*reader);
}

// A query with some fields set (designated initializers would trip -Wmissing-field-initializers).
template <typename Query, typename Set>
Query make(Set set) {
  Query query;
  set(query);
  return query;
}

std::string fingerprint(int n) { return testing::fakeCertificate(n)->fingerprint_sha256; }

TEST_CASE("targets: present ones by name, with counts, worst severity and paging") {
  WebFixture f;
  auto reader = openReader(f.db);
  auto page = reader->targets({});
  REQUIRE(page.ok());
  REQUIRE(page->total == 4);
  REQUIRE(page->items.size() == 4);
  const TargetSummary& glob_a = page->items[0].unit == "glob" ? page->items[0] : page->items[1];
  CHECK(glob_a.name == "/srv/a.pem");
  CHECK(glob_a.certificates == 2);
  CHECK(glob_a.active_findings == 1);
  CHECK(glob_a.worst_severity == "warning");
  CHECK(glob_a.last_seen == at(100));
  CHECK(glob_a.first_seen == at(0));
  CHECK(glob_a.soonest_not_after == testing::fakeCertificate(1)->not_after);
  const TargetSummary& endpoint = page->items[3];
  CHECK(endpoint.name == "api:443");
  CHECK(endpoint.kind == TargetKind::Endpoint);
  CHECK(endpoint.certificates == 0);
  CHECK_FALSE(endpoint.soonest_not_after.has_value());
  CHECK(endpoint.worst_severity == "critical");

  CHECK(reader->targets(make<TargetQuery>([](auto& q) { q.name = "b.pem"; }))->total == 1);
  CHECK(
      reader->targets(make<TargetQuery>([](auto& q) { q.kind = "endpoint"; }))->items.at(0).name ==
      "api:443");
  auto second = reader->targets(make<TargetQuery>([](auto& q) {
    q.limit = 1;
    q.offset = 1;
  }));
  CHECK(second->total == 4);
  CHECK(second->items.size() == 1);
  CHECK(reader->targets(make<TargetQuery>([](auto& q) { q.name = "a.pem' OR 1=1 --"; }))->total ==
        0);  // bound, never SQL
}

TEST_CASE("a target by id and by name; a name listed by two units gives both") {
  WebFixture f;
  auto reader = openReader(f.db);
  auto named = reader->targetsNamed("/srv/a.pem");
  REQUIRE(named->size() == 2);
  auto by_id = reader->target(named->at(1).id);
  REQUIRE(by_id->has_value());
  CHECK((*by_id)->unit == named->at(1).unit);
  CHECK_FALSE(reader->target(999999)->has_value());
  CHECK(reader->targetsNamed("")->empty());
}

TEST_CASE("certificates presented now, soonest first, with their active findings") {
  WebFixture f;
  auto reader = openReader(f.db);
  auto page = reader->certificates({});
  REQUIRE(page->total == 4);
  REQUIRE(page->items.size() == 4);
  CHECK(page->items[0].certificate.fingerprint == fingerprint(1));
  CHECK(page->items[0].finding_codes == std::vector<std::string>{"expires_soon"});
  CHECK(page->items[0].worst_severity == "warning");
  CHECK(page->items[0].role == "server");
  CHECK(page->items[3].certificate.fingerprint == fingerprint(3));
  CHECK(page->items[3].worst_severity == "critical");
  CHECK(page->items[1].finding_codes.empty());
  CHECK(page->items[1].worst_severity.empty());

  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.code = "expired"; }))
            ->items.at(0)
            .target == "/srv/b.pem");
  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.code = "weak_key"; }))->total ==
        0);  // resolved
  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.role = "ca"; }))->total == 1);
  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.severity = "warning"; }))
            ->total == 1);
  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.target = "b.pem"; }))->total ==
        1);
  CHECK(reader->certificates(make<CertificateQuery>([](auto& q) { q.limit = 2; }))->items.size() ==
        2);
}

TEST_CASE("chain as presented and what a target served over time") {
  WebFixture f;
  auto reader = openReader(f.db);
  const int64_t id =
      reader->targets(make<TargetQuery>([](auto& q) { q.name = "/srv/a.pem"; }))->items.at(0).id;
  auto chain = reader->chainOf(id);
  REQUIRE(chain->size() == 2);
  CHECK(chain->at(0).position == 0);
  CHECK(chain->at(0).certificate.fingerprint == fingerprint(1));
  CHECK(chain->at(1).certificate.fingerprint == fingerprint(2));

  auto served = reader->servedHistory(id, 100);
  REQUIRE(served->size() == 3);
  CHECK_FALSE(served->at(0).ended_at.has_value());
  CHECK(served->at(2).certificate.fingerprint == fingerprint(4));
  CHECK(served->at(2).ended_at == at(100));
  CHECK(served->at(2).first_seen == at(0));
  CHECK(reader->servedHistory(id, 1)->size() == 1);
}

TEST_CASE("findings: active by default, worst first; resolved; both; by target") {
  WebFixture f;
  auto reader = openReader(f.db);
  auto active = reader->findings({});
  REQUIRE(active->total == 3);
  CHECK(active->items[0].severity == "critical");
  CHECK(active->items[1].severity == "critical");
  CHECK(active->items[2].code == "expires_soon");
  CHECK_FALSE(active->items[2].resolved_at.has_value());
  CHECK(active->items[2].remedy.empty() == false);

  auto resolved = reader->findings(make<FindingQuery>([](auto& q) { q.active = false; }));
  REQUIRE(resolved->total == 1);
  CHECK(resolved->items[0].code == "weak_key");
  CHECK(resolved->items[0].resolved_at == at(100));
  CHECK(resolved->items[0].last_seen == at(0));

  CHECK(reader->findings(make<FindingQuery>([](auto& q) { q.active = std::nullopt; }))->total == 4);
  const int64_t endpoint =
      reader->targets(make<TargetQuery>([](auto& q) { q.kind = "endpoint"; }))->items.at(0).id;
  auto of_endpoint =
      reader->findings(make<FindingQuery>([endpoint](auto& q) { q.target_id = endpoint; }));
  REQUIRE(of_endpoint->total == 1);
  CHECK(of_endpoint->items[0].position == -1);
  CHECK(reader
            ->findings(make<FindingQuery>([](auto& q) {
              q.code = "expired";
              q.severity = "critical";
            }))
            ->total == 1);
}

TEST_CASE("scans newest first, by unit") {
  WebFixture f;
  auto reader = openReader(f.db);
  auto scans = reader->scans("", 100, 0);
  REQUIRE(scans->total == 4);
  CHECK(scans->items[0].started_at == at(100));
  CHECK(scans->items[0].unit == "glob");
  CHECK(reader->scans("glob", 100, 0)->total == 2);
  CHECK(reader->scans("", 1, 1)->items.size() == 1);
}

TEST_CASE("events: what the recorder wrote, newest first, pageable by id") {
  WebFixture f;
  auto reader = openReader(f.db);
  REQUIRE(*reader->hasEvents());
  auto events = reader->events(100, std::nullopt);
  REQUIRE(events.ok());
  std::vector<std::string> kinds;
  int64_t previous = INT64_MAX;
  for (const EventRow& row : *events) {
    const int64_t id = row.event.id;
    CHECK(id < previous);
    previous = id;
    kinds.emplace_back(toString(row.event.kind));
  }
  CHECK(std::count(kinds.begin(), kinds.end(), "firing") == 4);
  CHECK(std::count(kinds.begin(), kinds.end(), "resolved") == 1);             // weak_key
  CHECK(std::count(kinds.begin(), kinds.end(), "certificate_changed") == 1);  // /srv/a.pem
  CHECK(reader->events(100, previous)->size() == events->size() - 1);
  CHECK(reader->events(2, std::nullopt)->size() == 2);
}

TEST_CASE("events are read through a fixed column list: extra columns never show") {
  WebFixture f;
  RawDb raw(f.db);
  raw.exec(
      "ALTER TABLE events ADD COLUMN webhook_url TEXT;"
      "UPDATE events SET webhook_url = 'https://x/?token=s';"
      "INSERT INTO notifier_cursors VALUES ('ops', 1, 0);");
  auto reader = openReader(f.db);
  auto events = reader->events(100, std::nullopt);
  REQUIRE(events->size() == 6);
  CHECK(events->back().event.previous_severity.empty());
  CHECK(events->back().delivery ==
        std::vector<std::pair<std::string, std::string>>{{"ops", "handled"}});
  CHECK(events->front().delivery ==
        std::vector<std::pair<std::string, std::string>>{{"ops", "pending"}});
}

TEST_CASE("open refuses a missing file and a database that is not certvigil's") {
  testing::TempDir dir;
  CHECK_FALSE(HistoryReader::open(dir / "missing.db").ok());
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open((dir / "other.db").c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto other = HistoryReader::open(dir / "other.db");
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().message.find("not a certvigil database") != std::string::npos);
}

}  // namespace
}  // namespace certvigil::storage
