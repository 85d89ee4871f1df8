// SPDX-License-Identifier: Apache-2.0
// Tests for storage/database.h: pragmas, statements, transactions, and opening bad paths.
#include "storage/database.h"

#include <doctest/doctest.h>

#include "tests/support/test_support.h"
#include "tests/unit/storage/storage_fixtures.h"

namespace certvigil::storage {
namespace {

using testing::TempDir;

std::unique_ptr<Database> openDb(const std::filesystem::path& path) {
  auto db = Database::open(path);
  REQUIRE_MESSAGE(db.ok(), (db.ok() ? "" : db.error().describe()));
  return std::move(*db);
}

TEST_CASE("Database::open sets WAL, synchronous=FULL, foreign keys and a busy timeout") {
  TempDir dir;
  auto db = openDb(dir / "state.db");
  CHECK(db->queryText("PRAGMA journal_mode").value() == "wal");
  CHECK(db->queryInt("PRAGMA synchronous").value() == 2);  // FULL
  CHECK(db->queryInt("PRAGMA foreign_keys").value() == 1);
  CHECK(db->queryInt("PRAGMA busy_timeout").value() > 0);
}

TEST_CASE("Database::open reports a missing state directory instead of creating it") {
  TempDir dir;
  auto db = Database::open(dir / "missing" / "state.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == ErrorCode::NotFound);
  CHECK(db.error().describe().find("state directory does not exist") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "missing"));
}

TEST_CASE("Database::open rejects a file that is not a database") {
  TempDir dir;
  const auto path = testing::writeFile(dir / "state.db", std::string(8192, 'x'));
  auto db = Database::open(path);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == ErrorCode::Database);
  CHECK(db.error().describe().find("not a database") != std::string::npos);
}

TEST_CASE("A transaction rolls back unless committed") {
  TempDir dir;
  auto db = openDb(dir / "state.db");
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER)").ok());
  {
    auto tx = db->begin();
    REQUIRE(tx.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (1)").ok());
  }  // dropped: rolled back
  CHECK(db->queryInt("SELECT count(*) FROM t").value() == 0);
  {
    auto tx = db->begin();
    REQUIRE(tx.ok());
    REQUIRE(db->exec("INSERT INTO t VALUES (2)").ok());
    REQUIRE(tx->commit().ok());
  }
  CHECK(db->queryInt("SELECT sum(x) FROM t").value() == 2);
}

TEST_CASE("A statement is reused across rows and resets itself when done") {
  TempDir dir;
  auto db = openDb(dir / "state.db");
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER, s TEXT)").ok());
  auto insert = db->prepare("INSERT INTO t VALUES (?1, ?2)");
  REQUIRE(insert.ok());
  for (int i = 0; i < 10; ++i) {
    const std::string text = "row" + std::to_string(i);
    REQUIRE(insert->bind(1, i).bind(2, text).run().ok());
  }
  auto select = db->prepare("SELECT x, s FROM t WHERE x >= ?1 ORDER BY x");
  REQUIRE(select.ok());
  for (int round = 0; round < 2; ++round) {
    std::vector<std::string> seen;
    auto status = forEachRow(
        select->bind(1, 7), [&seen](const Statement& row) { seen.push_back(row.columnString(1)); });
    REQUIRE(status.ok());
    CHECK(seen == std::vector<std::string>{"row7", "row8", "row9"});
  }
}

TEST_CASE("A constraint violation is an Error naming SQLite's reason") {
  TempDir dir;
  auto db = openDb(dir / "state.db");
  REQUIRE(db->exec("CREATE TABLE t (x INTEGER UNIQUE)").ok());
  auto insert = db->prepare("INSERT INTO t VALUES (?1)");
  REQUIRE(insert.ok());
  REQUIRE(insert->bind(1, 1).run().ok());
  auto again = insert->bind(1, 1).run();
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::Database);
  CHECK(again.error().message.find("UNIQUE") != std::string::npos);
  // The statement is usable again after the error.
  CHECK(insert->bind(1, 2).run().ok());
}

TEST_CASE("A bind error is reported by the next step") {
  TempDir dir;
  auto db = openDb(dir / "state.db");
  auto select = db->prepare("SELECT ?1");
  REQUIRE(select.ok());
  auto row = select->bind(5, 1).step();  // no parameter 5
  CHECK_FALSE(row.ok());
  auto fine = select->bind(1, 1).step();
  REQUIRE(fine.ok());
  CHECK(*fine);
  select->reset();
}

}  // namespace
}  // namespace certvigil::storage
