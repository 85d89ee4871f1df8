// SPDX-License-Identifier: Apache-2.0
// storage/database_file.h: looks at an existing database file before SQLite opens it, so that a
// damaged file is refused with its reason and the remedy instead of being opened, half-read or
// written over. SQLite itself is lenient here: it opens a file cut short and fails only at the
// first page it cannot read.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/result.h"

namespace certvigil::storage {

/// PRAGMA application_id of certvigil's databases ('cvgi', set by 001_initial.sql).
inline constexpr int64_t kApplicationId = 1668707177;
/// What the owner of another application's database is told.
inline constexpr const char* kForeignDatabase =
    "not a certvigil database (another application's SQLite file): point state_dir elsewhere";

/// What everyone is told to do about a damaged database file.
inline constexpr const char* kDamagedRemedy =
    "restore it from a backup, or move it aside to start a new history (certvigil never "
    "overwrites it)";

/// Ok when `path` does not exist or is empty (SQLite makes it a new database: nothing to lose)
/// or starts like a SQLite database whose pages are all there. Otherwise an Error (context: the
/// path) whose one-line message says what is wrong and what to do: a file that is not a
/// database (garbage or another program's file), a file shorter than its header says
/// (truncated), another application's SQLite database (its application_id, or tables without
/// a schema version). The checks after the magic are skipped while a write-ahead log or rollback
/// journal is beside it (SQLite completes or undoes an interrupted write from it, and the header
/// may be stale). Reads the first 100 bytes only, so that nothing, not even the switch to WAL,
/// is written to a file that is not certvigil's.
Status inspectDatabaseFile(const std::filesystem::path& path);

}  // namespace certvigil::storage
