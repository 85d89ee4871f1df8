// probers/file_expander.h: turns a configured path — a file, a directory (recursive) or a glob
// with *, ?, [...] and ** — into the files to read. Walks the tree itself so that symlink loops
// and unreadable directories become problems to report, never hangs or crashes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace certvigil::probers {

/// Something that stopped the walk at one place (a loop, a directory we may not read).
struct ExpansionProblem {
  std::filesystem::path path;
  std::string detail;
};

struct Expansion {
  std::vector<std::filesystem::path> files;  ///< sorted, no duplicates
  std::vector<ExpansionProblem> problems;
};

/// Bounds that keep a hostile tree from eating the daemon.
struct ExpansionLimits {
  size_t max_files = 1'000'000;
  int max_depth = 64;
};

/// Expands `pattern`. A directory yields the certificate-looking files under it (extensions
/// .pem .crt .cer .cert .der .p12 .pfx .ca-bundle); a glob or plain file yields what matches.
/// A pattern that matches nothing is a problem ("no such file").
Expansion expandPattern(const std::string& pattern, const ExpansionLimits& limits = {});

/// True when `name` has one of the certificate extensions directories are filtered by.
bool hasCertificateExtension(const std::filesystem::path& name);

/// fnmatch-style match of a '/'-separated relative path against a pattern whose components may
/// be "**" (any number of directories, including none).
bool matchPath(const std::string& pattern, const std::string& path);

}  // namespace certvigil::probers
