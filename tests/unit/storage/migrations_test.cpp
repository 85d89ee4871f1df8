// SPDX-License-Identifier: Apache-2.0
// Tests for storage/migrations.h and StateStore::open's handling of schema versions.
#include "storage/migrations.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include "storage/state_store.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::RawDb;
using testing::TempDir;

constexpr Migration kTwoSteps[] = {
    {1, "one", "CREATE TABLE a (x INTEGER); PRAGMA application_id = 1668707177;"},
    {2, "two", "CREATE TABLE b (y INTEGER);"},
};

std::unique_ptr<Database> openDb(const std::filesystem::path& path) {
  auto db = Database::open(path);
  REQUIRE(db.ok());
  return std::move(*db);
}

TEST_CASE("The embedded migrations are numbered 1..N and the store opens at the latest") {
  const auto migrations = embeddedMigrations();
  REQUIRE_FALSE(migrations.empty());
  for (size_t i = 0; i < migrations.size(); ++i) {
    CHECK(migrations[i].version == static_cast<int>(i) + 1);
    CHECK_FALSE(migrations[i].sql.empty());
  }
  CHECK(migrations.front().name == "initial");
  TempDir dir;
  auto store = testing::openStore(dir / "certvigil.db");
  CHECK(store->schemaVersion() == latestSchemaVersion());
  RawDb raw(dir / "certvigil.db");
  CHECK(raw.integer("PRAGMA user_version") == latestSchemaVersion());
  CHECK(raw.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'findings'") == 1);
}

TEST_CASE("Reopening a migrated database is idempotent") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  testing::openStore(path).reset();
  const std::string schema = RawDb(path).text("SELECT group_concat(sql) FROM sqlite_schema");
  for (int i = 0; i < 3; ++i) {
    auto store = testing::openStore(path);
    CHECK(store->schemaVersion() == latestSchemaVersion());
    CHECK(store->integrityCheck().ok());
  }
  CHECK(RawDb(path).text("SELECT group_concat(sql) FROM sqlite_schema") == schema);
}

TEST_CASE("migrate applies only the pending steps, in order") {
  TempDir dir;
  auto db = openDb(dir / "m.db");
  auto first = migrate(*db, std::span(kTwoSteps, 1));
  REQUIRE(first.ok());
  CHECK(*first == 1);
  CHECK(db->queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").value() == 0);
  auto second = migrate(*db, kTwoSteps);
  REQUIRE(second.ok());
  CHECK(*second == 2);
  CHECK(db->queryInt("PRAGMA user_version").value() == 2);
  CHECK(db->queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").value() == 1);
}

TEST_CASE("A failing migration leaves the database at the previous version") {
  TempDir dir;
  auto db = openDb(dir / "m.db");
  REQUIRE(migrate(*db, std::span(kTwoSteps, 1)).ok());
  const Migration broken[] = {kTwoSteps[0], {2, "broken", "CREATE TABLE c (z); NOT SQL;"}};
  auto result = migrate(*db, broken);
  REQUIRE_FALSE(result.ok());
  CHECK(result.error().context == "2_broken.sql");
  CHECK(db->queryInt("PRAGMA user_version").value() == 1);
  CHECK(db->queryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'c'").value() == 0);
}

TEST_CASE("Migrations with a gap in their numbers are refused") {
  TempDir dir;
  auto db = openDb(dir / "m.db");
  const Migration gap[] = {kTwoSteps[0], {3, "three", "SELECT 1;"}};
  CHECK_FALSE(migrate(*db, gap).ok());
  CHECK(db->queryInt("PRAGMA user_version").value() == 0);
}

TEST_CASE("A database from a newer certvigil is refused and left alone") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  testing::openStore(path).reset();
  RawDb(path).exec("PRAGMA user_version = 99");
  auto store = StateStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == ErrorCode::Unsupported);
  CHECK(store.error().message.starts_with("database schema 99 is newer than this certvigil (" +
                                          std::to_string(latestSchemaVersion()) + "): "));
  CHECK(RawDb(path).integer("PRAGMA user_version") == 99);
}

TEST_CASE("A garbage file is refused with an Error, not a crash") {
  TempDir dir;
  std::string garbage;
  for (int i = 0; i < 20000; ++i) garbage += static_cast<char>((i * 7919) % 251);
  const auto path = testing::writeFile(dir / "certvigil.db", garbage);
  auto store = StateStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == ErrorCode::Database);
  CHECK(testing::readFile(path) == garbage);
}

TEST_CASE("A truncated database is refused or fails its integrity check") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  {
    auto store = testing::openStore(path);
    std::vector<TargetResultPtr> results;
    for (int i = 0; i < 300; ++i) {
      results.push_back(
          testing::fakeResult("u", "/t/" + std::to_string(i), {testing::fakeCertificate(i)}));
    }
    REQUIRE(store->recordScan(testing::fakeScan("u", testing::at(0)), results).ok());
  }
  // Keep the header, lose the rest of the pages.
  const std::string bytes = testing::readFile(path);
  REQUIRE(bytes.size() > 8192);
  testing::writeFile(path, bytes.substr(0, bytes.size() / 2));
  auto store = StateStore::open(path);
  if (store.ok()) {
    CHECK_FALSE((*store)->integrityCheck().ok());
  } else {
    CHECK(store.error().code == ErrorCode::Database);
  }
}

TEST_CASE("openReadOnly reads what the daemon writes and refuses to write") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  auto writer = testing::openStore(path);
  auto opened = StateStore::openReadOnly(path);
  REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.error().describe()));
  auto reader = std::move(*opened);
  CHECK(reader->schemaVersion() == latestSchemaVersion());
  CHECK(reader->inventory()->empty());

  const auto leaf = testing::fakeCertificate(1);
  REQUIRE(writer
              ->recordScan(testing::fakeScan("u", testing::at(0)),
                           {testing::fakeResult("u", "/a.pem", {leaf})})
              .ok());
  CHECK(reader->inventory()->size() == 1);  // each query reads the latest commit
  CHECK(reader->recentScans(5)->size() == 1);
  CHECK(reader->integrityCheck().ok());

  const int64_t written = reader->rowsWritten();
  auto refused = reader->recordScan(testing::fakeScan("u", testing::at(60)), {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::Unsupported);
  CHECK_FALSE(reader->pruneBefore(testing::at(100)).ok());
  CHECK_FALSE(reader->retireUnitsExcept({}, testing::at(100)).ok());
  CHECK(reader->rowsWritten() == written);
  CHECK(writer->inventory()->size() == 1);
}

TEST_CASE("openReadOnly needs an existing certvigil database at the current schema") {
  TempDir dir;
  const auto path = dir / "certvigil.db";
  CHECK_FALSE(StateStore::openReadOnly(path).ok());
  CHECK_FALSE(std::filesystem::exists(path));

  auto db = openDb(path);
  REQUIRE(migrate(*db, std::span(kTwoSteps, 1)).ok());
  auto older = checkCurrent(*db, kTwoSteps);
  REQUIRE_FALSE(older.ok());
  CHECK(older.error().message ==
        "database schema 1 is older than this certvigil (2); the daemon upgrades it when it "
        "starts");
  CHECK(db->queryInt("PRAGMA user_version").value() == 1);  // checking wrote nothing
  REQUIRE(migrate(*db, kTwoSteps).ok());
  CHECK(checkCurrent(*db, kTwoSteps).ok());
}

TEST_CASE("A database file the daemon may not write is refused at open") {
  if (geteuid() == 0) return;  // root writes regardless of the mode bits
  TempDir dir;
  const auto path = dir / "certvigil.db";
  testing::openStore(path).reset();
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  auto store = StateStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().message.find("not writable") != std::string::npos);
}

TEST_CASE("Another application's SQLite database is refused") {
  TempDir dir;
  const auto path = dir / "other.db";
  {
    auto db = openDb(path);
    REQUIRE(db->exec("CREATE TABLE notes (text TEXT)").ok());
  }
  auto store = StateStore::open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().message.starts_with("not a certvigil database"));
}

}  // namespace
}  // namespace certvigil::storage
