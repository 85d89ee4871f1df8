// SPDX-License-Identifier: Apache-2.0
// probers/file_inputs.h: what every file of one `files:` entry is read with besides the file
// itself: its role and name, its key file, the password (from its file), the intermediates of
// its chain file and its CRLs, and for a CRL file the CAs that sign it. Read once per scan of the
// entry; a file that cannot be read becomes a read problem of every target, never an exception.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/observation.h"
#include "probers/file_prober.h"

namespace certvigil::probers {

/// The entry's configured inputs (paths, as configured).
struct FileInputSources {
  TargetKind kind = TargetKind::File;
  Role role = Role::Auto;
  std::filesystem::path key;
  std::filesystem::path password_file;
  std::filesystem::path chain;
  std::vector<std::filesystem::path> crl_files;
  std::string hostname;
  /// A CRL file target: the CA bundles its server verifies peers with (`issuers:`), and who
  /// uses it (discovery: "nginx (ssl_crl at FILE:LINE)"). Either makes the file a CRL target.
  std::vector<std::filesystem::path> issuers;
  std::string used_by;
};

/// The inputs read, ready for FileProber::probe.
struct FileInputs {
  FileSpec spec;                      ///< everything but the path
  std::vector<ReadProblem> problems;  ///< unreadable password, chain or CRL files
  /// Identity of the inputs and the trust store (stat of each input file): when it changes,
  /// every file of the entry is read again.
  std::string signature;
};

/// Reads the inputs; chain and issuer certificates are decoded through `certificates`.
FileInputs loadFileInputs(const FileInputSources& sources, x509::CertificateCache& certificates,
                          const x509::TrustStore& trust);

}  // namespace certvigil::probers
