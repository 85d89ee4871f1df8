// SPDX-License-Identifier: Apache-2.0
// config/validate.h: the rules that look at a loaded config as a whole (ranges, formats,
// combinations of keys). Separate from loading so that every rule sees typed values, and so that
// a config built in code (tests, the CLI) can be checked the same way.
#pragma once

#include <vector>

#include "config/config.h"
#include "config/source_map.h"

namespace certvigil::config {

/// Every problem with `config`, each placed with `where` (positions may be 0 when the config
/// did not come from a file). Keys that `where` marks as failed are not judged again.
std::vector<ConfigProblem> validate(const Config& config, const SourceMap& where = SourceMap());

}  // namespace certvigil::config
