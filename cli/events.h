// cli/events.h: `certvigil events`, the alert events in the database and what each notifier
// did with them.
#pragma once

#include <CLI/CLI.hpp>

namespace certvigil::cli {

/// `certvigil events [--json] [--limit N] [--config FILE | --database FILE]`.
void addEventsCommand(CLI::App& app, int& exit_code);

}  // namespace certvigil::cli
