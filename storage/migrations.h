// SPDX-License-Identifier: Apache-2.0
// storage/migrations.h: the schema as an ordered list of SQL migrations. Each is a file
// storage/migrations/NNN_name.sql, embedded into the binary at build time (see
// cmake/embed_migrations.cmake), applied once, in order, each in its own transaction; the
// database's PRAGMA user_version is the number of the last one applied.
#pragma once

#include <span>
#include <string_view>

#include "core/result.h"
#include "storage/database.h"

namespace certvigil::storage {

/// One schema step.
struct Migration {
  int version;            ///< NNN of the file name, 1-based and consecutive
  std::string_view name;  ///< the rest of the file name ("initial")
  std::string_view sql;   ///< the file's contents
};

/// Every migration built into this binary, in version order (generated at build time).
std::span<const Migration> embeddedMigrations();

/// The schema version this binary writes: the last embedded migration.
int latestSchemaVersion();

/// Brings `db` up to the newest version in `migrations` and returns the resulting version.
/// A database that is newer than this binary, or that belongs to another application, is an
/// Error and is left untouched.
Result<int> migrate(Database& db, std::span<const Migration> migrations = embeddedMigrations());

/// For read-only use: succeeds with the version when `db` is a certvigil database at exactly
/// the latest version of `migrations`, and says what is wrong otherwise. Writes nothing.
Result<int> checkCurrent(Database& db,
                         std::span<const Migration> migrations = embeddedMigrations());

}  // namespace certvigil::storage
