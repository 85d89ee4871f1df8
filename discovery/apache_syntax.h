// SPDX-License-Identifier: Apache-2.0
// discovery/apache_syntax.h: Apache httpd configuration text -> directives: `Name args` lines
// (backslash continuation, quotes, `#` comment lines), `<Section args>` blocks, Include and
// IncludeOptional followed (globs, directories, relative to ServerRoot), `Define` and the
// variables of Debian's envvars substituted, and the conditional sections (<IfModule>,
// <IfDefine>, <IfVersion>, <IfFile>) opened in place. Internal to discovery/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/collector.h"
#include "discovery/config_tree.h"

namespace certvigil::discovery {

/// Parses one file's text into directives (no includes, no variables); problems are appended as
/// "file:line: ...".
std::vector<Directive> parseApacheText(std::string_view text, const std::string& file,
                                       std::vector<std::string>& problems);

/// Reads `main_file` and everything it includes; variables substituted, conditionals opened.
std::vector<Directive> loadApache(const std::filesystem::path& main_file, Collector& collector);

}  // namespace certvigil::discovery
