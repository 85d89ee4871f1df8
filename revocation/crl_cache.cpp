// SPDX-License-Identifier: Apache-2.0
#include "revocation/crl_cache.h"

#include "alerts/http_client.h"

namespace certvigil::revocation {
namespace {

/// However often it is asked for, a URL is fetched at most once per this (one sweep of
/// thousands of certificates, a failing CA asked by every unit).
constexpr Seconds kMinRefetch{60};
/// A CRL is fetched again after this even when its nextUpdate is further away.
constexpr Seconds kMaxAge{86400};

alerts::HttpRequest requestFor(const std::string& url, const CrlEntry* previous,
                               const config::RevocationConfig& options) {
  alerts::HttpRequest request;
  request.url = url;
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout);
  request.max_body = static_cast<size_t>(options.max_crl_bytes);
  request.fail_over_max = true;
  request.follow_redirects = true;
  if (previous != nullptr && previous->crls) {
    if (!previous->etag.empty()) request.headers.push_back("If-None-Match: " + previous->etag);
    if (!previous->last_modified.empty()) {
      request.headers.push_back("If-Modified-Since: " + previous->last_modified);
    }
  }
  return request;
}

}  // namespace

bool fetchable(const std::string& url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

bool CrlCache::due(const CrlEntry* entry, TimePoint now) const {
  if (entry == nullptr) return true;
  if (now - entry->attempted_at < kMinRefetch) return false;
  if (!entry->crls || !entry->error.empty()) return true;
  if (entry->next_update && now >= *entry->next_update) return true;
  return now - entry->fetched_at >= kMaxAge;
}

CrlEntryPtr CrlCache::get(const std::string& url, const config::RevocationConfig& options) {
  std::unique_lock lock(mutex_);
  fetched_.wait(lock, [&] { return !in_flight_.contains(url); });
  auto found = entries_.find(url);
  CrlEntryPtr previous = found != entries_.end() ? found->second : nullptr;
  if (!due(previous.get(), clock_.now())) return previous;
  in_flight_.insert(url);
  lock.unlock();
  slots_.acquire();
  auto entry = std::make_shared<const CrlEntry>(fetch(url, previous.get(), options));
  slots_.release();
  lock.lock();
  entries_[url] = entry;
  changed_.push_back(entry);
  in_flight_.erase(url);
  fetched_.notify_all();
  return entry;
}

CrlEntry CrlCache::fetch(const std::string& url, const CrlEntry* previous,
                         const config::RevocationConfig& options) {
  CrlEntry entry = previous != nullptr ? *previous : CrlEntry{};
  entry.url = url;
  entry.attempted_at = clock_.now();
  const alerts::HttpResponse response = alerts::httpGet(requestFor(url, previous, options));
  entry.error.clear();
  if (response.status == 304 && entry.crls) {
    entry.fetched_at = entry.attempted_at;
  } else if (response.status == 200) {
    Result<x509::CrlSet> parsed = x509::CrlSet::parse(response.body);
    if (parsed) {
      entry.crls = std::make_shared<const x509::CrlSet>(std::move(*parsed));
      entry.body = response.body;
      entry.etag = response.etag;
      entry.last_modified = response.last_modified;
      entry.fetched_at = entry.attempted_at;
      entry.next_update = entry.crls->nextUpdate();
    } else {
      entry.error = "the answer is not a CRL (" + parsed.error().message + ")";
    }
  } else {
    entry.error =
        response.status != 0 ? "HTTP status " + std::to_string(response.status) : response.error;
  }
  std::lock_guard lock(mutex_);
  if (!entry.error.empty()) {
    ++counts_.error;
  } else if (response.status == 304) {
    ++counts_.not_modified;
  } else {
    ++counts_.ok;
  }
  return entry;
}

void CrlCache::restore(const std::vector<CrlEntry>& entries) {
  std::lock_guard lock(mutex_);
  for (const CrlEntry& stored : entries) {
    Result<x509::CrlSet> parsed = x509::CrlSet::parse(stored.body);
    if (!parsed || entries_.contains(stored.url)) continue;
    auto entry = std::make_shared<CrlEntry>(stored);
    entry->crls = std::make_shared<const x509::CrlSet>(std::move(*parsed));
    entry->next_update = entry->crls->nextUpdate();
    entries_[stored.url] = std::move(entry);
  }
}

std::vector<CrlEntryPtr> CrlCache::takeChanged() {
  std::lock_guard lock(mutex_);
  return std::exchange(changed_, {});
}

std::vector<CrlEntryPtr> CrlCache::entries() const {
  std::lock_guard lock(mutex_);
  std::vector<CrlEntryPtr> out;
  for (const auto& [url, entry] : entries_) out.push_back(entry);
  return out;
}

FetchCounts CrlCache::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace certvigil::revocation
