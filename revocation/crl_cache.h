// SPDX-License-Identifier: Apache-2.0
// revocation/crl_cache.h: CRLs fetched from distribution points, one entry per URL, shared by
// every certificate that points at it. A URL is fetched when it is first needed, again once its
// CRL's nextUpdate has passed or it is older than a day, and at most once a minute however many
// certificates, units or threads ask: concurrent askers of one URL wait for the one fetch in
// flight. Fetches are conditional (ETag, Last-Modified), capped in size and time, and at most
// kMaxParallelFetches run at once. A failed fetch keeps the last good CRL beside the failure.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/time.h"
#include "x509/crl.h"

namespace certvigil::revocation {

/// What is known about one CRL URL.
struct CrlEntry {
  std::string url;
  std::shared_ptr<const x509::CrlSet> crls;  ///< null until a fetch (or the database) gave one
  std::string body;                          ///< the CRL as fetched (kept for the database)
  std::string etag;                          ///< for If-None-Match
  std::string last_modified;                 ///< for If-Modified-Since
  TimePoint fetched_at{};                    ///< the last fetch that gave or confirmed `crls`
  std::optional<TimePoint> next_update;      ///< of `crls`
  std::string error;                         ///< why the last fetch failed, "" when it worked
  TimePoint attempted_at{};                  ///< the last fetch, whatever its outcome
};
using CrlEntryPtr = std::shared_ptr<const CrlEntry>;

/// Fetches since start, by outcome (certvigil_revocation_fetch_total{kind="crl"}).
struct FetchCounts {
  uint64_t ok = 0;            ///< a new CRL
  uint64_t not_modified = 0;  ///< 304: the CRL at hand is still the CA's
  uint64_t error = 0;         ///< no usable answer
};

class CrlCache {
 public:
  /// At most this many fetches run at once, whoever asks.
  static constexpr int kMaxParallelFetches = 8;

  explicit CrlCache(const Clock& clock) : clock_(clock) {}

  /// The entry of an http(s) URL, fetched first when it is missing or due. Thread-safe.
  CrlEntryPtr get(const std::string& url, const config::RevocationConfig& options);
  /// Takes entries read back from the database (a restart does not refetch every CRL).
  void restore(const std::vector<CrlEntry>& entries);
  /// The entries fetched since the last call, for the database.
  std::vector<CrlEntryPtr> takeChanged();
  /// Every entry, by URL.
  std::vector<CrlEntryPtr> entries() const;
  FetchCounts counts() const;

 private:
  bool due(const CrlEntry* entry, TimePoint now) const;
  CrlEntry fetch(const std::string& url, const CrlEntry* previous,
                 const config::RevocationConfig& options);

  const Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::map<std::string, CrlEntryPtr> entries_;
  std::set<std::string> in_flight_;
  std::vector<CrlEntryPtr> changed_;
  FetchCounts counts_;
  std::counting_semaphore<kMaxParallelFetches> slots_{kMaxParallelFetches};
};

/// True for the URLs certvigil fetches: http:// and https:// (not ldap://, file://...).
bool fetchable(const std::string& url);

}  // namespace certvigil::revocation
