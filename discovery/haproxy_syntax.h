// SPDX-License-Identifier: Apache-2.0
// discovery/haproxy_syntax.h: HAProxy configuration text -> sections (global, defaults,
// frontend, backend, listen, ...) holding their keyword lines, words split as haproxy does
// (blanks, double and single quotes, backslash escapes, `#` comments). HAProxy has no include
// directive: it reads the files and directories it is given (a directory: its *.cfg files,
// sorted). Internal to discovery/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "discovery/collector.h"
#include "discovery/config_tree.h"

namespace certvigil::discovery {

/// Splits one line into words; an empty list for a blank or comment line.
std::vector<std::string> splitHaproxyLine(std::string_view line);

/// Parses one file's text: each section a block directive, its lines its children.
std::vector<Directive> parseHaproxyText(std::string_view text, const std::string& file);

/// Reads `path` (a file, or a directory of *.cfg files) into sections.
std::vector<Directive> loadHaproxy(const std::filesystem::path& path, Collector& collector);

}  // namespace certvigil::discovery
