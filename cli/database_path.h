// SPDX-License-Identifier: Apache-2.0
// cli/database_path.h: which database `inventory` and `events` read: --database, else the one
// the configuration names (state_dir/certvigil.db). Both commands only read it, and only when it
// exists: they never create an empty database by asking.
#pragma once

#include <filesystem>
#include <optional>

namespace certvigil::cli {

/// The database to read, or nullopt after printing why to stderr; `exit_code` then holds the
/// code to exit with (78 for a bad configuration, 1 for no database).
std::optional<std::filesystem::path> existingDatabase(const std::filesystem::path& database,
                                                      const std::filesystem::path& config,
                                                      int& exit_code);

}  // namespace certvigil::cli
