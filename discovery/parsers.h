// SPDX-License-Identifier: Apache-2.0
// discovery/parsers.h: one entry point per server kind (nginx.cpp, apache.cpp, haproxy.cpp) and
// the path handling they share. Internal to discovery/.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "discovery/collector.h"
#include "discovery/config_tree.h"

namespace certvigil::discovery {

/// Each reads the configuration rooted at `main_file` into `collector`.
void discoverNginx(const std::filesystem::path& main_file, Collector& collector);
void discoverApache(const std::filesystem::path& main_file, Collector& collector);
void discoverHaproxy(const std::filesystem::path& main_file, Collector& collector);

/// Turns the path argument of a directive into an absolute path, or records why it cannot.
class PathResolver {
 public:
  PathResolver(std::filesystem::path base, Collector& collector)
      : base_(std::move(base)), collector_(collector) {}

  /// The file the directive's argument `arg` names, against the base directory; nullopt (and a
  /// skipped directive) for a variable, inline data or an engine/provider key.
  std::optional<std::string> file(const Directive& d, size_t arg = 0);
  /// Resolves the same way a path given as text by directive `name` at `origin`.
  std::optional<std::string> path(const std::string& text, const Origin& origin,
                                  const std::string& name);
  /// The directive's file appended to `into` (when it resolves).
  void add(const Directive& d, std::vector<DiscoveredPath>& into);
  /// The directive's file as a client-CA bundle / a CRL of the collector.
  void addBundle(const Directive& d);
  /// `issuers`: the directive naming the CA bundle the CRL is checked with, if any.
  void addCrl(const Directive& d, const Directive* issuers = nullptr);
  Collector& collector() { return collector_; }
  void setBase(std::filesystem::path base) { base_ = std::move(base); }
  const std::filesystem::path& base() const { return base_; }

 private:
  std::filesystem::path base_;
  Collector& collector_;
};

}  // namespace certvigil::discovery
