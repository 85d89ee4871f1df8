// SPDX-License-Identifier: Apache-2.0
// `certvigil config check FILE`: the same load and validation the daemon runs; every problem
// is printed with file:line:col, and the exit code is non-zero (78, EX_CONFIG) on any.
#include <iostream>

#include "cli/commands.h"
#include "config/config.h"

namespace certvigil::cli {

namespace {
constexpr int kExitConfig = 78;  // EX_CONFIG from sysexits.h
}

void addConfigCommand(CLI::App& app, int& exit_code) {
  CLI::App* config = app.add_subcommand("config", "Work with configuration files");
  config->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  CLI::App* check = config->add_subcommand("check", "Validate a configuration file");
  check->add_option("FILE", *path, "the configuration file")->required();
  check->callback([path, &exit_code] {
    const config::LoadOutcome outcome = config::loadFile(*path);
    for (const auto& problem : outcome.problems) std::cerr << problem.describe() << "\n";
    if (!outcome.ok()) {
      std::cerr << outcome.problems.size()
                << (outcome.problems.size() == 1 ? " problem" : " problems") << " in " << *path
                << "\n";
      exit_code = kExitConfig;
      return;
    }
    std::cout << "configuration OK: " << outcome.config->files.size() << " file entries, "
              << outcome.config->bundles.size() << " bundles, " << outcome.config->endpoints.size()
              << " endpoints, " << outcome.config->notifiers.size() << " notifiers\n";
    exit_code = 0;
  });
}

}  // namespace certvigil::cli
