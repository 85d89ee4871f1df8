// SPDX-License-Identifier: Apache-2.0
// scheduler/shard.h: `certvigil run --shard I/N` — which configured endpoints this daemon owns.
//
// Rendezvous (highest random weight) hashing: every shard scores every endpoint identity with a
// stable hash, and the endpoint belongs to the shard with the highest score. When N grows by
// one, an endpoint moves only if the new shard outscores all others, which happens for ~1/(N+1)
// of them; nothing moves between the old shards. No shard needs to know the others' state, so a
// fleet splits its endpoints by configuration alone. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"

namespace certvigil::scheduler {

/// One daemon's share: shard `index` (1-based, as written on the command line) of `count`.
struct ShardSpec {
  int index = 1;
  int count = 1;
};

/// The most shards --shard accepts; beyond this a fleet should use /probe with hashmod.
inline constexpr int kMaxShards = 4096;

/// Parses "I/N" with 1 <= I <= N <= kMaxShards; nullopt plus a reason in *why otherwise.
std::optional<ShardSpec> parseShard(std::string_view text, std::string* why = nullptr);

/// "I/N".
std::string toString(const ShardSpec& shard);

/// The identity an endpoint is sharded by: its address and the servername it verifies (the
/// host part when none is configured), so two entries that dial the same address under
/// different names may land on different shards, and spelling out the default servername does
/// not move an endpoint.
std::string endpointIdentity(const config::EndpointConfig& endpoint);

/// The rendezvous weight of `identity` on shard `shard` (0-based). Stable across builds,
/// platforms and releases: fleets mix versions during upgrades.
uint64_t shardWeight(std::string_view identity, int shard);

/// Whether shard `shard` (0-based, < count) owns `identity`: the shard with the highest weight
/// (the lowest shard number on a tie). Exactly one shard owns every identity.
bool ownedBy(std::string_view identity, int shard, int count);

/// Keeps only the endpoints `shard` owns; files and bundles are local and stay. Returns how
/// many endpoints were dropped.
size_t keepOwnedEndpoints(config::Config& config, const ShardSpec& shard);

}  // namespace certvigil::scheduler
