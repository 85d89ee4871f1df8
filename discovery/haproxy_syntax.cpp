// SPDX-License-Identifier: Apache-2.0
// discovery/haproxy_syntax.cpp: haproxy's cfgparse word splitting, in the small. Environment
// variables are left as written ("${HOME}"): the path resolver skips what it cannot resolve.
#include "discovery/haproxy_syntax.h"

#include <algorithm>
#include <set>

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

const std::set<std::string, std::less<>> kSections = {
    "global",  "defaults", "frontend",    "backend", "listen", "userlist", "peers",     "resolvers",
    "mailers", "program",  "http-errors", "ring",    "cache",  "fcgi-app", "crt-store", "traces"};

}  // namespace

std::vector<std::string> splitHaproxyLine(std::string_view line) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        if (c == '\\' && quote == '"' && i + 1 < line.size()) ++i;
        word += line[i];
      }
      continue;
    }
    if (c == '#') break;
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) out.push_back(std::exchange(word, {}));
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
    } else {
      word += c;
    }
  }
  if (in_word) out.push_back(word);
  return out;
}

std::vector<Directive> parseHaproxyText(std::string_view text, const std::string& file) {
  std::vector<Directive> sections;
  int line = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = std::min(text.find('\n', pos), text.size());
    ++line;
    std::vector<std::string> words = splitHaproxyLine(text.substr(pos, nl - pos));
    pos = nl + 1;
    if (words.empty()) continue;
    Directive d;
    d.name = words[0];
    d.args.assign(words.begin() + 1, words.end());
    d.origin = {file, line};
    if (kSections.count(d.name)) {
      d.block = true;
      sections.push_back(std::move(d));
    } else if (!sections.empty()) {
      sections.back().children.push_back(std::move(d));
    }
  }
  return sections;
}

std::vector<Directive> loadHaproxy(const fs::path& path, Collector& collector) {
  std::vector<fs::path> files = {path};
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    files.clear();
    for (const fs::path& f : includeFiles((path / "*.cfg").string(), path)) files.push_back(f);
  }
  std::vector<Directive> out;
  for (const fs::path& f : files) {
    Result<std::string> text = readConfigFile(f);
    if (!text) {
      collector.problem(text.error().describe());
      continue;
    }
    for (Directive& d : parseHaproxyText(*text, f.string())) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace certvigil::discovery
