// SPDX-License-Identifier: Apache-2.0
#include "storage/state_cache.h"

#include <functional>

namespace certvigil::storage {

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The 32 bytes of a canonical fingerprint; nullopt for anything else.
std::optional<std::array<uint8_t, 32>> parseDigest(std::string_view text) {
  std::array<uint8_t, 32> digest{};
  if (text.size() != 2 * digest.size()) return std::nullopt;
  for (size_t i = 0; i < digest.size(); ++i) {
    const int high = hexValue(text[2 * i]);
    const int low = hexValue(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<uint8_t>(high * 16 + low);
  }
  return digest;
}

}  // namespace

size_t FingerprintPool::DigestHash::operator()(const Digest& digest) const noexcept {
  // Hash all 32 bytes: real digests are uniform, but synthetic ones (tests, "%064x" of a
  // counter) share long runs of zeros, and a partial hash would chain them all in one bucket.
  const std::string_view bytes(reinterpret_cast<const char*>(digest.data()), digest.size());
  return std::hash<std::string_view>{}(bytes);
}

FingerprintId FingerprintPool::intern(std::string_view fingerprint) {
  if (fingerprint.empty()) return kEmpty;
  const auto next = static_cast<FingerprintId>(rows_.size());
  bool inserted = false;
  FingerprintId id = kEmpty;
  if (auto digest = parseDigest(fingerprint)) {
    auto [it, added] = digests_.try_emplace(*digest, next);
    inserted = added;
    id = it->second;
  } else {
    auto [it, added] = others_.try_emplace(std::string(fingerprint), next);
    inserted = added;
    id = it->second;
  }
  if (inserted) rows_.push_back(0);
  return id;
}

std::optional<FingerprintId> FingerprintPool::find(std::string_view fingerprint) const {
  if (fingerprint.empty()) return kEmpty;
  if (auto digest = parseDigest(fingerprint)) {
    if (auto it = digests_.find(*digest); it != digests_.end()) return it->second;
  } else if (auto it = others_.find(std::string(fingerprint)); it != others_.end()) {
    return it->second;
  }
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
