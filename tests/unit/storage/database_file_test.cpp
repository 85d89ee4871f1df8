// SPDX-License-Identifier: Apache-2.0
// Tests for storage/database_file.h: damaged files are refused before SQLite opens them, with
// the reason and the remedy, and are left exactly as they were.
#include "storage/database_file.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/database.h"
#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::TempDir;

// A certvigil-like database of several pages, closed cleanly (no write-ahead log left).
std::string realDatabase(const std::filesystem::path& path) {
  {
    auto db = Database::open(path);
    REQUIRE(db.ok());
    REQUIRE((*db)
                ->exec("PRAGMA application_id = " + std::to_string(kApplicationId) +
                       "; PRAGMA user_version = 1; CREATE TABLE t (x TEXT);"
                       "INSERT INTO t VALUES (zeroblob(20000));")
                .ok());
  }
  return testing::readFile(path);
}

// Open refuses `path` with `what` in the message, and leaves the file as it was.
void checkRefused(const std::filesystem::path& path, const std::string& what) {
  const std::string before = testing::readFile(path);
  for (OpenMode mode : {OpenMode::ReadWrite, OpenMode::ReadOnly}) {
    auto db = Database::open(path, mode);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().context == path.string());
    CHECK(db.error().message.find(what) != std::string::npos);
    CHECK(db.error().message.find("restore it from a backup") != std::string::npos);
  }
  CHECK(testing::readFile(path) == before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST_CASE("a missing file and a sound database pass the inspection") {
  TempDir dir;
  CHECK(inspectDatabaseFile(dir / "none.db").ok());
  realDatabase(dir / "ok.db");
  CHECK(inspectDatabaseFile(dir / "ok.db").ok());
}

TEST_CASE("a database cut short is refused as truncated") {
  TempDir dir;
  const std::string whole = realDatabase(dir / "whole.db");
  REQUIRE(whole.size() > 8192);
  testing::writeFile(dir / "cut.db", whole.substr(0, whole.size() - 4096));
  checkRefused(dir / "cut.db", "database file is truncated (");
  testing::writeFile(dir / "tiny.db", whole.substr(0, 50));
  checkRefused(dir / "tiny.db", "truncated (50 of 100 bytes)");
}

TEST_CASE("an empty file becomes a new database (a first start that died before writing)") {
  TempDir dir;
  testing::writeFile(dir / "empty.db", "");
  CHECK(inspectDatabaseFile(dir / "empty.db").ok());
  CHECK(Database::open(dir / "empty.db").ok());
}

TEST_CASE("garbage is refused as not a database") {
  TempDir dir;
  testing::writeFile(dir / "garbage.db", std::string(5000, '\x7f'));
  checkRefused(dir / "garbage.db", "not a database (no SQLite header");
}

// Another program's database in rollback-journal mode, made with the SQLite C API.
void foreignDatabase(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
}

TEST_CASE("another application's database is refused before anything is written to it") {
  TempDir dir;
  foreignDatabase(dir / "notes.db", "CREATE TABLE notes (text TEXT)");
  foreignDatabase(dir / "app.db", "PRAGMA application_id = 42");
  for (const char* name : {"notes.db", "app.db"}) {
    const auto path = dir / name;
    const std::string before = testing::readFile(path);
    auto db = Database::open(path);
    REQUIRE_FALSE(db.ok());
    CHECK(db.error().message.starts_with("not a certvigil database"));
    CHECK(testing::readFile(path) == before);  // not even switched to WAL
  }
}

TEST_CASE("a write-ahead log beside a short file defers to SQLite's recovery") {
  TempDir dir;
  const std::string whole = realDatabase(dir / "whole.db");
  testing::writeFile(dir / "cut.db", whole.substr(0, whole.size() - 4096));
  testing::writeFile(dir / "cut.db-wal", "log");
  CHECK(inspectDatabaseFile(dir / "cut.db").ok());
}

}  // namespace
}  // namespace certvigil::storage
