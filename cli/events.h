// SPDX-License-Identifier: Apache-2.0
// cli/events.h: `certvigil events`, the alert events in the database and what each notifier
// did with them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "storage/history_rows.h"

namespace certvigil::cli {

/// `certvigil events [--json] [--limit N] [--config FILE | --database FILE]`.
void addEventsCommand(CLI::App& app, int& exit_code);

/// What `certvigil events --json` prints: {"events": [...]}, each event spelled as
/// /api/v1/events spells it (exporters/http/api_json.h), the same keys in the same order.
std::string eventsJson(const std::vector<storage::EventRow>& rows);

}  // namespace certvigil::cli
