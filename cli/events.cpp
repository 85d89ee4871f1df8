// `certvigil events`: the newest alert events (transitions of findings, certificate changes,
// repeats) from the outbox, and per notifier whether each has been handled or is pending.
// Reads the database of a config's state_dir, read-only (safe while the daemon runs).
#include "cli/events.h"

#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/database_path.h"
#include "config/config.h"
#include "storage/outbox_repository.h"

namespace certvigil::cli {
namespace {

struct EventsOptions {
  std::string config = "/etc/certvigil/certvigil.yaml";
  std::string database;
  bool json = false;
  size_t limit = 50;
};

using Json = nlohmann::ordered_json;

Json orNull(const std::string& text) { return text.empty() ? Json() : Json(text); }

// Per notifier: "handled" when its cursor is past the event, else "pending". A repeat is only
// for the notifier it names.
Json deliveryJson(const AlertEvent& e, const std::map<std::string, int64_t>& cursors) {
  Json out = Json::object();
  for (const auto& [name, cursor] : cursors) {
    if (!e.notifier.empty() && e.notifier != name) continue;
    out[name] = e.id <= cursor ? "handled" : "pending";
  }
  return out;
}

Json eventJson(const AlertEvent& e, const std::map<std::string, int64_t>& cursors) {
  return {{"id", e.uid},
          {"created_at", formatRfc3339(e.created_at)},
          {"kind", std::string(toString(e.kind))},
          {"notifier", orNull(e.notifier)},
          {"target", e.target},
          {"code", e.code},
          {"severity", e.severity},
          {"previous_severity", orNull(e.previous_severity)},
          {"fingerprint_sha256", orNull(e.fingerprint)},
          {"message", e.message},
          {"notifiers", deliveryJson(e, cursors)}};
}

void printTable(const std::vector<AlertEvent>& events,
                const std::map<std::string, int64_t>& cursors) {
  for (const auto& e : events) {
    std::string pending;
    for (const auto& [name, cursor] : cursors) {
      const bool mine = e.notifier.empty() || e.notifier == name;
      if (mine && e.id > cursor) pending += (pending.empty() ? "" : ",") + name;
    }
    std::cout << formatRfc3339(e.created_at) << "  " << toString(e.kind) << "  " << e.severity
              << " " << e.code << "  " << e.target;
    if (!pending.empty()) std::cout << "  (pending: " << pending << ")";
    std::cout << "\n";
  }
  std::cout << events.size() << " events\n";
}

int runEvents(const EventsOptions& o) {
  int exit_code = 0;
  const std::optional<std::filesystem::path> db = existingDatabase(o.database, o.config, exit_code);
  if (!db) return exit_code;
  auto outbox = storage::Outbox::openReadOnly(*db);
  if (!outbox) {
    std::cerr << "certvigil: " << outbox.error().describe() << "\n";
    return 1;
  }
  auto events = (*outbox)->recent(o.limit);
  auto cursors = (*outbox)->cursors();
  if (!events || !cursors) {
    std::cerr << "certvigil: " << (events ? cursors.error() : events.error()).describe() << "\n";
    return 1;
  }
  if (o.json) {
    Json list = Json::array();
    for (const auto& e : *events) list.push_back(eventJson(e, *cursors));
    std::cout << Json{{"events", list}}.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
  } else {
    printTable(*events, *cursors);
  }
  return 0;
}

}  // namespace

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
