// SPDX-License-Identifier: Apache-2.0
// revocation/ari_cache.h: renewal information (RFC 9773) asked of ACME CAs, one entry per
// (directory, certificate identifier). A certificate is asked about when it is first seen and
// again once the CA's Retry-After has passed (6 hours without one, a minute after a failure),
// never sooner however many targets, units or threads present it. The directory is fetched
// once for its renewalInfo URL and again after a day. A failed request keeps the last window
// beside the failure: a CA that is down does not make a due renewal look done.
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
#include <utility>
#include <vector>

#include "core/time.h"
#include "revocation/ari.h"
#include "revocation/crl_cache.h"

namespace certvigil::revocation {

/// What one CA last said about one certificate.
struct AriEntry {
  std::string directory;              ///< the ACME directory URL (the `acme:` entry)
  std::string cert_id;                ///< the ARI certificate identifier
  std::string url;                    ///< the renewalInfo URL asked, "" before the directory
  std::optional<RenewalInfo> window;  ///< the last good answer
  TimePoint fetched_at{};             ///< when `window` arrived
  TimePoint attempted_at{};           ///< the last request, whatever its outcome
  TimePoint next_poll{};              ///< not asked again before this (Retry-After)
  std::string error;                  ///< why the last request failed, "" when it worked
};
using AriEntryPtr = std::shared_ptr<const AriEntry>;

class AriCache {
 public:
  explicit AriCache(const Clock& clock) : clock_(clock) {}

  /// The entry of a certificate, asked for first when it is missing or due. Thread-safe.
  AriEntryPtr get(const std::string& directory, const std::string& cert_id, Seconds timeout);
  /// Takes entries read back from the database (a restart honours Retry-After).
  void restore(const std::vector<AriEntry>& entries);
  /// Forgets certificates last asked about before `cutoff` (no target presents them any more:
  /// one still seen is asked about at least daily). Returns how many were forgotten.
  size_t forgetBefore(TimePoint cutoff);
  /// The entries asked for since the last call, for the database.
  std::vector<AriEntryPtr> takeChanged();
  /// Requests since start (directory and renewalInfo), by outcome
  /// (certvigil_revocation_fetch_total{kind="ari"}).
  FetchCounts counts() const;

 private:
  using Key = std::pair<std::string, std::string>;  ///< directory, certificate identifier
  struct Directory {
    std::string renewal_info;  ///< "" when the last fetch failed
    std::string error;
    TimePoint attempted_at{};
  };

  AriEntry ask(const std::string& directory, const std::string& cert_id, const AriEntry* previous,
               Seconds timeout);
  /// The renewalInfo URL of a directory, fetched when unknown or a day old; "" and `error` set
  /// when it cannot be had.
  std::string renewalInfoUrl(const std::string& directory, Seconds timeout, std::string& error);
  void count(bool ok);

  const Clock& clock_;
  mutable std::mutex mutex_;  ///< guards everything below
  std::condition_variable asked_;
  std::map<Key, AriEntryPtr> entries_;
  std::set<Key> in_flight_;
  std::vector<AriEntryPtr> changed_;
  std::mutex directory_mutex_;  ///< one directory fetch at a time (they are rare)
  std::map<std::string, Directory> directories_;
  FetchCounts counts_;
  std::counting_semaphore<CrlCache::kMaxParallelFetches> slots_{CrlCache::kMaxParallelFetches};
};

}  // namespace certvigil::revocation
