// SPDX-License-Identifier: Apache-2.0
// scheduler/endpoint_scanner.h shareUnchangedFacts: an endpoint that answers as it did in the
// previous snapshot keeps that snapshot's EndpointFacts (one object across sweeps); any change,
// or a target the snapshot lacks, keeps the new facts.
#include <doctest/doctest.h>

#include "scheduler/endpoint_scanner.h"

namespace certvigil::scheduler {
namespace {

std::shared_ptr<EndpointFacts> facts(const std::string& address) {
  auto f = std::make_shared<EndpointFacts>();
  f->address = address;
  f->ip = "127.0.0.1";
  f->tls_version = "TLSv1.3";
  f->cipher = "TLS_AES_256_GCM_SHA384";
  f->client.edit().answer.handshake_completed = true;
  return f;
}

Observation endpointObservation(const std::string& target) {
  Observation obs;
  obs.target = target;
  obs.kind = TargetKind::Endpoint;
  obs.endpoint = facts(target);
  return obs;
}

// A snapshot of these targets, ordered by name as Monitor::publish orders them.
Snapshot snapshotOf(const std::vector<std::string>& targets) {
  Snapshot snapshot;
  for (const std::string& target : targets) {
    auto result = std::make_shared<TargetResult>();
    result->observation = endpointObservation(target);
    snapshot.targets.push_back(result);
  }
  return snapshot;
}

TEST_CASE("unchanged facts are the previous snapshot's object") {
  const Snapshot previous = snapshotOf({"a:443", "b:443", "c:443"});
  Observation obs = endpointObservation("b:443");
  REQUIRE(obs.endpoint != previous.targets[1]->observation.endpoint);
  shareUnchangedFacts(obs, previous);
  CHECK(obs.endpoint == previous.targets[1]->observation.endpoint);
}

TEST_CASE("changed facts stay the new ones") {
  const Snapshot previous = snapshotOf({"a:443", "b:443"});
  Observation obs = endpointObservation("b:443");
  auto changed = facts("b:443");
  SUBCASE("another cipher") { changed->cipher = "TLS_AES_128_GCM_SHA256"; }
  SUBCASE("a failure") { changed->failure = ProbeFailureKind::Timeout; }
  SUBCASE("the server now asks for a client certificate") {
    changed->client.edit().certificate_requested = true;
  }
  SUBCASE("an anonymous probe's answer") { changed->client.edit().anonymous = ServerAnswer{}; }
  obs.endpoint = changed;
  shareUnchangedFacts(obs, previous);
  CHECK(obs.endpoint == changed);
}

TEST_CASE("a target the snapshot lacks, or an observation without facts, is left alone") {
  const Snapshot previous = snapshotOf({"a:443", "c:443"});
  Observation obs = endpointObservation("b:443");
  const auto own = obs.endpoint;
  shareUnchangedFacts(obs, previous);
  CHECK(obs.endpoint == own);
  Observation file;
  file.target = "a:443";
  shareUnchangedFacts(file, previous);
  CHECK(file.endpoint == nullptr);
  shareUnchangedFacts(obs, Snapshot{});
  CHECK(obs.endpoint == own);
}

}  // namespace
}  // namespace certvigil::scheduler
