// SPDX-License-Identifier: Apache-2.0
// probers/file_expander.h: turns a configured path — a file, a directory (recursive) or a glob
// with *, ?, [...] and ** — into the files to read. Walks the tree itself so that symlink loops
// and unreadable directories become problems to report, never hangs or crashes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/observation.h"

namespace certvigil::probers {

/// Something that stopped the walk at one place (a directory we may not read, a dangling link).
struct ExpansionProblem {
  std::filesystem::path path;
  std::string detail;
};

/// What stat() says about a file's identity and content: a change in any field means the file
/// may have changed and is read again.
struct FileStat {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t mtime_ns = 0;
  uint32_t mode = 0;
  bool operator==(const FileStat&) const = default;
};

struct Expansion {
  /// Symlink loops met on the walk: skipped, not problems (a `loop -> .` link is common in real
  /// trees and says nothing about certificates); counted for certvigil_walk_skipped.
  size_t skipped_symlink_loops = 0;
  /// Sorted, no duplicates. Plain strings: a std::filesystem::path keeps its parsed components
  /// (~350 bytes for a typical path), 35 MB more for every scan of 10^5 files.
  std::vector<std::string> files;
  std::vector<FileStat> stats;  ///< stat() of each file, same order as `files`
  std::vector<ExpansionProblem> problems;
};

/// Bounds that keep a hostile tree from eating the daemon.
struct ExpansionLimits {
  size_t max_files = 1'000'000;
  int max_depth = 64;
};

/// Expands `pattern`. A directory yields the certificate-looking files under it (extensions
/// .pem .crt .cer .cert .der .p12 .pfx .jks .jceks .keystore .truststore .ca-bundle); a glob or
/// plain file yields what matches, whatever it is called. A pattern that matches nothing is a
/// problem ("no such file").
Expansion expandPattern(const std::string& pattern, const ExpansionLimits& limits = {});

/// stat() of one file; nullopt when it cannot be stat()ed.
std::optional<FileStat> statFile(const std::filesystem::path& path);

/// Identity of a file's content as far as stat() can tell (device, inode, size, mtime, mode):
/// "-" for an empty path, "missing" when it cannot be stat()ed. A change means read it again.
std::string statSignature(const std::filesystem::path& path);

/// Who this process reads files as: "user certvigil, groups certvigil ssl-cert".
std::string readerIdentity();

/// A read problem for `detail` (an error text about one file or directory): with
/// ReadProblem::denied_to set when it says permission was denied.
ReadProblem readProblem(std::string detail);

/// True when `name` has one of the certificate extensions directories are filtered by.
bool hasCertificateExtension(const std::filesystem::path& name);

/// fnmatch-style match of a '/'-separated relative path against a pattern whose components may
/// be "**" (any number of directories, including none).
bool matchPath(const std::string& pattern, const std::string& path);

}  // namespace certvigil::probers
