// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/eku_test.cpp: eku_client_auth_missing, eku_server_auth_missing.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> eku(const Observation& obs) { return checkEku(obs, defaultPolicy(), kNow); }

struct EkuRow {
  const char* name;
  Cert cert;
  bool fires;
};

// A certificate without any EKU extension is accepted for every purpose by OpenSSL, Go, Java
// and NSS, so it does not fire; anyExtendedKeyUsage alone is refused by OpenSSL 3 for TLS
// client and server purposes (nginx, HAProxy), so it does.
TEST_CASE("eku_client_auth_missing") {
  const EkuRow rows[] = {
      {"serverAuth only fires", Cert("svc").eku(true, false), true},
      {"anyExtendedKeyUsage only fires (OpenSSL refuses it)", Cert("svc").eku(false, false, true),
       true},
      {"another purpose only fires", Cert("svc").ekuOther(), true},
      {"clientAuth is fine", Cert("svc").eku(false, true), false},
      {"clientAuth and serverAuth is fine", Cert("svc").eku(true, true), false},
      {"no EKU extension is fine (accepted for any purpose)", Cert("svc").noEku(), false},
  };
  for (const EkuRow& row : rows) {
    SUBCASE(row.name) {
      const auto findings = eku(Obs().role(Role::Client).cert(row.cert));
      CHECK(findings.size() == (row.fires ? 1U : 0U));
      CHECK(countOf(findings, FindingCode::EkuServerAuthMissing) == 0);
    }
  }
  SUBCASE("the finding names the certificate and says how to reissue") {
    const auto findings = eku(Obs().role(Role::Client).cert(Cert("svc").eku(true, false)));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::EkuClientAuthMissing);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-svc");
    CHECK(f.position == 0);
    CHECK(contains(f.message, "leaf CN=svc"));
    CHECK(contains(f.message, "(serverAuth) lacks clientAuth"));
    CHECK(contains(f.remedy, "-extfile <(printf \"extendedKeyUsage=clientAuth\")"));
  }
  SUBCASE("silent in auto role and in a bundle") {
    CHECK(eku(Obs().cert(Cert("svc").eku(true, false))).empty());
    CHECK(eku(Obs().role(Role::CaBundle).cert(Cert("svc").eku(true, false))).empty());
  }
  SUBCASE("an intermediate whose EKU excludes the purpose breaks the path for every client") {
    const auto findings = eku(Obs()
                                  .role(Role::Client)
                                  .cert(Cert("svc").eku(false, true))
                                  .cert(Cert("Int CA").ca().eku(true, false)));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::EkuClientAuthMissing);
    CHECK(findings[0].position == 1);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "intermediate CN=Int CA"));
    CHECK(contains(findings[0].message, "OpenSSL, Go, Chromium and rustls reject it"));
    CHECK(contains(findings[0].remedy, "from a CA whose extendedKeyUsage allows clientAuth"));
  }
  SUBCASE("an intermediate without EKU, or with the purpose, constrains nothing") {
    CHECK(eku(Obs().role(Role::Client).cert(Cert("svc").eku(false, true)).cert(Cert("Int CA").ca()))
              .empty());
    CHECK(eku(Obs()
                  .role(Role::Client)
                  .cert(Cert("svc").eku(false, true))
                  .cert(Cert("Int CA").ca().eku(true, true)))
              .empty());
  }
}

TEST_CASE("eku: clients split on anyExtendedKeyUsage and on the anchor's EKU") {
  const Cert leaf = Cert("api").eku(false, false, true);
  SUBCASE("a leaf with anyExtendedKeyUsage only: OpenSSL and rustls reject, Go and Chromium not") {
    const auto findings = eku(Obs().role(Role::Server).cert(leaf));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "OpenSSL and rustls reject it; Go and Chromium accept it"));
    Policy lenient;
    lenient.clients = {Client::Go, Client::Chromium};
    const auto only_go = checkEku(Obs().role(Role::Server).cert(leaf), lenient, kNow);
    REQUIRE(only_go.size() == 1);
    CHECK(only_go[0].severity == Severity::Warning);  // only unlisted clients reject
  }
  SUBCASE("a trust anchor whose EKU lacks the purpose: OpenSSL and Go reject") {
    const auto root = Cert("Root CA").root().eku(false, true);
    const auto server = Cert("api").eku(true, false);
    const auto findings = eku(Obs()
                                  .role(Role::Server)
                                  .cert(server)
                                  .chain(ChainStatus::Valid, -1, {"fp-api"})
                                  .pathCert(root, CertSource::TrustStore));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].fingerprint == "fp-Root CA");
    CHECK(contains(findings[0].message, "(trust store)"));
    CHECK(contains(findings[0].message, "OpenSSL and Go reject it; Chromium and rustls accept it"));
    Policy browsers;
    browsers.clients = {Client::Chromium, Client::Rustls};
    CHECK(checkEku(Obs()
                       .role(Role::Server)
                       .cert(server)
                       .chain(ChainStatus::Valid, -1, {"fp-api"})
                       .pathCert(root, CertSource::TrustStore),
                   browsers, kNow)[0]
              .severity == Severity::Warning);
  }
}

TEST_CASE("eku_server_auth_missing") {
  const EkuRow rows[] = {
      {"clientAuth only fires", Cert("api").eku(false, true), true},
      {"anyExtendedKeyUsage only fires", Cert("api").eku(false, false, true), true},
      {"serverAuth is fine", Cert("api").eku(true, false), false},
      {"no EKU extension is fine", Cert("api").noEku(), false},
  };
  for (const EkuRow& row : rows) {
    SUBCASE(row.name) {
      const auto findings = eku(Obs().role(Role::Server).cert(row.cert));
      REQUIRE(findings.size() == (row.fires ? 1U : 0U));
      if (row.fires) {
        CHECK(findings[0].code == FindingCode::EkuServerAuthMissing);
        CHECK(contains(findings[0].remedy, "extendedKeyUsage=serverAuth"));
      }
    }
  }
  SUBCASE("an endpoint's leaf is a server certificate even in auto role") {
    const auto findings = eku(Obs().kind(TargetKind::Endpoint).cert(Cert("api").eku(false, true)));
    CHECK(countOf(findings, FindingCode::EkuServerAuthMissing) == 1);
  }
}

}  // namespace
}  // namespace certvigil::checks
