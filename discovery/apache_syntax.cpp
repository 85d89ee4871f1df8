// SPDX-License-Identifier: Apache-2.0
// discovery/apache_syntax.cpp: the configuration reader of httpd (util_cfgtree, ap_getword_conf)
// in the small: a line is a directive, a line ending in a backslash goes on, a `#` line is a
// comment, words are split on blanks with double or single quotes grouping. `<IfModule !x>`
// is taken as false and a positive one as true: which modules are loaded is not read.
#include "discovery/apache_syntax.h"

#include <algorithm>
#include <fstream>
#include <map>

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> splitWords(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::string word;
    if (line[i] == '"' || line[i] == '\'') {
      const char quote = line[i++];
      while (i < line.size() && line[i] != quote) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        word += line[i++];
      }
      ++i;
    } else {
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') word += line[i++];
    }
    out.push_back(std::move(word));
  }
  return out;
}

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

/// The logical lines of the text with the line each starts on.
std::vector<std::pair<std::string, int>> logicalLines(std::string_view text) {
  std::vector<std::pair<std::string, int>> out;
  std::string current;
  int start = 0;
  int line = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t nl = std::min(text.find('\n', pos), text.size());
    std::string piece(text.substr(pos, nl - pos));
    ++line;
    if (current.empty()) start = line;
    if (!piece.empty() && piece.back() == '\r') piece.pop_back();
    const bool more = !piece.empty() && piece.back() == '\\';
    if (more) piece.pop_back();
    current += piece;
    if (!more) out.emplace_back(std::exchange(current, {}), start);
    pos = nl + 1;
  }
  return out;
}

}  // namespace

std::vector<Directive> parseApacheText(std::string_view text, const std::string& file,
                                       std::vector<std::string>& problems) {
  std::vector<Directive> root;
  std::vector<Directive*> stack;  // open sections, innermost last
  const auto current = [&]() -> std::vector<Directive>& {
    return stack.empty() ? root : stack.back()->children;
  };
  for (const auto& [raw, line] : logicalLines(text)) {
    const std::string l = trim(raw);
    if (l.empty() || l[0] == '#') continue;
    if (l.rfind("</", 0) == 0) {
      if (stack.empty())
        problems.push_back(file + ":" + std::to_string(line) + ": " + l +
                           " without a section to close");
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    Directive d;
    d.origin = {file, line};
    if (l[0] == '<') {
      const size_t close = l.rfind('>');
      std::vector<std::string> words =
          splitWords(l.substr(1, close == std::string::npos ? std::string::npos : close - 1));
      if (words.empty()) continue;
      d.name = "<" + words[0] + ">";
      d.args.assign(words.begin() + 1, words.end());
      d.block = true;
      current().push_back(std::move(d));
      if (stack.size() < 64) stack.push_back(&current().back());
      continue;
    }
    std::vector<std::string> words = splitWords(l);
    d.name = words[0];
    d.args.assign(words.begin() + 1, words.end());
    current().push_back(std::move(d));
  }
  if (!stack.empty()) {
    problems.push_back(file + ": " + stack.back()->name + " at line " +
                       std::to_string(stack.back()->origin.line) + " is never closed");
  }
  return root;
}

namespace {

class ApacheLoader {
 public:
  ApacheLoader(const fs::path& main, Collector& collector)
      : server_root_(main.parent_path()), collector_(collector) {
    readEnvvars(main.parent_path() / "envvars");
  }

  std::vector<Directive> load(const fs::path& file, int depth) {
    std::vector<Directive> tree = loadDirectives(
        file, &parseApacheText, [this](const std::string& p) { collector_.problem(p); });
    std::vector<Directive> out;
    resolve(tree, depth, out);
    return out;
  }

 private:
  /// Debian's /etc/apache2/envvars: `export NAME=value` lines that apache2ctl sources.
  void readEnvvars(const fs::path& path) {
    std::ifstream in(path);
    std::string line;
    for (int n = 0; n < 1000 && std::getline(in, line); ++n) {
      const std::string l = trim(line);
      if (l.rfind("export ", 0) != 0) continue;
      const size_t eq = l.find('=');
      if (eq == std::string::npos) continue;
      std::string value = l.substr(eq + 1);
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
        value = value.substr(1, value.size() - 2);
      }
      if (value.find('$') == std::string::npos) defines_[trim(l.substr(7, eq - 7))] = value;
    }
  }

  std::string substitute(const std::string& text) const {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      const size_t close = text.find('}', i);
      if (text.compare(i, 2, "${") == 0 && close != std::string::npos) {
        const auto it = defines_.find(text.substr(i + 2, close - i - 2));
        if (it != defines_.end()) {
          out += it->second;
          i = close;
          continue;
        }
      }
      out += text[i];
    }
    return out;
  }

  bool conditionHolds(const Directive& d) const {
    if (d.args.empty()) return true;
    const bool negated = d.args[0].rfind('!', 0) == 0;
    if (d.name == "<IfDefine>") {
      const bool defined = defines_.count(d.args[0].substr(negated ? 1 : 0)) > 0;
      return negated ? !defined : defined;
    }
    return !negated;
  }

  void resolve(std::vector<Directive>& in, int depth, std::vector<Directive>& out) {
    for (Directive& d : in) {
      for (std::string& a : d.args) a = substitute(a);
      if (d.name == "<IfModule>" || d.name == "<IfDefine>" || d.name == "<IfVersion>" ||
          d.name == "<IfFile>") {
        if (conditionHolds(d)) resolve(d.children, depth, out);
        continue;
      }
      if (!d.block) applySetting(d);
      if ((d.name == "Include" || d.name == "IncludeOptional") && d.args.size() == 1) {
        include(d, depth, out);
        continue;
      }
      if (d.block) {
        std::vector<Directive> children;
        resolve(d.children, depth, children);
        d.children = std::move(children);
      }
      out.push_back(std::move(d));
    }
  }

  void applySetting(const Directive& d) {
    if (d.name == "Define" && !d.args.empty()) {
      defines_[d.args[0]] = d.args.size() > 1 ? d.args[1] : "";
    } else if (d.name == "UnDefine" && !d.args.empty()) {
      defines_.erase(d.args[0]);
    } else if (d.name == "ServerRoot" && !d.args.empty()) {
      server_root_ = d.args[0];
    }
  }

  void include(const Directive& d, int depth, std::vector<Directive>& out) {
    const std::vector<fs::path> files = includeFiles(d.args[0], server_root_);
    if (files.empty() && d.name == "Include" && !isGlob(d.args[0])) {
      collector_.problem(d.origin.describe() + ": Include " + d.args[0] + ": no such file");
    }
    for (const fs::path& f : files) {
      if (!budget_.enter(depth + 1)) {
        collector_.problem(d.origin.describe() + ": includes too deep or too many");
        return;
      }
      for (Directive& x : load(f, depth + 1)) out.push_back(std::move(x));
    }
  }

  fs::path server_root_;
  Collector& collector_;
  std::map<std::string, std::string> defines_;
  IncludeBudget budget_;
};

}  // namespace

std::vector<Directive> loadApache(const fs::path& main_file, Collector& collector) {
  ApacheLoader loader(main_file, collector);
  return loader.load(main_file, 0);
}

}  // namespace certvigil::discovery
