// SPDX-License-Identifier: Apache-2.0
#include "revocation/ocsp_cache.h"

#include "alerts/http_client.h"
#include "x509/ocsp.h"

namespace certvigil::revocation {
namespace {

constexpr Seconds kMinReask{60};
constexpr Seconds kMaxAge{86400};
/// OCSP answers are a few KiB; anything much larger is not one.
constexpr size_t kMaxAnswerBytes = size_t{1} << 20;

}  // namespace

bool OcspCache::due(const OcspEntry* entry, TimePoint now) const {
  if (entry == nullptr) return true;
  if (now - entry->attempted_at < kMinReask) return false;
  const RevocationFacts& v = entry->verdict;
  if (!v.covered) return true;
  if (v.next_update && now >= *v.next_update) return true;
  return now - entry->attempted_at >= kMaxAge;
}

OcspEntryPtr OcspCache::get(const std::string& key, const std::string& url, X509* cert,
                            X509* issuer, const config::RevocationConfig& options) {
  std::unique_lock lock(mutex_);
  asked_.wait(lock, [&] { return !in_flight_.contains(key); });
  auto found = entries_.find(key);
  OcspEntryPtr previous = found != entries_.end() ? found->second : nullptr;
  if (!due(previous.get(), clock_.now())) return previous;
  in_flight_.insert(key);
  lock.unlock();
  slots_.acquire();
  OcspEntry fresh = ask(url, cert, issuer, options);
  slots_.release();
  // A failed request keeps a verified answer at hand: it counts until its nextUpdate.
  if (!fresh.verdict.covered && previous && previous->verdict.covered) {
    fresh.verdict = previous->verdict;
  }
  auto entry = std::make_shared<const OcspEntry>(std::move(fresh));
  lock.lock();
  entries_[key] = entry;
  in_flight_.erase(key);
  asked_.notify_all();
  return entry;
}

OcspEntry OcspCache::ask(const std::string& url, X509* cert, X509* issuer,
                         const config::RevocationConfig& options) {
  OcspEntry entry;
  entry.url = url;
  entry.attempted_at = clock_.now();
  entry.verdict.source = RevocationSource::Ocsp;
  Result<std::string> request = x509::ocspRequest(cert, issuer);
  if (!request) {
    entry.verdict.problem = request.error().message;
    return entry;
  }
  alerts::HttpRequest post;
  post.url = url;
  post.headers = {"Content-Type: application/ocsp-request", "Accept: application/ocsp-response"};
  post.body = std::move(*request);
  post.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout);
  post.max_body = kMaxAnswerBytes;
  post.fail_over_max = true;
  const alerts::HttpResponse response = alerts::httpPost(post);
  if (response.status == 200) {
    entry.verdict = x509::ocspVerdict(response.body, cert, issuer);
  } else {
    entry.verdict.problem =
        response.status != 0 ? "HTTP status " + std::to_string(response.status) : response.error;
  }
  std::lock_guard lock(mutex_);
  ++(entry.verdict.covered ? counts_.ok : counts_.error);
  return entry;
}

FetchCounts OcspCache::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

}  // namespace certvigil::revocation
