// SPDX-License-Identifier: Apache-2.0
// `certvigil inventory`: what the database knows — every certificate currently seen, where, and
// its active findings — as a table, JSON or CSV. Reads the database of a config's state_dir.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/database_path.h"
#include "config/config.h"
#include "storage/state_store.h"

namespace certvigil::cli {
namespace {

struct InventoryOptions {
  std::string config = "/etc/certvigil/certvigil.yaml";
  std::string database;
  bool json = false;
  bool csv = false;
};

std::string joined(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(1, sep)) + i;
  return out;
}

nlohmann::ordered_json rowToJson(const storage::InventoryRow& r) {
  return {{"target", r.target},
          {"kind", toString(r.kind)},
          {"position", r.position},
          {"role", r.role},
          {"fingerprint_sha256", r.fingerprint},
          {"subject", r.subject},
          {"issuer", r.issuer},
          {"serial", r.serial},
          {"not_before", formatRfc3339(r.not_before)},
          {"not_after", formatRfc3339(r.not_after)},
          {"first_seen", formatRfc3339(r.first_seen)},
          {"last_seen", formatRfc3339(r.last_seen)},
          {"findings", r.finding_codes},
          {"worst_severity", r.worst_severity}};
}

// RFC 4180: quote every field, double inner quotes.
std::string csvField(const std::string& value) {
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void printCsv(const std::vector<storage::InventoryRow>& rows) {
  std::cout << "target,kind,position,role,fingerprint_sha256,subject,issuer,serial,not_before,"
               "not_after,findings,worst_severity\n";
  for (const auto& r : rows) {
    const std::vector<std::string> fields = {r.target,
                                             std::string(toString(r.kind)),
                                             std::to_string(r.position),
                                             r.role,
                                             r.fingerprint,
                                             r.subject,
                                             r.issuer,
                                             r.serial,
                                             formatRfc3339(r.not_before),
                                             formatRfc3339(r.not_after),
                                             joined(r.finding_codes, ' '),
                                             r.worst_severity};
    std::string line;
    for (const auto& f : fields) line += (line.empty() ? "" : ",") + csvField(f);
    std::cout << line << "\n";
  }
}

void printTable(const std::vector<storage::InventoryRow>& rows) {
  for (const auto& r : rows) {
    std::cout << formatRfc3339(r.not_after) << "  " << r.target << " [" << r.position << "] "
              << r.subject;
    if (!r.finding_codes.empty()) std::cout << "  (" << joined(r.finding_codes, ',') << ")";
    std::cout << "\n";
  }
  std::cout << rows.size() << " certificates\n";
}

int runInventory(const InventoryOptions& o) {
  int exit_code = 0;
  const std::optional<std::filesystem::path> db = existingDatabase(o.database, o.config, exit_code);
  if (!db) return exit_code;
  auto store = storage::StateStore::openReadOnly(*db);
  if (!store) {
    std::cerr << "certvigil: " << store.error().describe() << "\n";
    return 1;
  }
  auto rows = (*store)->inventory();
  if (!rows) {
    std::cerr << "certvigil: " << rows.error().describe() << "\n";
    return 1;
  }
  if (o.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& r : *rows) list.push_back(rowToJson(r));
    std::cout << nlohmann::ordered_json{{"certificates", list}}.dump(2) << "\n";
  } else if (o.csv) {
    printCsv(*rows);
  } else {
    printTable(*rows);
  }
  return 0;
}

}  // namespace

void addInventoryCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<InventoryOptions>();
  CLI::App* cmd = app.add_subcommand("inventory", "List what the database knows");
  cmd->add_option("--config", options->config, "the daemon's configuration (for state_dir)");
  cmd->add_option("--database", options->database, "the database file (overrides --config)");
  auto* json = cmd->add_flag("--json", options->json, "print JSON");
  auto* csv = cmd->add_flag("--csv", options->csv, "print CSV");
  json->excludes(csv);
  cmd->callback([options, &exit_code] { exit_code = runInventory(*options); });
}

}  // namespace certvigil::cli
