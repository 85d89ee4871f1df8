// SPDX-License-Identifier: Apache-2.0
// config/validate_internal.h: the problem sink shared by the validate*.cpp files. Internal.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "config/source_map.h"

namespace certvigil::config {

/// Collects rule violations, placed via the SourceMap, skipping keys that already failed to load.
class Validator {
 public:
  explicit Validator(const SourceMap& where) : where_(where) {}

  /// Reports a problem at `path` unless `path` (or a parent) already failed to load.
  void report(const std::string& path, std::string message);
  /// True when `path` (or a parent) failed to load: rules about it would only repeat that.
  bool failed(const std::string& path) const { return where_.failed(path); }
  /// The line of `path` (for "same as line N" messages), 0 if unknown.
  int lineOf(const std::string& path) const { return where_.find(path).line; }
  /// Requires a positive duration when one is set.
  void requirePositive(const std::string& path, std::optional<Seconds> value);

  std::vector<ConfigProblem> take() { return std::move(problems_); }

 private:
  const SourceMap& where_;
  std::vector<ConfigProblem> problems_;
};

/// The `kubeconfig:` rules (load_kubeconfig.cpp).
void checkKubeconfigs(const std::vector<KubeconfigConfig>& entries, Validator& v);

/// The notifier rules (validate_notifiers.cpp).
void checkNotifiers(const std::vector<NotifierConfig>& notifiers, Validator& v);

}  // namespace certvigil::config
