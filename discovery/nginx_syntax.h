// SPDX-License-Identifier: Apache-2.0
// discovery/nginx_syntax.h: nginx configuration text -> directives, with `include` followed
// (globs, relative paths against the directory of the main file, as nginx's prefix is).
// Internal to discovery/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/collector.h"
#include "discovery/config_tree.h"

namespace certvigil::discovery {

/// Parses one file's text: words and quoted strings, `;`, `{ }`, `#` comments. Syntax problems
/// are appended to `problems` as "file:line: ..." and parsing goes on where it can.
std::vector<Directive> parseNginxText(std::string_view text, const std::string& file,
                                      std::vector<std::string>& problems);

/// Reads `main_file` and every file it includes, the included directives in place of each
/// `include`. Unreadable files and empty includes are reported to `collector`.
std::vector<Directive> loadNginx(const std::filesystem::path& main_file, Collector& collector);

}  // namespace certvigil::discovery
