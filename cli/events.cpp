// SPDX-License-Identifier: Apache-2.0
// `certvigil events`: the newest alert events (transitions of findings, certificate changes,
// repeats) from the outbox, and per notifier whether each has been handled or is pending.
// Reads the database of a config's state_dir, read-only (safe while the daemon runs).
#include "cli/events.h"

#include <iostream>

#include "cli/database_path.h"
#include "config/config.h"
#include "exporters/http/api_json.h"
#include "storage/history_reader.h"

namespace certvigil::cli {
namespace {

struct EventsOptions {
  std::string config = "/etc/certvigil/certvigil.yaml";
  std::string database;
  bool json = false;
  size_t limit = 50;
};

void printTable(const std::vector<storage::EventRow>& rows) {
  for (const auto& [e, delivery] : rows) {
    std::string pending;
    for (const auto& [name, state] : delivery) {
      if (state == "pending") pending += (pending.empty() ? "" : ",") + name;
    }
    std::cout << formatRfc3339(e.created_at) << "  " << toString(e.kind) << "  " << e.severity
              << " " << e.code << "  " << e.target;
    if (!pending.empty()) std::cout << "  (pending: " << pending << ")";
    std::cout << "\n";
  }
  std::cout << rows.size() << " events\n";
}

int runEvents(const EventsOptions& o) {
  int exit_code = 0;
  const std::optional<std::filesystem::path> db = existingDatabase(o.database, o.config, exit_code);
  if (!db) return exit_code;
  auto reader = storage::HistoryReader::open(*db);
  auto rows = reader ? (*reader)->events(o.limit, std::nullopt)
                     : Result<std::vector<storage::EventRow>>(reader.error());
  if (!rows) {
    std::cerr << "certvigil: " << rows.error().describe() << "\n";
    return 1;
  }
  if (o.json) {
    std::cout << eventsJson(*rows) << "\n";
  } else {
    printTable(*rows);
  }
  return 0;
}

}  // namespace

std::string eventsJson(const std::vector<storage::EventRow>& rows) {
  using Json = exporters::api::Json;
  Json list = Json::array();
  for (const auto& row : rows) list.push_back(exporters::api::toJson(row));
  return Json{{"events", list}}.dump(2, ' ', false, Json::error_handler_t::replace);
}

void addEventsCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<EventsOptions>();
  CLI::App* cmd = app.add_subcommand("events", "List recent alert events and their delivery");
  cmd->add_option("--config", options->config, "the daemon's configuration (for state_dir)");
  cmd->add_option("--database", options->database, "the database file (overrides --config)");
  cmd->add_flag("--json", options->json, "print JSON");
  cmd->add_option("--limit", options->limit, "how many of the newest events (default 50)");
  cmd->callback([options, &exit_code] { exit_code = runEvents(*options); });
}

}  // namespace certvigil::cli
