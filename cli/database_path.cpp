// SPDX-License-Identifier: Apache-2.0
#include "cli/database_path.h"

#include <iostream>

#include "config/config.h"

namespace certvigil::cli {

std::optional<std::filesystem::path> existingDatabase(const std::filesystem::path& database,
                                                      const std::filesystem::path& config,
                                                      int& exit_code) {
  std::filesystem::path db = database;
  if (db.empty()) {
    const config::LoadOutcome outcome = config::loadFile(config);
    if (!outcome.ok()) {
      for (const auto& p : outcome.problems) std::cerr << p.describe() << "\n";
      exit_code = 78;
      return std::nullopt;
    }
    db = outcome.config->databasePath();
  }
  if (!std::filesystem::exists(db)) {
    std::cerr << "certvigil: no database at " << db.string() << " (has the daemon run?)\n";
    exit_code = 1;
    return std::nullopt;
  }
  return db;
}

}  // namespace certvigil::cli
