// SPDX-License-Identifier: Apache-2.0
// discovery/config_tree.cpp: reading configuration files and expanding includes. glob(3) sorts
// its matches as the servers do, so directives keep the order the server reads them in.
#include "discovery/config_tree.h"

#include <glob.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

constexpr std::streamsize kMaxFileBytes = 4 << 20;

std::vector<fs::path> globMatches(const std::string& pattern) {
  std::vector<fs::path> out;
  glob_t matches{};
  if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (size_t i = 0; i < matches.gl_pathc; ++i) out.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  return out;
}

std::vector<fs::path> directoryFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && out.size() < kMaxConfigFiles) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool isGlob(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

std::vector<Directive> loadDirectives(const fs::path& file, ParseText parse,
                                      const std::function<void(const std::string&)>& report) {
  Result<std::string> text = readConfigFile(file);
  if (!text) {
    report(text.error().describe());
    return {};
  }
  std::vector<std::string> problems;
  std::vector<Directive> tree = parse(*text, file.string(), problems);
  for (const std::string& p : problems) report(p);
  return tree;
}

Result<std::string> readConfigFile(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return makeError(ErrorCode::Io, "is a directory", path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return makeError(ErrorCode::Io, std::strerror(errno), path.string());
  std::string text(static_cast<size_t>(kMaxFileBytes) + 1, '\0');
  in.read(text.data(), kMaxFileBytes + 1);
  if (in.bad()) return makeError(ErrorCode::Io, "read error", path.string());
  if (in.gcount() > kMaxFileBytes) {
    return makeError(ErrorCode::Invalid, "larger than 4 MiB", path.string());
  }
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::vector<fs::path> includeFiles(const std::string& pattern, const fs::path& base) {
  const fs::path p(pattern);
  const fs::path full = (p.is_absolute() ? p : base / p).lexically_normal();
  if (isGlob(pattern)) {
    std::vector<fs::path> out;
    for (const fs::path& m : globMatches(full.string())) {
      std::error_code ec;
      if (fs::is_regular_file(m, ec)) out.push_back(m);
    }
    return out;
  }
  std::error_code ec;
  if (fs::is_directory(full, ec)) return directoryFiles(full);
  if (fs::exists(full, ec)) return {full};
  return {};
}

}  // namespace certvigil::discovery
