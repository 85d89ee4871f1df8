// SPDX-License-Identifier: Apache-2.0
// cli/commands.h: each subcommand adds itself to the CLI11 app; when chosen, its callback runs
// and stores the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace certvigil::cli {

/// `certvigil check [options] TARGET...`: one-shot check with Nagios exit codes.
void addCheckCommand(CLI::App& app, int& exit_code);
/// `certvigil diagnose [options] HOST:PORT`: the mTLS doctor.
void addDiagnoseCommand(CLI::App& app, int& exit_code);
/// `certvigil config check FILE`: validate a config, every error with file:line.
void addConfigCommand(CLI::App& app, int& exit_code);
/// `certvigil inventory [--json|--csv] [--config FILE]`: what the database knows.
void addInventoryCommand(CLI::App& app, int& exit_code);

/// `certvigil discover [--format yaml|json] [FILE...]`: what web server configs use.
void addDiscoverCommand(CLI::App& app, int& exit_code);

/// True when stdout is a terminal and NO_COLOR is unset.
bool colorWanted();

}  // namespace certvigil::cli
