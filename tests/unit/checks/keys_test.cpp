// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/keys_test.cpp: key_mismatch, key_permissions, weak_key.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> key(const Observation& obs) { return checkKey(obs, defaultPolicy(), kNow); }

KeyFacts keyFile(bool matches, unsigned mode = 0600) {
  KeyFacts k;
  k.path = "/etc/ssl/api.key";
  k.matches = matches;
  k.mode = mode;
  k.group_or_other_readable = (mode & 0077U) != 0;
  return k;
}

TEST_CASE("key_mismatch") {
  SUBCASE("a key that does not belong to the leaf") {
    const auto findings = key(Obs().cert(Cert("api")).key(keyFile(false)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::KeyMismatch);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message == "private key /etc/ssl/api.key does not belong to leaf CN=api");
    CHECK(contains(f.remedy, "openssl pkey -pubout"));
  }
  SUBCASE("a key inside the certificate's own file is named by that file") {
    KeyFacts inFile = keyFile(false);
    inFile.path.clear();
    const auto findings = key(Obs().cert(Cert("api")).key(inFile));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message, "the private key in /etc/ssl/test.pem"));
  }
  SUBCASE("silent when the key matches, when there is none, when it could not be read") {
    CHECK(key(Obs().cert(Cert("api")).key(keyFile(true))).empty());
    CHECK(key(Obs().cert(Cert("api"))).empty());
    KeyFacts unreadable = keyFile(false);
    unreadable.readable = false;
    unreadable.problem = "bad decrypt (wrong password?)";
    const auto findings = key(Obs().cert(Cert("api")).key(unreadable));
    CHECK(countOf(findings, FindingCode::KeyMismatch) == 0);
    REQUIRE(countOf(findings, FindingCode::ParseError) == 1);
    CHECK(contains(findings[0].message, "bad decrypt (wrong password?)"));
  }
}

TEST_CASE("key_permissions") {
  SUBCASE("group- or world-readable key file") {
    const auto findings = key(Obs().cert(Cert("api")).key(keyFile(true, 0644)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::KeyPermissions);
    CHECK(f.severity == Severity::Warning);
    CHECK(f.fingerprint.empty());
    CHECK(f.position == -1);
    CHECK(f.message == "private key /etc/ssl/api.key is accessible to group or other (mode 0644)");
    CHECK(contains(f.remedy, "chmod 600 /etc/ssl/api.key"));
  }
  SUBCASE("a mismatching, open key gets both findings") {
    const auto findings = key(Obs().cert(Cert("api")).key(keyFile(false, 0640)));
    CHECK(countOf(findings, FindingCode::KeyMismatch) == 1);
    CHECK(countOf(findings, FindingCode::KeyPermissions) == 1);
  }
  SUBCASE("silent on 0600 and 0400") {
    CHECK(key(Obs().cert(Cert("api")).key(keyFile(true, 0600))).empty());
    CHECK(key(Obs().cert(Cert("api")).key(keyFile(true, 0400))).empty());
  }
}

struct WeakRow {
  const char* name;
  KeyType type;
  int bits;
  bool weak;
  Severity only_go_chromium;
};

// `only_go_chromium`: the severity when `clients:` lists Go and Chromium alone (who rejects
// differs by size; a weak key is critical by default because some listed client rejects it).
const WeakRow kWeakRows[] = {
    {"RSA 512 is refused everywhere", KeyType::Rsa, 512, true, Severity::Critical},
    {"RSA 1024 is weak for OpenSSL and rustls", KeyType::Rsa, 1024, true, Severity::Warning},
    {"RSA 2047 is weak", KeyType::Rsa, 2047, true, Severity::Warning},
    {"RSA 2048 is fine", KeyType::Rsa, 2048, false, Severity::Warning},
    {"RSA 4096 is fine", KeyType::Rsa, 4096, false, Severity::Warning},
    {"DSA 1024 is weak (for OpenSSL, the one client that takes DSA)", KeyType::Dsa, 1024, true,
     Severity::Warning},
    {"EC 192 is refused everywhere", KeyType::Ec, 192, true, Severity::Critical},
    {"EC 224 is refused by Chromium and rustls", KeyType::Ec, 224, true, Severity::Critical},
    {"EC 256 is fine", KeyType::Ec, 256, false, Severity::Warning},
    {"EC 384 is fine", KeyType::Ec, 384, false, Severity::Warning},
    {"Ed25519 is fine", KeyType::Ed25519, 255, false, Severity::Warning},
    {"an unknown size is not judged", KeyType::Rsa, 0, false, Severity::Warning},
};

std::vector<Finding> weak(const Observation& obs) {
  return checkWeakKey(obs, defaultPolicy(), kNow);
}

TEST_CASE("weak_key") {
  for (const WeakRow& row : kWeakRows) {
    SUBCASE(row.name) {
      const auto findings = weak(Obs().cert(Cert("api").key(row.type, row.bits)));
      REQUIRE(findings.size() == (row.weak ? 1U : 0U));
      if (row.weak) {
        CHECK(findings[0].code == FindingCode::WeakKey);
        CHECK(findings[0].severity == Severity::Critical);
        CHECK(findings[0].fingerprint == "fp-api");
        Policy browsers = defaultPolicy();
        browsers.clients = {Client::Go, Client::Chromium};
        const auto judged =
            checkWeakKey(Obs().cert(Cert("api").key(row.type, row.bits)), browsers, kNow);
        REQUIRE(judged.size() == 1);
        CHECK(judged[0].severity == row.only_go_chromium);
      }
    }
  }
  SUBCASE("the message names the key") {
    const auto findings = weak(Obs().cert(Cert("api").key(KeyType::Rsa, 1024)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message ==
          "leaf CN=api has a weak RSA-1024 key (RSA needs at least 2048 bits): OpenSSL and "
          "rustls reject it; Go and Chromium accept it (OpenSSL at security level 2, the default "
          "of Debian's TLS clients; a bare openssl verify checks no level)");
  }
  SUBCASE("a weak CA on the path is judged, with a CA remedy") {
    const auto findings = weak(Obs()
                                   .cert(Cert("api"))
                                   .cert(Cert("Int CA").ca().key(KeyType::Rsa, 1024))
                                   .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Int CA"}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].position == 1);
    CHECK(contains(findings[0].remedy, "replace CA CN=Int CA"));
  }
  SUBCASE("a weak root sent off the valid path is not") {
    CHECK(weak(Obs()
                   .cert(Cert("api"))
                   .cert(Cert("Old Root").root().key(KeyType::Rsa, 1024))
                   .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Root CA"}))
              .empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
