// SPDX-License-Identifier: Apache-2.0
// discovery/path_resolver.cpp: a path in a server configuration is only watched when it names
// one file for every request: a variable ($ssl_server_name, ${VAR} that was not defined) picks
// the file at run time, inline data (data:) and engine keys are no file at all.
#include "discovery/parsers.h"

namespace certvigil::discovery {

std::optional<std::string> PathResolver::path(const std::string& text, const Origin& origin,
                                              const std::string& name) {
  if (text.find('$') != std::string::npos || text.find("%{") != std::string::npos) {
    collector_.skip(origin, name + " " + text,
                    "a variable in the path: the file is chosen at run time");
    return std::nullopt;
  }
  if (text.rfind("data:", 0) == 0) {
    collector_.skip(origin, name + " data:...", "inline data, not a file");
    return std::nullopt;
  }
  if (text.rfind("engine:", 0) == 0 || text.rfind("store:", 0) == 0) {
    collector_.skip(origin, name + " " + text, "a key held by an engine or store, not a file");
    return std::nullopt;
  }
  return absoluteAgainst(text, base_);
}

std::optional<std::string> PathResolver::file(const Directive& d, size_t arg) {
  if (arg >= d.args.size()) return std::nullopt;
  return path(d.args[arg], d.origin, d.name);
}

void PathResolver::add(const Directive& d, std::vector<DiscoveredPath>& into) {
  if (const std::optional<std::string> p = file(d)) into.push_back({*p, d.origin, d.name, {}});
}

void PathResolver::addBundle(const Directive& d) {
  if (const std::optional<std::string> p = file(d))
    collector_.addBundle({*p, d.origin, d.name, {}});
}

void PathResolver::addCrl(const Directive& d, const Directive* issuers) {
  const std::optional<std::string> p = file(d);
  if (!p) return;
  DiscoveredPath crl{*p, d.origin, d.name, {}};
  if (issuers) {
    if (const std::optional<std::string> ca = file(*issuers)) crl.issuers.push_back(*ca);
  }
  collector_.addCrl(crl);
}

}  // namespace certvigil::discovery
