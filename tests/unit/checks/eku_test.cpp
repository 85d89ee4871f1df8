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
  SUBCASE("silent in auto role, in a bundle, and on the intermediates") {
    CHECK(eku(Obs().cert(Cert("svc").eku(true, false))).empty());
    CHECK(eku(Obs().role(Role::CaBundle).cert(Cert("svc").eku(true, false))).empty());
    CHECK(eku(Obs()
                  .role(Role::Client)
                  .cert(Cert("svc").eku(false, true))
                  .cert(Cert("Int CA").ca().eku(true, false)))
              .empty());
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
