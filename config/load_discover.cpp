// SPDX-License-Identifier: Apache-2.0
// config/load_discover.cpp: `discover:` entries, `- nginx: PATH` (or `- nginx:` for the
// distribution default) with an optional `interval`. Exactly one server kind per entry.
#include <array>

#include "config/sections.h"

namespace certvigil::config {
namespace {

constexpr std::array<std::string_view, 3> kServers{"nginx", "apache", "haproxy"};

}  // namespace

DiscoverConfig readDiscover(Reader& reader, const YAML::Node& node, const std::string& path) {
  DiscoverConfig d;
  d.line = reader.map().find(path).line;
  MapReader m(reader, node, path, {"nginx", "apache", "haproxy", "interval"});
  if (!m.ok()) return d;
  size_t named = 0;
  for (std::string_view server : kServers) {
    if (!m.child(server).IsDefined()) continue;
    ++named;
    d.server = std::string(server);
    m.readPath(server, d.path);
  }
  if (named != 1) {
    reader.fail(node.Mark(), path,
                "name exactly one server: nginx, apache or haproxy (e.g. `- nginx: "
                "/etc/nginx/nginx.conf`)");
  }
  m.readDuration("interval", d.interval);
  if (d.interval && d.interval->count() <= 0) {
    reader.fail(m.child("interval").Mark(), joinPath(path, "interval"), "must be positive");
  }
  return d;
}

}  // namespace certvigil::config
