// SPDX-License-Identifier: Apache-2.0
// certvigil's entry point: one binary, subcommands run / check / inventory / config check.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/events.h"
#include "daemon/app.h"
#include "daemon/build_overrides.h"
#include "daemon/version.h"
#include "scheduler/shard.h"

int main(int argc, char** argv) {
  CLI::App app{"certvigil: certificate expiry and mTLS monitoring"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("certvigil ") + certvigil::kVersion);
  int exit_code = 0;

  certvigil::daemon::RunOptions run_options;
  CLI::App* run = app.add_subcommand("run", "Run the monitoring daemon");
  run->add_option("--config", run_options.config, "configuration file")->required();
  run->add_option("--log-level", run_options.log_level, "debug | info | notice | warning | error")
      ->check(CLI::IsMember({"debug", "info", "notice", "warning", "error"}));
  run->add_option("--web.config.file", run_options.web_config_file,
                  "exporter-toolkit web configuration (TLS, client certificates, basic auth); "
                  "overrides web_config_file in the config");
  std::string shard;
  run->add_option("--shard", shard,
                  "own only shard I of N of the configured endpoints (rendezvous hashing; files "
                  "and bundles are always scanned)")
      ->type_name("I/N")
      ->check([](const std::string& text) {
        std::string why;
        return certvigil::scheduler::parseShard(text, &why) ? std::string{} : why;
      });
  run->callback([&] {
    if (!shard.empty()) run_options.shard = certvigil::scheduler::parseShard(shard);
    certvigil::daemon::applyBuildOverrides(run_options);
    exit_code = certvigil::daemon::runDaemon(run_options);
  });

  certvigil::cli::addCheckCommand(app, exit_code);
  certvigil::cli::addDiagnoseCommand(app, exit_code);
  certvigil::cli::addInventoryCommand(app, exit_code);
  certvigil::cli::addEventsCommand(app, exit_code);
  certvigil::cli::addConfigCommand(app, exit_code);
  certvigil::cli::addDiscoverCommand(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // Usage errors of `check` are Nagios UNKNOWN (3), not CLI11's generic codes.
    return code == 0 ? 0 : 3;
  }
  return exit_code;
}
