// SPDX-License-Identifier: Apache-2.0
// `certvigil config check FILE`: the same load and validation the daemon runs; every problem
// is printed with file:line:col, and the exit code is non-zero (78, EX_CONFIG) on any.
#include <iostream>

#include "cli/commands.h"
#include "config/config.h"
#include "config/web_config.h"

namespace certvigil::cli {

namespace {
constexpr int kExitConfig = 78;  // EX_CONFIG from sysexits.h

// The listener's web config (web_config_file): read and checked as the daemon reads it. Like the
// rest of the config, the files it names (certificate, key, client CAs) are not opened here: a
// config is checked before they are deployed; the daemon refuses to start without them.
// Returns the number of problems printed.
size_t checkWebConfig(const config::Config& config) {
  const config::WebConfigOutcome web = config::listenerWebConfig(config);
  for (const auto& problem : web.problems) std::cerr << problem.describe() << "\n";
  return web.ok() ? 0 : web.problems.size();
}
}  // namespace

void addConfigCommand(CLI::App& app, int& exit_code) {
  CLI::App* config = app.add_subcommand("config", "Work with configuration files");
  config->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  CLI::App* check = config->add_subcommand("check", "Validate a configuration file");
  check->add_option("FILE", *path, "the configuration file")->required();
  check->callback([path, &exit_code] {
    const config::LoadOutcome outcome = config::loadFile(*path);
    for (const auto& problem : outcome.problems) std::cerr << problem.describe() << "\n";
    const size_t problems =
        outcome.ok() ? checkWebConfig(*outcome.config) : outcome.problems.size();
    if (problems > 0) {
      std::cerr << problems << (problems == 1 ? " problem" : " problems") << " in " << *path
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
