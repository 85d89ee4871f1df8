// SPDX-License-Identifier: Apache-2.0
// config/source_map.h: where each key of a loaded config was written, and which keys failed to
// load. The loader fills it; validate() uses it to point cross-field problems at the right line
// and to stay silent about values that were already reported (one mistake, one message).
#pragma once

#include <map>
#include <set>
#include <string>

#include "config/config.h"

namespace certvigil::config {

/// A place in the config file, 1-based; 0 when unknown.
struct Position {
  int line = 0;
  int column = 0;
};

/// Key paths ("endpoints[2].mtls") to positions, plus the set of paths that failed to load.
class SourceMap {
 public:
  explicit SourceMap(std::string file = {}) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  /// Remembers where the value of `path` was written (the first record wins).
  void record(const std::string& path, Position position);
  /// The position of `path`, or of its nearest recorded parent ("endpoints[2]"), or {0, 0}.
  Position find(const std::string& path) const;

  /// Notes that `path` had a problem while loading.
  void markFailed(const std::string& path);
  /// True when `path` or one of its parents failed to load.
  bool failed(const std::string& path) const;

  /// A problem at the position of `path`.
  ConfigProblem problem(const std::string& path, std::string message) const;

  /// "endpoints[2].mtls" -> "endpoints[2]" -> "endpoints" -> "".
  static std::string parentPath(const std::string& path);

 private:
  std::string file_;
  std::map<std::string, Position> positions_;
  std::set<std::string> failed_;
};

}  // namespace certvigil::config
