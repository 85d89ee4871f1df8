// SPDX-License-Identifier: Apache-2.0
// `certvigil discover [--format yaml|json] [FILE...] [--nginx|--apache|--haproxy FILE]`: what
// the web servers' configurations use, as certvigil config. With no file, the distribution
// defaults that exist. Exit 0 when every file was read, 1 when one could not be (what could be
// read is still printed), 2 when there was nothing to read.
#include <iostream>

#include "cli/commands.h"
#include "cli/discover_render.h"
#include "discovery/discovery.h"

namespace certvigil::cli {
namespace {

struct DiscoverOptions {
  std::string format = "yaml";
  std::vector<std::string> files;
  std::vector<std::string> nginx;
  std::vector<std::string> apache;
  std::vector<std::string> haproxy;
};

/// What to read: every named file (its kind named or recognised), else the defaults present.
std::vector<std::pair<discovery::ServerKind, std::string>> inputsOf(const DiscoverOptions& o,
                                                                    int& exit_code) {
  using discovery::ServerKind;
  std::vector<std::pair<ServerKind, std::string>> out;
  for (const std::string& f : o.nginx) out.emplace_back(ServerKind::Nginx, f);
  for (const std::string& f : o.apache) out.emplace_back(ServerKind::Apache, f);
  for (const std::string& f : o.haproxy) out.emplace_back(ServerKind::Haproxy, f);
  for (const std::string& f : o.files) {
    if (const auto kind = discovery::detectServerKind(f)) {
      out.emplace_back(*kind, f);
    } else {
      std::cerr << f << ": not recognised as an nginx, Apache or HAProxy configuration (name it "
                << "with --nginx, --apache or --haproxy)\n";
      exit_code = 1;
    }
  }
  if (!o.files.empty() || !out.empty()) return out;
  for (ServerKind kind : {ServerKind::Nginx, ServerKind::Apache, ServerKind::Haproxy}) {
    std::error_code ec;
    if (std::filesystem::exists(discovery::defaultConfigPath(kind), ec)) {
      out.emplace_back(kind, discovery::defaultConfigPath(kind).string());
    }
  }
  return out;
}

void runDiscover(const DiscoverOptions& options, int& exit_code) {
  exit_code = 0;
  const auto inputs = inputsOf(options, exit_code);
  if (inputs.empty()) {
    if (exit_code == 0) {
      std::cerr << "no server configuration given and none of /etc/nginx/nginx.conf, "
                   "/etc/apache2/apache2.conf, /etc/haproxy/haproxy.cfg exists\n";
    }
    exit_code = 2;
    return;
  }
  std::vector<discovery::Discovery> found;
  for (const auto& [kind, file] : inputs) {
    found.push_back(discovery::discover(kind, file));
    for (const std::string& p : found.back().problems) std::cerr << p << "\n";
    if (!found.back().problems.empty()) exit_code = 1;
  }
  std::cout << (options.format == "json" ? renderDiscoveryJson(found) : renderDiscoveryYaml(found));
}

}  // namespace

void addDiscoverCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<DiscoverOptions>();
  CLI::App* cmd = app.add_subcommand(
      "discover", "What nginx, Apache and HAProxy configurations use, as certvigil config");
  cmd->add_option("--format", options->format, "yaml (pasteable config) | json")
      ->check(CLI::IsMember({"yaml", "json"}));
  cmd->add_option("FILE", options->files,
                  "server configuration files (kind recognised from the file)");
  cmd->add_option("--nginx", options->nginx, "an nginx configuration file");
  cmd->add_option("--apache", options->apache, "an Apache httpd configuration file");
  cmd->add_option("--haproxy", options->haproxy, "an HAProxy configuration file or directory");
  cmd->callback([options, &exit_code] { runDiscover(*options, exit_code); });
}

}  // namespace certvigil::cli
