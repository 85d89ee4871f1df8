// SPDX-License-Identifier: Apache-2.0
// storage/database.h: a thin RAII layer over the SQLite C API — the connection (with
// certvigil's pragmas), prepared statements with bind/step helpers, and transactions that roll
// back unless committed. Nothing here knows the schema.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace certvigil::storage {

/// A prepared statement. Reusable: bind, step until done (it resets itself and clears its
/// bindings when done or on error), bind again. Binding never copies text or blobs, so bound
/// values must outlive the step() calls that use them. A bind error is reported by the next
/// step().
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, std::optional<int64_t> value);
  Statement& bindBlob(int index, std::string_view bytes);
  Statement& bindNull(int index);

  /// true: a row is available; false: done (and reset). On error the statement is reset.
  Result<bool> step();
  /// Steps until done, for statements that return no rows.
  Status run();
  /// Abandons an iteration (and releases its read snapshot); bindings are kept.
  void reset();

  int64_t columnInt(int index) const;
  double columnDouble(int index) const;
  bool columnIsNull(int index) const;
  /// Valid until the next step() or reset().
  std::string_view columnText(int index) const;
  std::string columnString(int index) const { return std::string(columnText(index)); }
  std::optional<int64_t> columnOptionalInt(int index) const;

 private:
  Error error(int rc) const;
  void noteBind(int rc);

  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  sqlite3* db_ = nullptr;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  int bind_error_ = SQLITE_OK;
};

/// Resets a statement on scope exit, for loops that may return early.
class ScopedReset {
 public:
  explicit ScopedReset(Statement& statement) : statement_(statement) {}
  ~ScopedReset() { statement_.reset(); }
  ScopedReset(const ScopedReset&) = delete;
  ScopedReset& operator=(const ScopedReset&) = delete;

 private:
  Statement& statement_;
};

class Database;

/// BEGIN .. COMMIT. Rolls back when destroyed uncommitted (every early error return).
class Transaction {
 public:
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  friend class Database;
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;
};

/// How a connection is opened.
enum class OpenMode {
  ReadWrite,  ///< create if missing, switch to WAL; the file must be writable
  ReadOnly,   ///< the file must exist; nothing is ever written
};

/// One connection. Opened in WAL mode with synchronous=FULL, foreign_keys=ON and a busy timeout.
class Database {
 public:
  /// Opens (ReadWrite: or creates) `path`. The parent directory must exist (the daemon owns
  /// state_dir). A file that is not a SQLite database, or a ReadWrite open of a file we may not
  /// write, yields an Error.
  static Result<std::unique_ptr<Database>> open(const std::filesystem::path& path,
                                                OpenMode mode = OpenMode::ReadWrite);

  /// Prepares a statement meant to be kept and reused.
  Result<Statement> prepare(std::string_view sql);
  /// Runs one or more statements that return nothing of interest (migrations, pragmas).
  Status exec(const std::string& sql);
  /// The first column of the first row of `sql` (pragmas, counts).
  Result<int64_t> queryInt(const std::string& sql);
  Result<std::string> queryText(const std::string& sql);

  /// Starts a write transaction (BEGIN IMMEDIATE: takes the write lock up front).
  Result<Transaction> begin();
  /// Starts a read transaction: every query until commit sees one snapshot.
  Result<Transaction> beginRead();

  int64_t lastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
  /// Rows changed since the connection opened (sqlite3_total_changes64).
  int64_t totalChanges() const { return sqlite3_total_changes64(db_.get()); }
  const std::filesystem::path& path() const { return path_; }
  /// Frees the pages this connection caches (sqlite3_db_release_memory). SQLite keeps up to
  /// 2 MB of them per connection; between the daemon's write transactions they only repeat
  /// what the kernel's page cache holds anyway, and the next transaction reads them back from
  /// there.
  void releaseCache() { sqlite3_db_release_memory(db_.get()); }
  /// An Error carrying SQLite's message for the last failure, with `what` as context.
  Error error(std::string_view what) const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  Database(std::filesystem::path path, sqlite3* db) : path_(std::move(path)), db_(db) {}
  Status configure(OpenMode mode);

  std::filesystem::path path_;
  std::unique_ptr<sqlite3, Closer> db_;
  /// Counts this connection among the process's open connections to path_ (database.cpp);
  /// released after db_ closes (members are destroyed in reverse order).
  std::shared_ptr<const void> registration_;
};

/// Steps `statement` to the end, calling `on_row(statement)` for every row.
template <typename F>
Status forEachRow(Statement& statement, F&& on_row) {
  while (true) {
    auto row = statement.step();
    if (!row) return row.error();
    if (!*row) return Ok{};
    on_row(statement);
  }
}

/// Prepares each (statement, sql) pair; repositories prepare all their statements once.
Status prepareAll(Database& db,
                  std::initializer_list<std::pair<Statement*, std::string_view>> statements);

}  // namespace certvigil::storage
