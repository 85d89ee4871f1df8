// SPDX-License-Identifier: Apache-2.0
// revocation/ocsp_cache.h: answers of OCSP responders, one entry per certificate (its
// fingerprint stands for issuer + serial), asked once and again after the answer's nextUpdate
// (or after a day), at most once a minute, with the same single flight and bound on parallel
// requests as CrlCache. Requests are POSTed (application/ocsp-request); the answer is verified
// (x509/ocsp.h) when it arrives and kept with its verdict.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <set>
#include <string>

#include "config/config.h"
#include "core/observation.h"
#include "core/time.h"
#include "revocation/crl_cache.h"
#include "x509/handles.h"

namespace certvigil::revocation {

/// What a responder last said about one certificate.
struct OcspEntry {
  std::string url;
  RevocationFacts verdict;   ///< covered / revoked when the last answer verified
  TimePoint attempted_at{};  ///< the last request, whatever its outcome
};
using OcspEntryPtr = std::shared_ptr<const OcspEntry>;

class OcspCache {
 public:
  explicit OcspCache(const Clock& clock) : clock_(clock) {}

  /// The responder's verdict on `cert` (fingerprint `key`), asking `url` first when there is no
  /// answer yet or it is due. Thread-safe.
  OcspEntryPtr get(const std::string& key, const std::string& url, X509* cert, X509* issuer,
                   const config::RevocationConfig& options);
  /// Requests since start, by outcome (certvigil_revocation_fetch_total{kind="ocsp"}).
  FetchCounts counts() const;

 private:
  bool due(const OcspEntry* entry, TimePoint now) const;
  OcspEntry ask(const std::string& url, X509* cert, X509* issuer,
                const config::RevocationConfig& options);

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable asked_;
  std::map<std::string, OcspEntryPtr> entries_;
  std::set<std::string> in_flight_;
  FetchCounts counts_;
  std::counting_semaphore<CrlCache::kMaxParallelFetches> slots_{CrlCache::kMaxParallelFetches};
};

}  // namespace certvigil::revocation
