// SPDX-License-Identifier: Apache-2.0
// probers/file_prober.h: reads one certificate file or CA bundle and collects what it holds
// (certificates, keys, read problems, chain verdict, key and revocation facts) into an
// Observation. It judges nothing: checks/ does. Decoding is shared through a fingerprint-keyed
// cache, and chain verdicts through a cache keyed by what was presented and what is trusted,
// so 100,000 copies of 100 certificates cost 100 decodes and 100 verifications.
#pragma once

#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/observation.h"
#include "core/time.h"
#include "x509/chain.h"
#include "x509/crl.h"
#include "x509/facts.h"
#include "x509/handles.h"
#include "x509/reader.h"

namespace certvigil::probers {

/// A CRL file target (x509/crl_file.h): the CAs its server verifies peers with, and who uses it.
struct CrlUse {
  std::vector<x509::X509Shared> issuers;
  bool issuers_given = false;  ///< judge signatures and gaps against `issuers`
  std::string used_by;         ///< "nginx (ssl_crl at FILE:LINE)", "" when not known
  /// Named as a CRL (discovered, or `issuers:` configured): a file that holds no CRL is a
  /// parse_error that says so. Otherwise a file of CRLs and nothing else is recognised as one.
  bool expected = false;
};

/// What to read and what it must be fit for. Secrets (password) are already read from their
/// files by the caller and never leave memory.
struct FileSpec {
  std::filesystem::path path;
  TargetKind kind = TargetKind::File;  ///< File or Bundle
  Role role = Role::Auto;
  std::filesystem::path key;                 ///< separate private key file, empty: none
  std::string password;                      ///< PKCS#12 / encrypted key password
  std::vector<x509::X509Shared> chain;       ///< extra untrusted intermediates (--chain)
  std::string chain_identity;                ///< fingerprints of `chain`, for the verdict cache
  std::shared_ptr<const x509::CrlSet> crls;  ///< null or empty: no revocation check
  std::string hostname;                      ///< --hostname
  /// The file that stores the bytes when they are not read from `path` (probeBytes: the
  /// kubeconfig holding inline data), for the mode of a key among them; empty: `path`.
  std::filesystem::path holder;
  CrlUse crl_use;  ///< when the file is a CRL file
};

/// Shared verdict cache (thread-safe). A verdict is reused only for instants it holds for
/// (ChainVerdict::holdsAt): past a validity bound of its path it is built again.
class ChainVerdictCache {
 public:
  ChainVerdict getOrBuild(const std::string& key, TimePoint at,
                          const std::function<ChainVerdict()>& build);
  void clear();

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, ChainVerdict> verdicts_;
};

class FileProber {
 public:
  FileProber(x509::CertificateCache& certificates, ChainVerdictCache& verdicts,
             const x509::TrustStore& trust)
      : certificates_(certificates), verdicts_(verdicts), trust_(trust) {}

  /// Collects one file. Never throws; every failure is in the Observation. For a file that
  /// is several targets (a Java keystore), the first of probeAll().
  Observation probe(const FileSpec& spec, const Clock& clock) const;

  /// Collects one file as the targets it holds: one Observation, or for a Java keystore one
  /// per private-key entry ("<file>#<alias>", its chain) plus the file itself (its trusted
  /// certificates, judged as a bundle, and the store's problems) unless it holds neither.
  /// Never empty.
  std::vector<Observation> probeAll(const FileSpec& spec, const Clock& clock) const;

  /// Collects `bytes` held in memory (a kubeconfig's inline data) as the target named
  /// `spec.path`, like probeAll does a file's content.
  std::vector<Observation> probeBytes(const FileSpec& spec, std::string_view bytes,
                                      const Clock& clock) const;

 private:
  Observation fileObservation(const FileSpec& spec, x509::Material& material, TimePoint at) const;
  Observation entryObservation(const FileSpec& spec, const x509::KeyEntry& entry,
                               TimePoint at) const;
  void collectPath(const FileSpec& spec, const std::vector<std::string>& ders,
                   const std::vector<x509::PkeyPtr>& inline_keys, Observation& obs,
                   TimePoint at) const;
  void collectCertificates(const std::vector<std::string>& ders, Observation& obs,
                           std::vector<X509*>& handles, std::vector<x509::X509Shared>& keep) const;
  void collectKey(const FileSpec& spec, const std::vector<x509::PkeyPtr>& inline_keys, X509* leaf,
                  Observation& obs) const;
  std::vector<RevocationFacts> revocationFacts(const FileSpec& spec, const Observation& obs,
                                               const std::vector<X509*>& handles) const;
  ChainVerdict chainVerdict(const FileSpec& spec, const Observation& obs,
                            const std::vector<X509*>& handles, TimePoint at) const;

  x509::CertificateCache& certificates_;
  ChainVerdictCache& verdicts_;
  const x509::TrustStore& trust_;
};

}  // namespace certvigil::probers
