// SPDX-License-Identifier: Apache-2.0
// Tests for migration 004 (alert rules leave SQL, target kinds leave CHECK constraints): a
// database written by the version-3 schema, triggers and all, with data and events not yet
// delivered, migrates and keeps every row and every event; recording goes on in C++.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/migrations.h"
#include "storage/outbox_repository.h"
#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::at;
using testing::RawDb;

// Rows as the version-3 daemon wrote them; the 002 triggers add three events (leaf change,
// firing, severity change); notifier "ops" has handled the first (fingerprints: 64 times 'a' and
// 'b').
const std::string kVersion3Rows =
    "INSERT INTO units VALUES (1, 'files', 'file', 1767225660), (2, 'api', 'endpoint', NULL);"
    "INSERT INTO certificates VALUES"
    " (1, replace(hex(zeroblob(32)), '0', 'a'), 'CN=a', 'CN=CA', '01', 1767225600, 1769817600,"
    "  'RSA-2048', 'sha256', 0, 'serverAuth', x'3000', 1767225600),"
    " (2, replace(hex(zeroblob(32)), '0', 'b'), 'CN=b', 'CN=CA', '02', 1767225600, 1772409600,"
    "  'EC-256', 'sha256', 0, '', NULL, 1767225660);"
    "INSERT INTO targets VALUES (1, 1, '/etc/a.pem', 'file', 1767225600, NULL, NULL),"
    " (2, 2, 'api:443', 'endpoint', 1767225600, 1767225600, 1767225660);"
    "INSERT INTO observations VALUES (1, 1, 1, 0, 'server', 1767225600, NULL, NULL);"
    "INSERT INTO observations VALUES (2, 1, 2, 0, 'server', 1767225660, NULL, NULL);"
    "UPDATE observations SET ended_at = 1767225660, last_seen = 1767225600 WHERE id = 1;"
    "INSERT INTO findings VALUES (1, 1, 'expires_soon', 'warning',"
    " replace(hex(zeroblob(32)), '0', 'b'), 0, 'expires in 9 days', 'renew', NULL, 1767225660,"
    " NULL, NULL);"
    "UPDATE findings SET severity = 'critical' WHERE id = 1;"
    "INSERT INTO scans VALUES (1, 1, 'file', 1767225600, 0.5, 'ok', 1, 0),"
    " (2, 1, 'file', 1767225660, 0.25, 'ok', 1, 1);"
    "INSERT INTO endpoint_facts VALUES (2, '192.0.2.1', 'api', '', '', 'TLSv1.3', 'x', '',"
    " 'none', 0, '[]', 0, '', 1767225600);"
    "INSERT INTO notifier_cursors VALUES ('ops', 1, 1767225660);";

// The rebuilt tables row by row, the others counted.
const std::string kRowsQuery =
    "SELECT (SELECT group_concat(id || name || kind || ifnull(last_scan_at, '-')) FROM units)"
    " || (SELECT group_concat(id || unit_id || name || kind || first_seen"
    "      || ifnull(last_seen, '-') || ifnull(gone_at, '-')) FROM targets)"
    " || (SELECT group_concat(id || unit_id || kind || started_at || duration_seconds"
    "      || outcome || targets || findings) FROM scans)"
    " || (SELECT count(*) FROM observations) || (SELECT count(*) FROM findings)"
    " || (SELECT count(*) FROM certificates) || (SELECT count(*) FROM endpoint_facts)";

void createVersion3(const std::filesystem::path& path) {
  auto db = Database::open(path);
  REQUIRE(db.ok());
  REQUIRE(migrate(**db, embeddedMigrations().first(3)).value() == 3);
  REQUIRE((*db)->exec(kVersion3Rows).ok());
}

TEST_CASE("004 keeps every row and every undelivered event of a version-3 database") {
  testing::TempDir dir;
  const auto path = dir / "certvigil.db";
  createVersion3(path);
  RawDb raw(path);
  REQUIRE(raw.integer("SELECT count(*) FROM events") == 3);
  const std::string events_before = raw.text(
      "SELECT group_concat(id || uid || created_at || kind || target || code || severity"
      " || fingerprint || message, ';') FROM events");
  const std::string rows_before = raw.text(kRowsQuery);

  auto store = StateStore::open(path);
  REQUIRE(store.ok());
  CHECK((*store)->schemaVersion() == latestSchemaVersion());
  CHECK((*store)->integrityCheck().ok());
  CHECK(raw.text("SELECT group_concat(id || uid || created_at || kind || target || code ||"
                 " severity || fingerprint || message, ';') FROM events") == events_before);
  CHECK(raw.text(kRowsQuery) == rows_before);
  // 005: each scan of the old schema is a run of one.
  CHECK(raw.integer("SELECT count(*) FROM scans WHERE last_started_at = started_at"
                    " AND scan_count = 1") == 2);
  // The triggers and their view are gone; the indexes of the rebuilt tables are back.
  CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')") == 0);
  // (010 drops targets_name again: a name is looked up through UNIQUE (unit_id, name).)
  CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name IN ('targets_gone',"
                    " 'scans_started_at', 'scans_unit')") == 3);
  // Undelivered events stay pending for their notifier.
  auto outbox = Outbox::open(path);
  REQUIRE(outbox.ok());
  CHECK((*outbox)->pending("ops", 1).value().count == 2);
  // A new kind of source needs no migration.
  raw.exec("INSERT INTO units (name, kind) VALUES ('store.jks', 'keystore')");
}

TEST_CASE("after 004 the recorder writes the events, on the scan's clock") {
  testing::TempDir dir;
  const auto path = dir / "certvigil.db";
  createVersion3(path);
  auto store = testing::openStore(path);
  // The target presents a third certificate: one certificate_changed; the finding clears.
  const auto renewed = testing::fakeCertificate(3);
  REQUIRE(store
              ->recordScan(testing::fakeScan("files", at(120)),
                           {testing::fakeResult("files", "/etc/a.pem", {renewed})})
              .ok());
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM events") == 5);
  CHECK(raw.text("SELECT group_concat(kind) FROM events WHERE id > 3") ==
        "certificate_changed,resolved");
  CHECK(raw.integer("SELECT min(created_at) FROM events WHERE id > 3") == toUnix(at(120)));
  CHECK(raw.text("SELECT previous_fingerprint FROM events WHERE id = 4") == std::string(64, 'b'));
}

}  // namespace
}  // namespace certvigil::storage
