// SPDX-License-Identifier: Apache-2.0
// config/yaml_guard.h (internal to config): a guard against a yaml-cpp 0.7 bug. YAML::LoadAll
// loops for ever, allocating until the process dies, on a token it cannot place outside any
// collection, such as a stray ',' at the top level (jbeder/yaml-cpp#1040; fixed upstream after
// the 0.7.0 that Debian 12 ships). Found by fuzz/fuzz_config.
#pragma once

#include <yaml-cpp/mark.h>

#include <optional>
#include <string>

namespace certvigil::config {

/// Walks the YAML stream's documents with yaml-cpp's event parser, which reads one document at
/// a time. Returns where a document starts again at the very same place as the one before
/// (the parser is stuck there, so LoadAll would never end); nullopt when the walk ends. Syntax
/// errors are thrown as by LoadAll (YAML::Exception).
std::optional<YAML::Mark> findStuckDocument(const std::string& yaml);

}  // namespace certvigil::config
