// SPDX-License-Identifier: Apache-2.0
// discovery/discovery.cpp: the server kinds, their default files, and which parser reads what.
#include "discovery/discovery.h"

#include <array>

#include "discovery/parsers.h"

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

struct ServerEntry {
  ServerKind kind;
  std::string_view name;
  std::string_view default_path;
  void (*parse)(const fs::path&, Collector&);
  std::string_view marker;  ///< a directive only this server's configuration has
};

constexpr std::array<ServerEntry, 3> kServers = {{
    {ServerKind::Nginx, "nginx", "/etc/nginx/nginx.conf", &discoverNginx, "server_name"},
    {ServerKind::Apache, "apache", "/etc/apache2/apache2.conf", &discoverApache, "<VirtualHost"},
    {ServerKind::Haproxy, "haproxy", "/etc/haproxy/haproxy.cfg", &discoverHaproxy, "frontend"},
}};

const ServerEntry& entryOf(ServerKind kind) {
  for (const ServerEntry& e : kServers) {
    if (e.kind == kind) return e;
  }
  return kServers[0];
}

}  // namespace

std::string_view toString(ServerKind kind) { return entryOf(kind).name; }

std::optional<ServerKind> serverKindFromString(std::string_view text) {
  for (const ServerEntry& e : kServers) {
    if (e.name == text) return e.kind;
  }
  return std::nullopt;
}

fs::path defaultConfigPath(ServerKind kind) { return entryOf(kind).default_path; }

std::string sourceLabel(ServerKind kind) { return "discover:" + std::string(toString(kind)); }

std::string Origin::describe() const { return file + ":" + std::to_string(line); }

std::optional<ServerKind> detectServerKind(const fs::path& file) {
  const std::string name = file.filename().string();
  if (name.find("nginx") != std::string::npos) return ServerKind::Nginx;
  if (name.find("apache") != std::string::npos || name.find("httpd") != std::string::npos) {
    return ServerKind::Apache;
  }
  if (name.find("haproxy") != std::string::npos) return ServerKind::Haproxy;
  const Result<std::string> text = readConfigFile(file);
  if (!text) return std::nullopt;
  for (const ServerEntry& e : kServers) {
    if (text->find(e.marker) != std::string::npos) return e.kind;
  }
  if (text->find("SSLCertificateFile") != std::string::npos) return ServerKind::Apache;
  if (text->find("ssl_certificate") != std::string::npos) return ServerKind::Nginx;
  if (text->find(" crt ") != std::string::npos) return ServerKind::Haproxy;
  return std::nullopt;
}

Discovery discover(ServerKind server, const fs::path& main_file) {
  Discovery out;
  out.server = server;
  std::error_code ec;
  const fs::path absolute = fs::absolute(main_file, ec);
  out.config = ec ? main_file : absolute.lexically_normal();
  Collector collector(out);
  entryOf(server).parse(out.config, collector);
  return out;
}

}  // namespace certvigil::discovery
