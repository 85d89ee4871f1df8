// SPDX-License-Identifier: Apache-2.0
// config/source_map.cpp: key path bookkeeping for config messages.
#include "config/source_map.h"

namespace certvigil::config {

void SourceMap::record(const std::string& path, Position position) {
  positions_.emplace(path, position);
}

Position SourceMap::find(const std::string& path) const {
  for (std::string p = path; !p.empty(); p = parentPath(p)) {
    auto it = positions_.find(p);
    if (it != positions_.end()) return it->second;
  }
  return {};
}

void SourceMap::markFailed(const std::string& path) { failed_.insert(path); }

bool SourceMap::failed(const std::string& path) const {
  for (std::string p = path; !p.empty(); p = parentPath(p)) {
    if (failed_.count(p) != 0) return true;
  }
  return false;
}

ConfigProblem SourceMap::problem(const std::string& path, std::string message) const {
  const Position pos = find(path);
  return ConfigProblem{file_, pos.line, pos.column, path, std::move(message)};
}

std::string SourceMap::parentPath(const std::string& path) {
  const size_t cut = path.find_last_of(".[");
  return cut == std::string::npos ? std::string() : path.substr(0, cut);
}

}  // namespace certvigil::config
