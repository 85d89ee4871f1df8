// SPDX-License-Identifier: Apache-2.0
#include "probers/file_expander.h"

#include <dirent.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <set>
#include <string_view>
#include <utility>

#include "core/log.h"

namespace certvigil::probers {
namespace fs = std::filesystem;

namespace {

FileStat toFileStat(const struct stat& st) {
  return {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
          static_cast<int64_t>(st.st_size),
          static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec,
          static_cast<uint32_t>(st.st_mode)};
}

// The extension test on a plain string: this runs for every file of a directory walk.
bool certificateExtension(std::string_view path) {
  static constexpr std::array<std::string_view, 12> kExtensions = {
      ".pem", ".crt", ".cer",   ".cert",     ".der",        ".p12",
      ".pfx", ".jks", ".jceks", ".keystore", ".truststore", ".ca-bundle"};
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return false;
  }
  // A leading dot is a hidden file's name, not an extension (as path::extension() says).
  if (dot == (slash == std::string_view::npos ? 0 : slash + 1)) return false;
  std::string ext(path.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

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
  void walk(const std::string& dir, int depth, const Accept& accept) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) {
      problem(dir, std::string("cannot read directory: ") + std::strerror(errno));
      return;
    }
    const std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (ancestors_.contains(id)) {  // a directory inside itself: skipped, never a finding
      log::debug("skipped symlink loop " + dir);
      ++out_.skipped_symlink_loops;
      return;
    }
    if (!visited_.insert(id).second) return;  // reached before by another path
    if (depth > limits_.max_depth) {
      problem(dir, "deeper than " + std::to_string(limits_.max_depth) + " levels: not entered");
      return;
    }
    DIR* handle = ::opendir(dir.c_str());
    if (handle == nullptr) {
      problem(dir, std::string("cannot read directory: ") + std::strerror(errno));
      return;
    }
    std::vector<std::pair<bool, std::string>> entries;  // (is a symlink, name)
    while (const dirent* e = ::readdir(handle)) {
      const std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      entries.emplace_back(e->d_type == DT_LNK, std::string(name));
    }
    std::sort(entries.begin(), entries.end());
    ancestors_.insert(id);
    const std::string prefix = dir.ends_with('/') ? dir : dir + "/";
    for (const auto& [is_link, name] : entries) {
      visitEntry(::dirfd(handle), name, prefix + name, depth, accept);
    }
    ancestors_.erase(id);
    ::closedir(handle);
  }

 private:
  // fstatat() relative to the open directory: no path walk from the root for every file.
  template <typename Accept>
  void visitEntry(int dir_fd, const std::string& name, const std::string& entry, int depth,
                  const Accept& accept) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, 0) != 0) {
      // A dangling symlink or a loop of file symlinks: say so when it is one we would have
      // read (not a stray README link), keep walking.
      const int error = errno;
      if (error == ELOOP) {  // a loop of file symlinks: skipped like a directory loop
        log::debug("skipped symlink loop " + entry);
        ++out_.skipped_symlink_loops;
        return;
      }
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
      out_.files.emplace_back(entry);
      out_.stats.push_back(toFileStat(st));
    }
  }

  void problem(const std::string& path, std::string detail) {
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

// Sorts files by name (byte order, cheaper than path's component-wise order) with their stats,
// dropping duplicates.
void sortUnique(Expansion& out) {
  // The walk visits entries in name order, so a plain tree comes out sorted already: then there
  // is nothing to do, and no second list of 10^5 names beside the first.
  const auto out_of_order = std::adjacent_find(out.files.begin(), out.files.end(),
                                               [](const auto& a, const auto& b) { return a >= b; });
  if (out_of_order == out.files.end()) return;
  std::vector<size_t> order(out.files.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return out.files[a] < out.files[b]; });
  std::vector<std::string> files;
  std::vector<FileStat> stats;
  files.reserve(order.size());
  stats.reserve(order.size());
  for (size_t i : order) {
    if (!files.empty() && files.back() == out.files[i]) continue;
    files.push_back(std::move(out.files[i]));
    stats.push_back(out.stats[i]);
  }
  out.files = std::move(files);
  out.stats = std::move(stats);
}

}  // namespace

std::optional<FileStat> statFile(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return toFileStat(st);
}

bool hasCertificateExtension(const fs::path& name) { return certificateExtension(name.native()); }

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
      walker.walk(pattern, 0, [](const std::string& p) { return certificateExtension(p); });
    } else {
      out.files.emplace_back(pattern);  // the reader reports a non-regular file itself
      out.stats.push_back(toFileStat(st));
    }
    sortUnique(out);
    return out;
  }
  const auto [base, rest] = splitBase(pattern);
  if (rest.find("**") == std::string::npos) {
    walker.setPatternDepth(static_cast<int>(splitPath(rest).size()) - 1);
  }
  const std::vector<std::string> pattern_parts = splitPath(rest);
  const std::string root = base.string();
  const size_t skip = root.ends_with('/') ? root.size() : root.size() + 1;
  walker.walk(root, 0, [&](const std::string& p) {
    return p.size() > skip && matchParts(pattern_parts, 0, splitPath(p.substr(skip)), 0);
  });
  if (!pattern.starts_with('/') && !pattern.starts_with("./")) {
    // The walk of a relative pattern starts at "."; name files as the pattern does
    // ("certs/a.pem", not "./certs/a.pem"), the same as when the file is given plainly.
    for (auto& f : out.files) f.erase(0, 2);
    for (auto& p : out.problems) p.path = p.path.lexically_relative(".");
  }
  sortUnique(out);
  if (out.files.empty() && out.problems.empty()) {
    out.problems.push_back({pattern, "no file matches this pattern"});
  }
  return out;
}

std::string statSignature(const std::filesystem::path& path) {
  if (path.empty()) return "-";
  const std::optional<FileStat> st = statFile(path);
  if (!st) return "missing";
  return std::to_string(st->device) + ":" + std::to_string(st->inode) + ":" +
         std::to_string(st->size) + ":" + std::to_string(st->mtime_ns) + ":" +
         std::to_string(st->mode);
}

namespace {

std::string userName(uid_t uid) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::array<char, 4096> buffer{};
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    return found->pw_name;
  }
  return "uid " + std::to_string(uid);
}

std::string groupName(gid_t gid) {
  struct group entry {};
  struct group* found = nullptr;
  std::array<char, 4096> buffer{};
  if (getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    return found->gr_name;
  }
  return "gid " + std::to_string(gid);
}

}  // namespace

std::string readerIdentity() {
  std::string groups = groupName(getegid());
  std::array<gid_t, 64> list{};
  const int count = getgroups(static_cast<int>(list.size()), list.data());
  for (int i = 0; i < count; ++i) {
    if (list[static_cast<size_t>(i)] == getegid()) continue;
    groups += " " + groupName(list[static_cast<size_t>(i)]);
  }
  return "user " + userName(geteuid()) + ", groups " + groups;
}

ReadProblem readProblem(std::string detail) {
  ReadProblem problem{FindingCode::ParseError, std::move(detail), {}};
  std::string lower = problem.detail;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("permission denied") != std::string::npos) problem.denied_to = readerIdentity();
  return problem;
}

}  // namespace certvigil::probers
