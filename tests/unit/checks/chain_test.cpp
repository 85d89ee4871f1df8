// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/chain_test.cpp: chain_incomplete, untrusted_root, not_a_ca.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> chain(const Observation& obs) {
  return checkChain(obs, defaultPolicy(), kNow);
}

TEST_CASE("chain_incomplete") {
  SUBCASE("a leaf sent without its intermediate") {
    const auto findings =
        chain(Obs().cert(Cert("api")).chain(ChainStatus::Incomplete, 0).missingIssuer("CN=Int CA"));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::ChainIncomplete);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(contains(f.message, "leaf CN=api was issued by \"CN=Int CA\""));
    CHECK(contains(f.remedy, "cat leaf.crt intermediate.crt > fullchain.pem"));
  }
  SUBCASE("a client certificate's remedy builds a client fullchain") {
    const auto findings = chain(Obs()
                                    .role(Role::Client)
                                    .cert(Cert("svc").eku(false, true))
                                    .chain(ChainStatus::Incomplete, 0)
                                    .missingIssuer("CN=Client Int"));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].remedy, "cat client.crt intermediate.crt > client-fullchain.pem"));
  }
  SUBCASE("a chain that stops below the root names the missing top issuer") {
    const auto findings = chain(Obs()
                                    .cert(Cert("api"))
                                    .cert(Cert("Int CA").ca())
                                    .chain(ChainStatus::Incomplete, 1)
                                    .missingIssuer("CN=Root CA"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].position == 1);
    CHECK(contains(findings[0].message, "intermediate CN=Int CA"));
    CHECK(contains(findings[0].remedy, "CN=Root CA"));
    CHECK(contains(findings[0].remedy, "--ca"));
  }
  SUBCASE("any other verifier failure is reported with the verifier's words") {
    const auto findings = chain(Obs()
                                    .cert(Cert("api"))
                                    .chain(ChainStatus::Other, 0)
                                    .chainDetail("path length constraint exceeded"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::ChainIncomplete);
    CHECK(contains(findings[0].message, "path length constraint exceeded"));
    CHECK(contains(findings[0].remedy, "openssl verify"));
  }
  SUBCASE("silent on a valid chain, an unbuilt one, a bundle, a CA file") {
    CHECK(chain(Obs().cert(Cert("api")).chain(ChainStatus::Valid, -1, {"fp-api"})).empty());
    CHECK(chain(Obs().cert(Cert("api"))).empty());
    CHECK(chain(Obs()
                    .kind(TargetKind::Bundle)
                    .cert(Cert("Int CA").ca())
                    .chain(ChainStatus::Incomplete, 0))
              .empty());
    CHECK(chain(Obs().cert(Cert("Int CA").ca()).chain(ChainStatus::Incomplete, 0)).empty());
  }
}

TEST_CASE("untrusted_root") {
  SUBCASE("a chain ending at a root that is not trusted: wrong CA") {
    const auto findings = chain(Obs()
                                    .cert(Cert("api").issuedBy("Other Int"))
                                    .cert(Cert("Other Int").ca().issuedBy("Other Root"))
                                    .cert(Cert("Other Root").root())
                                    .chain(ChainStatus::UntrustedRoot, 2));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::UntrustedRoot);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-Other Root");
    CHECK(f.position == 2);
    CHECK(contains(f.message, "CN=Other Root"));
    CHECK(contains(f.message, "wrong CA"));
  }
  SUBCASE("for a client certificate the remedy is the server's client CA bundle") {
    const auto findings = chain(Obs()
                                    .role(Role::Client)
                                    .cert(Cert("svc").eku(false, true))
                                    .cert(Cert("Other Root").root())
                                    .chain(ChainStatus::UntrustedRoot, 1));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].remedy, "client CA bundle"));
  }
  SUBCASE("an untrusted self-signed leaf an endpoint serves is critical") {
    const auto findings = chain(Obs()
                                    .kind(TargetKind::Endpoint)
                                    .cert(Cert("api").selfSigned())
                                    .chain(ChainStatus::UntrustedRoot, 0));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::UntrustedRoot);
    CHECK(contains(findings[0].message, "leaf CN=api is self-signed and not trusted"));
  }
  SUBCASE("so is one in an explicit server or client role") {
    for (Role role : {Role::Server, Role::Client}) {
      const auto findings = chain(
          Obs().role(role).cert(Cert("api").selfSigned()).chain(ChainStatus::UntrustedRoot, 0));
      CHECK(countOf(findings, FindingCode::UntrustedRoot) == 1);
    }
  }
  SUBCASE("a self-signed leaf file in auto role is left to self_signed (info)") {
    CHECK(chain(Obs().cert(Cert("api").selfSigned()).chain(ChainStatus::UntrustedRoot, 0)).empty());
  }
  SUBCASE("a root CA file on disk is no chain problem, trusted or not") {
    CHECK(chain(Obs().cert(Cert("Root CA").root()).chain(ChainStatus::UntrustedRoot, 0)).empty());
    CHECK(chain(Obs().cert(Cert("Root CA").root()).chain(ChainStatus::Valid, -1, {"fp-Root CA"}))
              .empty());
  }
  SUBCASE("silent on a valid chain") {
    CHECK(chain(Obs()
                    .kind(TargetKind::Endpoint)
                    .cert(Cert("api"))
                    .cert(Cert("Int CA").ca())
                    .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Int CA", "fp-Root CA"}))
              .empty());
  }
}

TEST_CASE("not_a_ca") {
  SUBCASE("a certificate in an issuer position without CA:TRUE") {
    const auto findings = chain(Obs()
                                    .cert(Cert("api").issuedBy("Fake Int"))
                                    .cert(Cert("Fake Int"))
                                    .chain(ChainStatus::NotACa, 1));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::NotACa);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.position == 1);
    CHECK(f.fingerprint == "fp-Fake Int");
    CHECK(contains(f.message, "certificate #1 CN=Fake Int is in an issuer position"));
    CHECK(contains(f.remedy, "CA:TRUE"));
  }
  SUBCASE("silent on a valid chain") {
    CHECK(chain(Obs()
                    .cert(Cert("api"))
                    .cert(Cert("Int CA").ca())
                    .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Int CA"}))
              .empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
