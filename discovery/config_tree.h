// SPDX-License-Identifier: Apache-2.0
// discovery/config_tree.h: the shape all three server syntaxes are read into (a directive with
// arguments, maybe a block of child directives, and where it was written), and the include
// machinery they share: reading a file with a size limit and expanding an include pattern
// (a glob, a directory or a file, relative to a base directory). Internal to discovery/.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "discovery/discovery.h"

namespace certvigil::discovery {

/// One directive: `name args...;` or `name args... { children }` (nginx), `Name args` or
/// `<Name args> children </Name>` (Apache), a keyword line (HAProxy).
struct Directive {
  std::string name;
  std::vector<std::string> args;
  Origin origin;
  bool block = false;
  std::vector<Directive> children;
};

/// At most this many files are read for one configuration (include loops, runaway globs).
constexpr size_t kMaxConfigFiles = 1000;
/// Includes nested deeper than this are not followed.
constexpr int kMaxIncludeDepth = 16;

/// The text of a configuration file (at most 4 MiB).
Result<std::string> readConfigFile(const std::filesystem::path& path);

/// A server's parser: the directives of one file's `text`, syntax problems appended to
/// `problems` as "file:line: ...".
using ParseText = std::vector<Directive> (*)(std::string_view text, const std::string& file,
                                             std::vector<std::string>& problems);

/// Reads `file` and parses it with `parse`; every problem (unreadable, syntax) goes to `report`.
/// Empty when the file cannot be read.
std::vector<Directive> loadDirectives(const std::filesystem::path& file, ParseText parse,
                                      const std::function<void(const std::string&)>& report);

/// The files an include names, sorted: every match of a glob (`*`, `?`, `[`), every regular
/// file in a directory (recursively), or the file itself. Relative patterns are taken against
/// `base`. Empty when nothing matches.
std::vector<std::filesystem::path> includeFiles(const std::string& pattern,
                                                const std::filesystem::path& base);

/// True when `pattern` holds glob characters.
bool isGlob(const std::string& pattern);

/// Counts the files read for one configuration and the include depth.
class IncludeBudget {
 public:
  /// False (and nothing counted) when the depth or the number of files is exhausted.
  bool enter(int depth) {
    if (depth > kMaxIncludeDepth || files_ >= kMaxConfigFiles) return false;
    ++files_;
    return true;
  }

 private:
  size_t files_ = 0;
};

}  // namespace certvigil::discovery
