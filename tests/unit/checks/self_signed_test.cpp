// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/self_signed_test.cpp: self_signed.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> selfSigned(const Observation& obs) {
  return checkSelfSigned(obs, defaultPolicy(), kNow);
}

TEST_CASE("self_signed") {
  SUBCASE("a self-signed leaf file is info") {
    const auto findings =
        selfSigned(Obs().cert(Cert("api").selfSigned()).chain(ChainStatus::UntrustedRoot, 0));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::SelfSigned);
    CHECK(f.severity == Severity::Info);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message == "leaf CN=api is self-signed: only peers that pin it can verify it");
    CHECK(selfSigned(Obs().cert(Cert("api").selfSigned()).chain(ChainStatus::Valid, -1, {"fp-api"}))
              .front()
              .message ==
          "leaf CN=api is self-signed: it is trusted here because it is in the "
          "trust store");
    CHECK_FALSE(f.remedy.empty());
  }
  SUBCASE("still info when it is trusted (pinned) or the chain was not built") {
    CHECK(selfSigned(Obs().cert(Cert("api").selfSigned()).chain(ChainStatus::Valid, -1, {"fp-api"}))
              .size() == 1);
    CHECK(selfSigned(Obs().cert(Cert("api").selfSigned())).size() == 1);
  }
  SUBCASE("untrusted where peers must verify it: reported beside untrusted_root") {
    CHECK(selfSigned(Obs()
                         .kind(TargetKind::Endpoint)
                         .cert(Cert("api").selfSigned())
                         .chain(ChainStatus::UntrustedRoot, 0))
              .size() == 1);
    CHECK(selfSigned(Obs()
                         .role(Role::Client)
                         .cert(Cert("svc").selfSigned())
                         .chain(ChainStatus::UntrustedRoot, 0))
              .size() == 1);
    // A self-signed CA:TRUE certificate (openssl req -x509's default) served as the leaf.
    CHECK(selfSigned(Obs()
                         .kind(TargetKind::Endpoint)
                         .cert(Cert("api").root())
                         .chain(ChainStatus::UntrustedRoot, 0))
              .size() == 1);
  }
  SUBCASE("silent on a root CA, an issued leaf, a bundle") {
    CHECK(selfSigned(Obs().cert(Cert("Root CA").root())).empty());
    CHECK(selfSigned(Obs().cert(Cert("api"))).empty());
    CHECK(selfSigned(Obs().kind(TargetKind::Bundle).cert(Cert("pinned").selfSigned())).empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
