// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations.h"

#include <string>

#include "storage/database_file.h"

namespace certvigil::storage {
namespace {

Status checkOrder(std::span<const Migration> migrations) {
  for (size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return makeError(ErrorCode::Invalid, "migrations must be numbered 1, 2, 3, ... without gaps",
                       std::string(migrations[i].name));
    }
  }
  return Ok{};
}

Status checkOwner(Database& db, int64_t version) {
  auto app = db.queryInt("PRAGMA application_id");
  if (!app) return app.error();
  const bool foreign = *app != 0 && *app != kApplicationId;
  // A database with a schema but no user_version was not made by certvigil either (the schema
  // cookie is 0 until something is created in it).
  auto schema = db.queryInt("PRAGMA schema_version");
  if (!schema) return schema.error();
  if (foreign || (version == 0 && *schema > 0)) {
    return makeError(ErrorCode::Database, kForeignDatabase, db.path().string());
  }
  return Ok{};
}

Status applyInTransaction(Database& db, const Migration& migration) {
  auto tx = db.begin();
  if (!tx) return tx.error();
  const std::string context =
      std::to_string(migration.version) + "_" + std::string(migration.name) + ".sql";
  if (auto status = db.exec(std::string(migration.sql)); !status) {
    return makeError(ErrorCode::Database, status.error().message, context);
  }
  // A rebuilt table must still satisfy every reference to and from it.
  auto dangling = db.queryInt("SELECT count(*) FROM pragma_foreign_key_check");
  if (!dangling) return dangling.error();
  if (*dangling != 0) {
    return makeError(ErrorCode::Database, "the migration leaves dangling references", context);
  }
  // user_version lives in the database header: it commits or rolls back with the migration.
  if (auto status = db.exec("PRAGMA user_version = " + std::to_string(migration.version));
      !status) {
    return status.error();
  }
  return tx->commit();
}

// Foreign keys are off while a migration runs (they cannot change inside a transaction), so a
// migration may rebuild a table the way SQLite documents (create, copy, drop, rename) without
// the drop cascading into its children; foreign_key_check stands guard before the commit.
Status apply(Database& db, const Migration& migration) {
  if (auto status = db.exec("PRAGMA foreign_keys = OFF"); !status) return status;
  Status status = applyInTransaction(db, migration);
  if (auto restored = db.exec("PRAGMA foreign_keys = ON"); !restored && status) return restored;
  return status;
}

}  // namespace

int latestSchemaVersion() {
  const auto migrations = embeddedMigrations();
  return migrations.empty() ? 0 : migrations.back().version;
}

namespace {

// The version of `db` if it is ours and not newer than `latest`.
Result<int> usableVersion(Database& db, int latest) {
  auto current = db.queryInt("PRAGMA user_version");
  if (!current) return current.error();
  if (auto status = checkOwner(db, *current); !status) return status.error();
  if (*current > latest) {
    return makeError(ErrorCode::Unsupported,
                     "database schema " + std::to_string(*current) +
                         " is newer than this certvigil (" + std::to_string(latest) +
                         "): run the certvigil release that wrote it, or restore a backup made "
                         "by this one",
                     db.path().string());
  }
  return static_cast<int>(*current);
}

int lastVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

}  // namespace

Result<int> migrate(Database& db, std::span<const Migration> migrations) {
  if (auto status = checkOrder(migrations); !status) return status.error();
  const int latest = lastVersion(migrations);
  auto current = usableVersion(db, latest);
  if (!current) return current.error();
  for (const auto& migration : migrations) {
    if (migration.version <= *current) continue;
    if (auto status = apply(db, migration); !status) return status.error();
  }
  return latest;
}

Result<int> checkCurrent(Database& db, std::span<const Migration> migrations) {
  const int latest = lastVersion(migrations);
  auto current = usableVersion(db, latest);
  if (!current) return current.error();
  if (*current < latest) {
    return makeError(ErrorCode::Unsupported,
                     "database schema " + std::to_string(*current) +
                         " is older than this certvigil (" + std::to_string(latest) +
                         "); the daemon upgrades it when it starts",
                     db.path().string());
  }
  return *current;
}

}  // namespace certvigil::storage
