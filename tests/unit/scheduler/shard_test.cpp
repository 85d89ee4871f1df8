// SPDX-License-Identifier: Apache-2.0
// scheduler/shard: `--shard I/N` parsing, and rendezvous hashing over 10,000 endpoints: every
// endpoint has exactly one owner, shards are balanced, and going from N to N+1 shards moves
// ~1/(N+1) of the endpoints, all of them to the new shard.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "scheduler/shard.h"

namespace certvigil::scheduler {
namespace {

constexpr int kEndpoints = 10000;

std::vector<std::string> identities() {
  std::vector<std::string> out;
  out.reserve(kEndpoints);
  for (int i = 0; i < kEndpoints; ++i) {
    config::EndpointConfig e;
    e.address = "svc-" + std::to_string(i) + ".prod.internal:" + std::to_string(443 + i % 3);
    out.push_back(endpointIdentity(e));
  }
  return out;
}

// The one shard (0-based) that owns `identity`, or -1 if none or several claim it.
int ownerOf(const std::string& identity, int count) {
  int owner = -1;
  for (int s = 0; s < count; ++s) {
    if (!ownedBy(identity, s, count)) continue;
    if (owner != -1) return -1;
    owner = s;
  }
  return owner;
}

}  // namespace

TEST_CASE("parseShard: I/N with 1 <= I <= N") {
  const auto spec = parseShard("2/5");
  REQUIRE(spec);
  CHECK(spec->index == 2);
  CHECK(spec->count == 5);
  CHECK(toString(*spec) == "2/5");
  CHECK(parseShard("1/1"));
  CHECK(parseShard("4096/4096"));
  std::string why;
  for (const char* bad : {"", "3", "0/3", "4/3", "1/0", "-1/3", "1/-3", "a/3", "1/3x", " 1/3",
                          "1//3", "1/4097", "1/99999999999"}) {
    CAPTURE(bad);
    why.clear();
    CHECK_FALSE(parseShard(bad, &why));
    CHECK_FALSE(why.empty());
  }
}

TEST_CASE("endpointIdentity: address and effective servername") {
  config::EndpointConfig plain;
  plain.address = "api.internal:443";
  config::EndpointConfig spelled = plain;
  spelled.servername = "api.internal";
  config::EndpointConfig other_name = plain;
  other_name.servername = "api-v2.internal";
  CHECK(endpointIdentity(plain) == endpointIdentity(spelled));
  CHECK(endpointIdentity(plain) != endpointIdentity(other_name));
  config::EndpointConfig v6;
  v6.address = "[2001:db8::1]:636";
  CHECK(endpointIdentity(v6) == "[2001:db8::1]:636\n2001:db8::1");
}

TEST_CASE("shardWeight: pinned values, so every version shards alike") {
  // A change here moves endpoints between the daemons of a fleet that upgrades one at a time.
  CHECK(shardWeight("api.internal:443\napi.internal", 0) == 0x2f5a909340a42de0ULL);
  CHECK(shardWeight("api.internal:443\napi.internal", 1) == 0x2e57f07005425894ULL);
  CHECK(shardWeight("", 0) == 0x5b21f68ffa77f14cULL);
}

TEST_CASE("ownedBy: every endpoint has exactly one owner, and shards are balanced") {
  const std::vector<std::string> ids = identities();
  for (int count : {1, 2, 3, 5, 8, 16}) {
    CAPTURE(count);
    std::vector<int> load(static_cast<size_t>(count), 0);
    int orphans = 0;
    for (const auto& id : ids) {
      const int owner = ownerOf(id, count);
      if (owner < 0) {
        ++orphans;
      } else {
        ++load[static_cast<size_t>(owner)];
      }
    }
    CHECK(orphans == 0);
    const double fair = double{kEndpoints} / count;
    for (int n : load) {
      CHECK(n > fair * 0.85);
      CHECK(n < fair * 1.15);
    }
  }
}

TEST_CASE("ownedBy: going from N to N+1 shards moves ~1/(N+1), only to the new shard") {
  const std::vector<std::string> ids = identities();
  for (int n = 1; n <= 10; ++n) {
    CAPTURE(n);
    int moved = 0;
    int moved_elsewhere = 0;
    for (const auto& id : ids) {
      const int before = ownerOf(id, n);
      const int after = ownerOf(id, n + 1);
      if (before == after) continue;
      ++moved;
      if (after != n) ++moved_elsewhere;  // shard n (0-based) is the new one
    }
    const double expected = double{kEndpoints} / (n + 1);
    MESSAGE(n << " -> " << n + 1 << " shards: " << moved << " of " << kEndpoints
              << " endpoints moved (ideal " << expected << ")");
    CHECK(moved_elsewhere == 0);
    CHECK(moved > expected * 0.85);
    CHECK(moved < expected * 1.15);
  }
}

TEST_CASE("keepOwnedEndpoints: the shards of a config partition its endpoints") {
  config::Config full;
  for (int i = 0; i < 300; ++i) {
    config::EndpointConfig e;
    e.address = "10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ":8443";
    full.endpoints.push_back(e);
  }
  config::FileConfig local;
  local.path = "/etc/ssl/local/*.pem";
  full.files.push_back(local);
  std::vector<int> seen(full.endpoints.size(), 0);
  size_t kept_total = 0;
  for (int index = 1; index <= 3; ++index) {
    config::Config part = full;
    const size_t dropped = keepOwnedEndpoints(part, ShardSpec{index, 3});
    CHECK(dropped + part.endpoints.size() == full.endpoints.size());
    CHECK(part.files.size() == 1);  // files are local to each host: never sharded
    kept_total += part.endpoints.size();
    for (const auto& e : part.endpoints) {
      const auto it = std::find_if(full.endpoints.begin(), full.endpoints.end(),
                                   [&](const auto& f) { return f.address == e.address; });
      REQUIRE(it != full.endpoints.end());
      ++seen[static_cast<size_t>(it - full.endpoints.begin())];
    }
  }
  CHECK(kept_total == full.endpoints.size());
  CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  config::Config whole = full;
  CHECK(keepOwnedEndpoints(whole, ShardSpec{1, 1}) == 0);
}

}  // namespace certvigil::scheduler
