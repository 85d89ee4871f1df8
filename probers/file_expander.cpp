#include "probers/file_expander.h"

#include <fnmatch.h>
#include <sys/stat.h>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <set>
#include <utility>

namespace certvigil::probers {
namespace fs = std::filesystem;

namespace {

bool hasWildcard(const std::string& text) { return text.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string::npos ? path.size() : slash;
    if (end > start) parts.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return parts;
}

bool matchParts(const std::vector<std::string>& pat, size_t pi, const std::vector<std::string>& p,
                size_t i) {
  if (pi == pat.size()) return i == p.size();
  if (pat[pi] == "**") {
    // Like * (FNM_PERIOD), ** does not match dot-directories: .git, Kubernetes' ..data.
    for (size_t skip = i; skip <= p.size(); ++skip) {
      if (matchParts(pat, pi + 1, p, skip)) return true;
      if (skip < p.size() && p[skip].starts_with('.')) break;
    }
    return false;
  }
  if (i == p.size()) return false;
  if (fnmatch(pat[pi].c_str(), p[i].c_str(), FNM_PERIOD) != 0) return false;
  return matchParts(pat, pi + 1, p, i + 1);
}

// Walks one directory tree, following directory symlinks but never entering a directory twice
// (identified by device and inode), which is what makes symlink loops finite. Only a directory
// that is its own ancestor is a loop (a problem); one reached again by another way (two links to
// it) is just not walked again. Entries are visited in name order, real ones before symlinks, so
// which path names a twice-reached directory and which files a cap keeps do not depend on readdir.
class TreeWalker {
 public:
  TreeWalker(const ExpansionLimits& limits, Expansion& out) : limits_(limits), out_(out) {}

  /// A glob without ** cannot match below this depth: stop there without complaint.
  void setPatternDepth(int depth) { pattern_depth_ = depth; }

  template <typename Accept>
  void walk(const fs::path& dir, int depth, const Accept& accept) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      problem(dir, std::string("cannot read directory: ") + std::strerror(errno));
      return;
    }
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (ancestors_.contains(id)) {
      problem(dir, "symlink loop: a directory inside itself, not entered again");
      return;
    }
    if (!visited_.insert(id).second) return;  // reached before by another path
    if (depth > limits_.max_depth) {
      problem(dir, "deeper than " + std::to_string(limits_.max_depth) + " levels: not entered");
      return;
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      problem(dir, "cannot read directory: " + ec.message());
      return;
    }
    std::vector<std::pair<bool, fs::path>> entries;  // (is a symlink, path)
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) {
        problem(dir, "cannot list directory: " + ec.message());
        break;
      }
      std::error_code link_ec;
      entries.emplace_back(it->is_symlink(link_ec), it->path());
    }
    std::sort(entries.begin(), entries.end());
    ancestors_.insert(id);
    for (const auto& [is_link, entry] : entries) visitEntry(entry, depth, accept);
    ancestors_.erase(id);
  }

 private:
  template <typename Accept>
  void visitEntry(const fs::path& entry, int depth, const Accept& accept) {
    struct stat st {};
    if (::stat(entry.c_str(), &st) != 0) {
      // A dangling symlink or a loop of file symlinks: say so when it is one we would have
      // read (not a stray README link), keep walking.
      const int error = errno;
      if (accept(entry)) problem(entry, std::string("cannot stat: ") + std::strerror(error));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      if (depth + 1 <= pattern_depth_) walk(entry, depth + 1, accept);
    } else if (S_ISREG(st.st_mode) && accept(entry)) {
      if (out_.files.size() >= limits_.max_files) {
        if (!capped_) problem(entry, "more than " + std::to_string(limits_.max_files) + " files");
        capped_ = true;
        return;
      }
      out_.files.push_back(entry);
    }
  }

  void problem(const fs::path& path, std::string detail) {
    out_.problems.push_back({path, std::move(detail)});
  }

  const ExpansionLimits& limits_;
  Expansion& out_;
  std::set<std::pair<dev_t, ino_t>> visited_;
  std::set<std::pair<dev_t, ino_t>> ancestors_;  ///< the directories being walked, root down
  bool capped_ = false;
  int pattern_depth_ = 1 << 20;
};

// The longest leading run of components without wildcards: where the walk starts.
std::pair<fs::path, std::string> splitBase(const std::string& pattern) {
  const std::vector<std::string> parts = splitPath(pattern);
  fs::path base = pattern.starts_with('/') ? fs::path("/") : fs::path(".");
  size_t i = 0;
  for (; i + 1 < parts.size() && !hasWildcard(parts[i]); ++i) {
    if (parts[i] != ".") base /= parts[i];
  }
  std::string rest;
  for (; i < parts.size(); ++i) rest += (rest.empty() ? "" : "/") + parts[i];
  return {base, rest};
}

std::string relativeTo(const fs::path& base, const fs::path& path) {
  return path.lexically_relative(base).generic_string();
}

void sortUnique(std::vector<fs::path>& files) {
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
}

}  // namespace

bool hasCertificateExtension(const fs::path& name) {
  static constexpr std::array kExtensions = {".pem", ".crt", ".cer", ".cert",
                                             ".der", ".p12", ".pfx", ".ca-bundle"};
  std::string ext = name.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

bool matchPath(const std::string& pattern, const std::string& path) {
  return matchParts(splitPath(pattern), 0, splitPath(path), 0);
}

Expansion expandPattern(const std::string& pattern, const ExpansionLimits& limits) {
  Expansion out;
  TreeWalker walker(limits, out);
  if (!hasWildcard(pattern)) {
    struct stat st {};
    if (::stat(pattern.c_str(), &st) != 0) {
      out.problems.push_back({pattern, std::string("cannot open: ") + std::strerror(errno)});
    } else if (S_ISDIR(st.st_mode)) {
      walker.walk(pattern, 0, [](const fs::path& p) { return hasCertificateExtension(p); });
    } else {
      out.files.push_back(pattern);  // the reader reports a non-regular file itself
    }
    sortUnique(out.files);
    return out;
  }
  const auto [base, rest] = splitBase(pattern);
  if (rest.find("**") == std::string::npos) {
    walker.setPatternDepth(static_cast<int>(splitPath(rest).size()) - 1);
  }
  walker.walk(base, 0, [&](const fs::path& p) { return matchPath(rest, relativeTo(base, p)); });
  if (!pattern.starts_with('/') && !pattern.starts_with("./")) {
    // The walk of a relative pattern starts at "."; name files as the pattern does
    // ("certs/a.pem", not "./certs/a.pem"), the same as when the file is given plainly.
    for (auto& f : out.files) f = f.lexically_relative(".");
    for (auto& p : out.problems) p.path = p.path.lexically_relative(".");
  }
  sortUnique(out.files);
  if (out.files.empty() && out.problems.empty()) {
    out.problems.push_back({pattern, "no file matches this pattern"});
  }
  return out;
}

}  // namespace certvigil::probers
