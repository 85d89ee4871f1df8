// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/signature_test.cpp: weak_signature.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> signature(const Observation& obs) {
  return checkSignature(obs, defaultPolicy(), kNow);
}

struct SigRow {
  const char* name;
  const char* algorithm;
  const char* digest;
  bool weak;
};

const SigRow kSigRows[] = {
    {"SHA-1 RSA is weak", "sha1WithRSAEncryption", "sha1", true},
    {"MD5 RSA is weak", "md5WithRSAEncryption", "md5", true},
    {"SHA-1 ECDSA is weak", "ecdsa-with-SHA1", "SHA1", true},
    {"digest unknown, algorithm names SHA-1: weak", "dsaWithSHA1", "", true},
    {"SHA-256 is fine", "sha256WithRSAEncryption", "sha256", false},
    {"SHA-384 ECDSA is fine", "ecdsa-with-SHA384", "sha384", false},
    {"Ed25519 (no digest) is fine", "ED25519", "", false},
};

TEST_CASE("weak_signature") {
  for (const SigRow& row : kSigRows) {
    SUBCASE(row.name) {
      const auto findings = signature(Obs().cert(Cert("api").signature(row.algorithm, row.digest)));
      REQUIRE(findings.size() == (row.weak ? 1U : 0U));
      if (row.weak) {
        CHECK(findings[0].code == FindingCode::WeakSignature);
        CHECK(findings[0].severity == Severity::Critical);  // every modelled client refuses it
        CHECK(findings[0].fingerprint == "fp-api");
        CHECK(findings[0].position == 0);
      }
    }
  }
  SUBCASE("the message names the digest and the algorithm") {
    const auto findings =
        signature(Obs().cert(Cert("api").signature("sha1WithRSAEncryption", "sha1")));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message ==
          "leaf CN=api is signed with SHA-1 (sha1WithRSAEncryption): OpenSSL, Go, Chromium and "
          "rustls reject it (OpenSSL at security level 2, the default of Debian's TLS clients; a "
          "bare openssl verify checks no level)");
    CHECK(contains(findings[0].remedy, "SHA-256"));
  }
  SUBCASE("a SHA-1 intermediate is judged, with an intermediate remedy") {
    const auto findings =
        signature(Obs()
                      .cert(Cert("api"))
                      .cert(Cert("Int CA").ca().signature("sha1WithRSAEncryption", "sha1")));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].position == 1);
    CHECK(contains(findings[0].remedy, "intermediate"));
  }
  SUBCASE("never a self-signature: a SHA-1 root, a SHA-1 self-signed leaf") {
    CHECK(signature(Obs()
                        .cert(Cert("api"))
                        .cert(Cert("Root CA").root().signature("sha1WithRSAEncryption", "sha1")))
              .empty());
    CHECK(signature(Obs().cert(Cert("api").selfSigned().signature("sha1WithRSAEncryption", "sha1")))
              .empty());
  }
  SUBCASE("a SHA-1 certificate off the valid path is not judged") {
    CHECK(signature(Obs()
                        .cert(Cert("api"))
                        .cert(Cert("Old Int").ca().signature("sha1WithRSAEncryption", "sha1"))
                        .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Root CA"}))
              .empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
