// SPDX-License-Identifier: Apache-2.0
// tests/unit/discovery/discovery_test_util.h: lookups into a Discovery for the parser tests.
#pragma once

#include <algorithm>
#include <string>

#include "discovery/collector.h"
#include "discovery/discovery.h"

namespace certvigil::testing {

/// The endpoint whose target name is `name`, or nullptr.
inline const discovery::DiscoveredEndpoint* endpointNamed(const discovery::Discovery& d,
                                                          const std::string& name) {
  for (const auto& e : d.endpoints) {
    if (discovery::endpointName(e.endpoint) == name) return &e;
  }
  return nullptr;
}

/// The file entry with this path and role, or nullptr.
inline const discovery::DiscoveredFile* fileAt(const discovery::Discovery& d,
                                               const std::string& path, Role role) {
  for (const auto& f : d.files) {
    if (f.file.path == path && f.file.role == role) return &f;
  }
  return nullptr;
}

/// True when some skipped directive mentions `text`.
inline bool skippedMentions(const discovery::Discovery& d, const std::string& text) {
  return std::any_of(d.skipped.begin(), d.skipped.end(),
                     [&](const auto& s) { return s.directive.find(text) != std::string::npos; });
}

}  // namespace certvigil::testing
