// SPDX-License-Identifier: Apache-2.0
// core/observation.h: the shared, copy-on-write certificate path, the verdict's validity window,
// SharedOptional, and how a certificate's source is named.
#include "core/observation.h"

#include <doctest/doctest.h>

namespace certvigil {
namespace {

CertificateFactsPtr cert(const std::string& fingerprint) {
  auto f = std::make_shared<CertificateFacts>();
  f->fingerprint_sha256 = fingerprint;
  return f;
}

CertificatePath::List threeCertificates() {
  return {{cert("leaf"), CertSource::Presented, 0},
          {cert("int"), CertSource::ChainFile, -1},
          {cert("root"), CertSource::TrustStore, -1}};
}

TEST_CASE("CertificatePath: empty by default and when built from an empty list") {
  const CertificatePath none;
  CHECK(none.empty());
  CHECK(none.size() == 0);
  CHECK(none.begin() == none.end());
  CHECK_FALSE(none.contains("leaf"));
  const CertificatePath from_empty = CertificatePath::List{};
  CHECK(from_empty.empty());
  CHECK(none == from_empty);
}

TEST_CASE("CertificatePath: indexing, fingerprint and contains") {
  const CertificatePath path = threeCertificates();
  REQUIRE(path.size() == 3);
  CHECK_FALSE(path.empty());
  CHECK(path.fingerprint(0) == "leaf");
  CHECK(path.fingerprint(2) == "root");
  CHECK(path[1].source == CertSource::ChainFile);
  CHECK(path[0].position == 0);
  CHECK(path.contains("int"));
  CHECK(path.contains("root"));
  CHECK_FALSE(path.contains("other"));
  CHECK_FALSE(path.contains(""));
  int count = 0;
  for (const PathCertificate& c : path) count += c.facts ? 1 : 0;
  CHECK(count == 3);

  // A certificate without facts is skipped, not dereferenced.
  const CertificatePath holes = CertificatePath::List{{nullptr, CertSource::Presented, 0}};
  CHECK_FALSE(holes.contains(""));
}

TEST_CASE("CertificatePath: copies share one list, and assignment replaces without touching") {
  const CertificatePath original = threeCertificates();
  CertificatePath copy = original;
  CHECK(copy == original);
  // Shared, not duplicated: the same element address.
  CHECK(&copy[0] == &original[0]);

  copy = CertificatePath::List{{cert("other"), CertSource::Presented, 0}};
  CHECK(copy.size() == 1);
  CHECK(copy.fingerprint(0) == "other");
  // The original is untouched.
  REQUIRE(original.size() == 3);
  CHECK(original.fingerprint(0) == "leaf");
}

TEST_CASE("CertificatePath equality compares facts pointers, sources and positions") {
  const CertificatePath::List list = threeCertificates();
  const CertificatePath a = list;
  const CertificatePath b = list;  // same facts pointers, separate list
  CHECK(a == b);
  CertificatePath::List moved_source = list;
  moved_source[1].source = CertSource::TrustStore;
  CHECK_FALSE(a == CertificatePath(moved_source));
  CertificatePath::List moved_position = list;
  moved_position[0].position = 1;
  CHECK_FALSE(a == CertificatePath(moved_position));
  CertificatePath::List other_facts = list;
  other_facts[2].facts = cert("root");  // equal content, another object
  CHECK_FALSE(a == CertificatePath(other_facts));
  CertificatePath::List shorter(list.begin(), list.begin() + 2);
  CHECK_FALSE(a == CertificatePath(shorter));
}

TEST_CASE("SharedOptional reads like std::optional and shares its value between copies") {
  SharedOptional<KeyFacts> none;
  CHECK_FALSE(none.has_value());
  CHECK_FALSE(static_cast<bool>(none));

  KeyFacts facts;
  facts.path = "/etc/ssl/private/a.key";
  facts.mode = 0640;
  SharedOptional<KeyFacts> key = facts;
  REQUIRE(key.has_value());
  CHECK(key->path == "/etc/ssl/private/a.key");
  CHECK((*key).mode == 0640u);
  const SharedOptional<KeyFacts> copy = key;
  CHECK(&*copy == &*key);
  key = std::nullopt;
  CHECK_FALSE(key.has_value());
  REQUIRE(copy.has_value());
  CHECK(copy->mode == 0640u);
}

TEST_CASE("ChainVerdict::holdsAt: valid_from inclusive, valid_until exclusive") {
  ChainVerdict verdict;
  SUBCASE("unbounded by default") {
    CHECK(verdict.holdsAt(fromUnix(0)));
    CHECK(verdict.holdsAt(fromUnix(4102444800)));
    CHECK(verdict.holdsAt(TimePoint::min()));
  }
  SUBCASE("bounded") {
    verdict.valid_from = fromUnix(1000);
    verdict.valid_until = fromUnix(2000);
    CHECK_FALSE(verdict.holdsAt(fromUnix(999)));
    CHECK(verdict.holdsAt(fromUnix(1000)));
    CHECK(verdict.holdsAt(fromUnix(1999)));
    CHECK_FALSE(verdict.holdsAt(fromUnix(2000)));
    CHECK_FALSE(verdict.holdsAt(fromUnix(2001)));
  }
  SUBCASE("an empty window holds nowhere") {
    verdict.valid_from = fromUnix(1000);
    verdict.valid_until = fromUnix(1000);
    CHECK_FALSE(verdict.holdsAt(fromUnix(1000)));
  }
}

TEST_CASE("toString(CertSource, TargetKind): a presented certificate is sent by an endpoint") {
  CHECK(toString(CertSource::Presented, TargetKind::Endpoint) == "sent");
  CHECK(toString(CertSource::Presented, TargetKind::File) == "file");
  CHECK(toString(CertSource::Presented, TargetKind::Bundle) == "file");
  for (TargetKind kind : {TargetKind::Endpoint, TargetKind::File, TargetKind::Bundle}) {
    CHECK(toString(CertSource::ChainFile, kind) == "chain");
    CHECK(toString(CertSource::TrustStore, kind) == "trust store");
  }
}

TEST_CASE("Observation defaults: a successful file probe with no endpoint facts") {
  const Observation obs;
  CHECK(obs.kind == TargetKind::File);
  CHECK(obs.role == Role::Auto);
  CHECK(obs.success);
  CHECK(obs.chain.status == ChainStatus::NotBuilt);
  CHECK(obs.chain.path.empty());
  CHECK_FALSE(obs.key.has_value());
  CHECK(obs.endpoint == nullptr);
}

}  // namespace
}  // namespace certvigil
