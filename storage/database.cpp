// SPDX-License-Identifier: Apache-2.0
#include "storage/database.h"

#include <map>
#include <mutex>
#include <system_error>

#include "storage/database_file.h"

namespace certvigil::storage {
namespace {

// Closing any descriptor of a file drops every POSIX (fcntl) lock the process holds on it,
// including SQLite's: reading the header of a database another connection of this process
// has open would release that connection's locks under its feet (stale snapshots, a
// checkpoint racing a reader). So the header is inspected only before the first connection
// to a file opens, and the process counts its open connections per file.
std::mutex open_files_mutex;
std::map<std::string, int> open_files;  // canonical path -> open connections

std::string fileKey(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path.string() : canonical.string();
}

bool openElsewhereInProcess(const std::string& key) {
  std::lock_guard lock(open_files_mutex);
  const auto it = open_files.find(key);
  return it != open_files.end() && it->second > 0;
}

std::shared_ptr<const void> registerOpen(const std::string& key) {
  {
    std::lock_guard lock(open_files_mutex);
    ++open_files[key];
  }
  return {nullptr, [key](const void*) {
            std::lock_guard lock(open_files_mutex);
            if (--open_files[key] <= 0) open_files.erase(key);
          }};
}

// A write lock held by another connection (`certvigil inventory` while the daemon scans) is
// waited for this long before the operation fails with SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 5000;

// The WAL file is truncated back to this size after a checkpoint; a cold 100k-target scan
// would otherwise leave a WAL of several hundred megabytes behind for good.
constexpr const char* kPragmas =
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA trusted_schema = OFF;"
    "PRAGMA journal_size_limit = 67108864;";

// Why: by default each connection's page cache starts with one bulk allocation of 20 pages
// (~87 KB) that is never freed while the connection is open, so releaseCache() cannot give it
// back; the daemon keeps three connections (the state's writer, the API's reader and the alert
// outbox's), ~260 KB for good. Without it pages are allocated one by one, as they are after
// the bulk anyway. Must precede SQLite's initialization (the first open); later it fails
// harmlessly with SQLITE_MISUSE.
void skipPageCacheBulk() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0); });
}

}  // namespace

// ---- Statement ----------------------------------------------------------------------------

void Statement::noteBind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::bind(int index, int64_t value) {
  noteBind(sqlite3_bind_int64(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, double value) {
  noteBind(sqlite3_bind_double(stmt_.get(), index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_STATIC: no copy; callers step before the bound value goes away (see header).
  noteBind(sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_STATIC,
                               SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind(int index, std::optional<int64_t> value) {
  return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
  noteBind(sqlite3_bind_blob64(stmt_.get(), index, bytes.data(), bytes.size(), SQLITE_STATIC));
  return *this;
}

Statement& Statement::bindNull(int index) {
  noteBind(sqlite3_bind_null(stmt_.get(), index));
  return *this;
}

Error Statement::error(int rc) const {
  std::string message = sqlite3_errstr(rc);
  if (db_ != nullptr && sqlite3_errcode(db_) == rc) message = sqlite3_errmsg(db_);
  return makeError(ErrorCode::Database, message, sqlite3_sql(stmt_.get()));
}

Result<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) {
    const int rc = bind_error_;
    bind_error_ = SQLITE_OK;
    reset();
    return error(rc);
  }
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  // Reset right away so a finished statement never pins a read snapshot (WAL checkpoints),
  // and drop the bindings, which point into the caller's (soon dead) strings.
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  if (rc == SQLITE_DONE) return false;
  return error(rc);
}

Status Statement::run() {
  while (true) {
    auto row = step();
    if (!row) return row.error();
    if (!*row) return Ok{};
  }
}

void Statement::reset() { sqlite3_reset(stmt_.get()); }

int64_t Statement::columnInt(int index) const { return sqlite3_column_int64(stmt_.get(), index); }

double Statement::columnDouble(int index) const {
  return sqlite3_column_double(stmt_.get(), index);
}

bool Statement::columnIsNull(int index) const {
  return sqlite3_column_type(stmt_.get(), index) == SQLITE_NULL;
}

std::string_view Statement::columnText(int index) const {
  const auto* text = sqlite3_column_text(stmt_.get(), index);
  if (text == nullptr) return {};
  const auto size = static_cast<size_t>(sqlite3_column_bytes(stmt_.get(), index));
  return {reinterpret_cast<const char*>(text), size};
}

std::optional<int64_t> Statement::columnOptionalInt(int index) const {
  if (columnIsNull(index)) return std::nullopt;
  return columnInt(index);
}

// ---- Transaction --------------------------------------------------------------------------

Transaction::~Transaction() {
  if (db_ == nullptr) return;
  // The only failure mode of ROLLBACK is "no transaction is active" (SQLite already rolled
  // back after an I/O error or SQLITE_FULL), which leaves nothing to undo.
  (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  Database* db = db_;
  db_ = nullptr;
  if (db == nullptr) return makeError(ErrorCode::Invalid, "transaction already finished");
  Status status = db->exec("COMMIT");
  if (!status) (void)db->exec("ROLLBACK");
  return status;
}

// ---- Database -----------------------------------------------------------------------------

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& path, OpenMode mode) {
  const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    return makeError(ErrorCode::NotFound, "state directory does not exist", parent.string());
  }
  // Before SQLite opens (and, read-write, writes) anything: a damaged file stays as it is.
  const std::string key = fileKey(path);
  if (!openElsewhereInProcess(key)) {
    if (Status usable = inspectDatabaseFile(path); !usable) return usable.error();
  }
  skipPageCacheBulk();
  sqlite3* raw = nullptr;
  const int access = mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<Database> db(new Database(path, raw));
  db->registration_ = registerOpen(key);
  if (rc != SQLITE_OK) {
    const std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return makeError(ErrorCode::Database, "cannot open database: " + message, path.string());
  }
  if (auto status = db->configure(mode); !status) return status.error();
  return db;
}

Status Database::configure(OpenMode mode) {
  sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
  sqlite3_extended_result_codes(db_.get(), 1);
  // SQLite silently falls back to read-only when the file is not writable; say so up front
  // rather than failing at the first scan.
  if (mode == OpenMode::ReadWrite && sqlite3_db_readonly(db_.get(), "main") == 1) {
    return makeError(ErrorCode::Io,
                     "database is not writable by this user: give it back to the user certvigil "
                     "runs as (chown, chmod u+w), or point state_dir elsewhere",
                     path_.string());
  }
  // The first statement reads the header: a file that is not a database fails here.
  auto journal =
      queryText(mode == OpenMode::ReadOnly ? "PRAGMA journal_mode" : "PRAGMA journal_mode = WAL");
  if (!journal) return journal.error();
  if (mode == OpenMode::ReadOnly) return exec("PRAGMA query_only = ON");
  if (*journal != "wal") {
    return makeError(ErrorCode::Database, "cannot enable WAL (journal_mode is " + *journal + ")",
                     path_.string());
  }
  return exec(kPragmas);
}

Error Database::error(std::string_view what) const {
  std::string context = path_.string();
  if (!what.empty()) context += ": " + std::string(what);
  return makeError(ErrorCode::Database, sqlite3_errmsg(db_.get()), context);
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return error(sql);
  }
  return Statement(db_.get(), stmt);
}

Status Database::exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Ok{};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return makeError(ErrorCode::Database, text, path_.string());
}

Result<int64_t> Database::queryInt(const std::string& sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return makeError(ErrorCode::Database, row.error().message, path_.string());
  if (!*row) return makeError(ErrorCode::Database, "no row", sql);
  return stmt->columnInt(0);
}

Result<std::string> Database::queryText(const std::string& sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return makeError(ErrorCode::Database, row.error().message, path_.string());
  if (!*row) return makeError(ErrorCode::Database, "no row", sql);
  return stmt->columnString(0);
}

Result<Transaction> Database::begin() {
  if (auto status = exec("BEGIN IMMEDIATE"); !status) return status.error();
  return Transaction(this);
}

Result<Transaction> Database::beginRead() {
  if (auto status = exec("BEGIN DEFERRED"); !status) return status.error();
  return Transaction(this);
}

Status prepareAll(Database& db,
                  std::initializer_list<std::pair<Statement*, std::string_view>> statements) {
  for (const auto& [statement, sql] : statements) {
    auto prepared = db.prepare(sql);
    if (!prepared) return prepared.error();
    *statement = std::move(*prepared);
  }
  return Ok{};
}

}  // namespace certvigil::storage
