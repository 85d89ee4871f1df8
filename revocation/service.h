// SPDX-License-Identifier: Apache-2.0
// revocation/service.h: asks the CA whether the certificates of a judged path are revoked, from
// the CRL distribution points they name (fetched once per URL through CrlCache) and, for a leaf
// the CRL says nothing about, its OCSP responder (OcspCache), and records the verdicts in the
// Observation before it is judged. It runs after a probe has ended, never inside its deadline, and
// never touches `success`: what the CA says (or fails to say) becomes `revoked` or
// `revocation_unknown`, nothing else. Verdicts from a CRL file or a stapled OCSP response come
// first; a certificate they cover is not asked about again. For a leaf whose issuer has an
// `acme:` entry it also asks the CA's renewal information (RFC 9773, AriCache) and records the
// suggested window in `Observation::renewal`.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "core/observation.h"
#include "core/time.h"
#include "revocation/ari_cache.h"
#include "revocation/crl_cache.h"
#include "revocation/ocsp_cache.h"
#include "x509/facts.h"

namespace certvigil::revocation {

/// One observation to look at, with the options of the entry it belongs to.
struct Lookup {
  Observation* observation = nullptr;
  const config::RevocationConfig* options = nullptr;
};

class RevocationService {
 public:
  RevocationService(x509::CertificateCache& certificates, const Clock& clock)
      : certificates_(certificates), clock_(clock), crls_(clock), ocsp_(clock), ari_(clock) {}

  /// The `acme:` entries in force (set by the scheduler when a config is applied).
  void setAcme(std::vector<config::AcmeConfig> entries);
  /// Changes whenever setAcme() changes the entries: results judged under other entries are
  /// judged again (scheduler/unit_scanner.cpp), not kept until their horizon.
  uint64_t acmeGeneration() const { return acme_generation_; }

  /// annotate() on every lookup, up to CrlCache::kMaxParallelFetches at once (a batch of
  /// endpoints whose CAs are slow waits for the slowest, not for their sum).
  void annotateAll(const std::vector<Lookup>& lookups);

  /// Replaces the fetched verdicts of `obs` with current ones: one per certificate of its path
  /// (leaf and intermediates, not a self-signed anchor) that names a CRL distribution point and
  /// has no verdict from a file or a staple yet. Fetches what is missing. Replaces its renewal
  /// facts likewise (annotateRenewal). Thread-safe.
  void annotate(Observation& obs, const config::RevocationConfig& options);
  /// Replaces the renewal facts of `obs`: its leaf's window from the ACME CA of the `acme:`
  /// entry it matches, asked for when due; none without a matching entry. Thread-safe.
  void annotateRenewal(Observation& obs, Seconds timeout);

  /// The CRLs fetched so far (metrics, persistence).
  CrlCache& crls() { return crls_; }
  const CrlCache& crls() const { return crls_; }
  /// The OCSP answers asked for so far (metrics).
  const OcspCache& ocsp() const { return ocsp_; }
  /// The renewal information asked for so far (metrics, persistence).
  AriCache& ari() { return ari_; }
  const AriCache& ari() const { return ari_; }

 private:
  std::optional<RevocationFacts> crlVerdict(const CertificateFacts& facts, X509* cert, X509* issuer,
                                            const std::string& issuer_fingerprint,
                                            const config::RevocationConfig& options);
  /// checkCertificate of a cached CRL, remembered per (CRL entry, certificate, issuer): the
  /// signature of one CRL is verified once, not once per certificate and sweep.
  RevocationFacts checkOnce(const CrlEntryPtr& entry, X509* cert, X509* issuer,
                            const std::string& key, TimePoint now);
  std::optional<RevocationFacts> ocspVerdict(const CertificateFacts& facts, X509* cert,
                                             X509* issuer, const config::RevocationConfig& options);
  /// The verdict on path[i] (its issuer: path[i + 1]), nullopt when nothing can be asked.
  std::optional<RevocationFacts> lookUp(const CertificatePath& path, size_t i,
                                        const config::RevocationConfig& options);
  std::optional<RevocationFacts> verdictFor(const CertificateFacts& facts, X509* cert, X509* issuer,
                                            const std::string& issuer_fingerprint, bool is_leaf,
                                            const config::RevocationConfig& options);

  x509::CertificateCache& certificates_;
  const Clock& clock_;
  CrlCache crls_;
  OcspCache ocsp_;
  AriCache ari_;
  mutable std::mutex acme_mutex_;  ///< guards acme_
  std::shared_ptr<const std::vector<config::AcmeConfig>> acme_;
  std::atomic<uint64_t> acme_generation_{0};
  struct Checked {
    CrlEntryPtr entry;  ///< the CRL the verdict was reached on; another one: check again
    RevocationFacts verdict;
  };
  std::mutex checked_mutex_;                          ///< guards checked_
  std::unordered_map<std::string, Checked> checked_;  ///< by URL|certificate|issuer
};

/// The http(s) CRL URLs of a certificate worth asking about (not of a self-signed root).
std::vector<std::string> fetchableCrlUrls(const CertificateFacts& facts);

}  // namespace certvigil::revocation
