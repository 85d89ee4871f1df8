// SPDX-License-Identifier: Apache-2.0
#include "revocation/ari_cache.h"

#include "alerts/http_client.h"

namespace certvigil::revocation {
namespace {

/// Without a Retry-After, a CA is asked about a certificate this often (RFC 9773 §4.3 leaves
/// the period to the client; a few times a day catches a window moved for a revocation event).
constexpr Seconds kDefaultPoll{6 * 3600};
/// After a failure without Retry-After; also the floor under any Retry-After of a failure.
constexpr Seconds kRetryAfterFailure{60};
/// The directory's renewalInfo URL is looked up again after this.
constexpr Seconds kDirectoryMaxAge{86400};
/// Directory and RenewalInfo objects are small; anything much larger is not one.
constexpr size_t kMaxAnswerBytes = size_t{64} << 10;

alerts::HttpResponse getJson(const std::string& url, Seconds timeout) {
  alerts::HttpRequest request;
  request.url = url;
  request.headers = {"Accept: application/json"};
  request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  request.max_body = kMaxAnswerBytes;
  request.fail_over_max = true;
  request.follow_redirects = true;
  return alerts::httpGet(request);
}

std::string failure(const alerts::HttpResponse& response) {
  return response.status != 0 ? "HTTP status " + std::to_string(response.status) : response.error;
}

}  // namespace

void AriCache::count(bool ok) {
  std::lock_guard lock(mutex_);
  ++(ok ? counts_.ok : counts_.error);
}

std::string AriCache::renewalInfoUrl(const std::string& directory, Seconds timeout,
                                     std::string& error) {
  std::lock_guard lock(directory_mutex_);
  Directory& known = directories_[directory];
  const TimePoint now = clock_.now();
  const bool fresh = !known.renewal_info.empty() && now - known.attempted_at < kDirectoryMaxAge;
  const bool failed_recently = known.renewal_info.empty() && known.attempted_at != TimePoint{} &&
                               now - known.attempted_at < kRetryAfterFailure;
  if (fresh || failed_recently) {
    error = known.error;
    return known.renewal_info;
  }
  known.attempted_at = now;
  const alerts::HttpResponse response = getJson(directory, timeout);
  Result<std::string> url = response.status == 200
                                ? parseDirectoryRenewalInfo(response.body)
                                : Result<std::string>(makeError(ErrorCode::Io, failure(response)));
  count(url.ok());
  if (url) {
    known = {*url, {}, now};
  } else if (known.renewal_info.empty()) {
    known.error = "the ACME directory " + directory + ": " + url.error().message;
  }  // else: a directory that fails now keeps its last renewalInfo URL for another try
  error = known.error;
  return known.renewal_info;
}

AriEntry AriCache::ask(const std::string& directory, const std::string& cert_id,
                       const AriEntry* previous, Seconds timeout) {
  AriEntry entry = previous != nullptr ? *previous : AriEntry{};
  entry.directory = directory;
  entry.cert_id = cert_id;
  entry.attempted_at = clock_.now();
  entry.error.clear();
  const std::string base = renewalInfoUrl(directory, timeout, entry.error);
  if (base.empty()) {
    entry.next_poll = entry.attempted_at + kRetryAfterFailure;
    return entry;
  }
  entry.url = base + (base.ends_with("/") ? "" : "/") + cert_id;
  const alerts::HttpResponse response = getJson(entry.url, timeout);
  Result<RenewalInfo> info = response.status == 200
                                 ? parseRenewalInfo(response.body)
                                 : Result<RenewalInfo>(makeError(ErrorCode::Io, failure(response)));
  count(info.ok());
  if (info) {
    entry.window = std::move(*info);
    entry.fetched_at = entry.attempted_at;
  } else {
    entry.error = entry.url + ": " + info.error().message;
  }
  const Seconds floor = info ? Seconds{1} : kRetryAfterFailure;
  const Seconds wait = response.retry_after.value_or(info ? kDefaultPoll : kRetryAfterFailure);
  entry.next_poll = entry.attempted_at + std::max(floor, wait);
  return entry;
}

AriEntryPtr AriCache::get(const std::string& directory, const std::string& cert_id,
                          Seconds timeout) {
  const Key key{directory, cert_id};
  std::unique_lock lock(mutex_);
  asked_.wait(lock, [&] { return !in_flight_.contains(key); });
  auto found = entries_.find(key);
  AriEntryPtr previous = found != entries_.end() ? found->second : nullptr;
  if (previous && clock_.now() < previous->next_poll) return previous;
  in_flight_.insert(key);
  lock.unlock();
  slots_.acquire();
  auto entry = std::make_shared<const AriEntry>(ask(directory, cert_id, previous.get(), timeout));
  slots_.release();
  lock.lock();
  entries_[key] = entry;
  changed_.push_back(entry);
  in_flight_.erase(key);
  asked_.notify_all();
  return entry;
}

void AriCache::restore(const std::vector<AriEntry>& entries) {
  std::lock_guard lock(mutex_);
  for (const AriEntry& stored : entries) {
    entries_.try_emplace({stored.directory, stored.cert_id},
                         std::make_shared<const AriEntry>(stored));
  }
}

size_t AriCache::forgetBefore(TimePoint cutoff) {
  std::lock_guard lock(mutex_);
  return std::erase_if(entries_, [&](const auto& item) {
    return item.second->attempted_at < cutoff && !in_flight_.contains(item.first);
  });
}

std::vector<AriEntryPtr> AriCache::takeChanged() {
  std::lock_guard lock(mutex_);
  return std::exchange(changed_, {});
}

FetchCounts AriCache::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace certvigil::revocation
