#include "storage/state_cache.h"

#include <functional>

namespace certvigil::storage {

FingerprintPool::FingerprintPool() { entries_.push_back(Entry{}); }

FingerprintId FingerprintPool::intern(std::string_view fingerprint) {
  if (fingerprint.empty()) return kEmpty;
  if (auto it = index_.find(fingerprint); it != index_.end()) return it->second;
  const auto id = static_cast<FingerprintId>(entries_.size());
  entries_.push_back(Entry{std::string(fingerprint), 0});
  index_.emplace(entries_.back().text, id);
  return id;
}

std::optional<FingerprintId> FingerprintPool::find(std::string_view fingerprint) const {
  if (fingerprint.empty()) return kEmpty;
  if (auto it = index_.find(fingerprint); it != index_.end()) return it->second;
  return std::nullopt;
}

void StateCache::clear() {
  fingerprints = FingerprintPool();
  units.clear();
}

uint64_t findingContentDigest(std::string_view message, std::string_view remedy,
                              std::optional<RejectCause> cause) {
  const std::hash<std::string_view> hash;
  uint64_t digest = hash(message);
  // boost::hash_combine's mixing step: order matters, so (a, b) and (b, a) differ.
  auto combine = [&digest](uint64_t value) {
    digest ^= value + 0x9e3779b97f4a7c15ULL + (digest << 6) + (digest >> 2);
  };
  combine(hash(remedy));
  combine(cause ? static_cast<uint64_t>(*cause) + 1 : 0);
  return digest;
}

}  // namespace certvigil::storage
