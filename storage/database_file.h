// storage/database_file.h: looks at an existing database file before SQLite opens it, so that a
// damaged file is refused with its reason and the remedy instead of being opened, half-read or
// written over. SQLite itself is lenient here: it opens a file cut short and fails only at the
// first page it cannot read.
#pragma once

#include <filesystem>

#include "core/result.h"

namespace certvigil::storage {

/// What everyone is told to do about a damaged database file.
inline constexpr const char* kDamagedRemedy =
    "restore it from a backup, or move it aside to start a new history (certvigil never "
    "overwrites it)";

/// Ok when `path` does not exist or is empty (SQLite makes it a new database: nothing to lose)
/// or starts like a SQLite database whose pages are all there. Otherwise an Error (context: the
/// path) whose one-line message says what is wrong and what to do: a file that is not a
/// database (garbage or another program's file), a file shorter than its header says
/// (truncated). The size check is skipped while a write-ahead log or rollback journal is beside
/// it (SQLite completes or undoes an interrupted write from it). Reads the first 100 bytes only.
Status inspectDatabaseFile(const std::filesystem::path& path);

}  // namespace certvigil::storage
