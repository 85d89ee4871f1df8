// SPDX-License-Identifier: Apache-2.0
#include "scheduler/shard.h"

#include <algorithm>
#include <charconv>

namespace certvigil::scheduler {
namespace {

// FNV-1a over the identity, then a splitmix64 finaliser with the shard number mixed in. Both
// are fixed, documented functions (unlike std::hash), so the same endpoint lands on the same
// shard on every host and version.
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

uint64_t fnv1a(std::string_view text) {
  uint64_t hash = kFnvOffset;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t weightOf(uint64_t identity_hash, int shard) {
  return splitmix64(identity_hash ^ splitmix64(static_cast<uint64_t>(shard)));
}

std::optional<int> parsePositive(std::string_view text) {
  int value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 1) return std::nullopt;
  return value;
}

std::optional<ShardSpec> fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

}  // namespace

std::optional<ShardSpec> parseShard(std::string_view text, std::string* why) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return fail(why, "expected I/N, e.g. 1/3");
  const std::optional<int> index = parsePositive(text.substr(0, slash));
  const std::optional<int> count = parsePositive(text.substr(slash + 1));
  if (!index || !count) return fail(why, "I and N must be whole numbers of at least 1");
  if (*count > kMaxShards) return fail(why, "N must be at most " + std::to_string(kMaxShards));
  if (*index > *count) return fail(why, "I must lie between 1 and N");
  return ShardSpec{*index, *count};
}

std::string toString(const ShardSpec& shard) {
  return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

std::string endpointIdentity(const config::EndpointConfig& endpoint) {
  std::string name = endpoint.servername;
  if (name.empty()) {
    const std::optional<config::HostPort> hp = config::parseHostPort(endpoint.address);
    name = hp ? hp->host : std::string{};
  }
  // A separator that appears in neither an address nor a DNS name keeps pairs apart.
  return endpoint.address + '\n' + name;
}

uint64_t shardWeight(std::string_view identity, int shard) {
  return weightOf(fnv1a(identity), shard);
}

bool ownedBy(std::string_view identity, int shard, int count) {
  if (count <= 1) return shard == 0;
  const uint64_t identity_hash = fnv1a(identity);
  int best = 0;
  uint64_t best_weight = 0;
  for (int s = 0; s < count; ++s) {
    const uint64_t weight = weightOf(identity_hash, s);
    if (s == 0 || weight > best_weight) {
      best = s;
      best_weight = weight;
    }
  }
  return best == shard;
}

size_t keepOwnedEndpoints(config::Config& config, const ShardSpec& shard) {
  const size_t before = config.endpoints.size();
  std::erase_if(config.endpoints, [&](const config::EndpointConfig& endpoint) {
    return !ownedBy(endpointIdentity(endpoint), shard.index - 1, shard.count);
  });
  return before - config.endpoints.size();
}

}  // namespace certvigil::scheduler
