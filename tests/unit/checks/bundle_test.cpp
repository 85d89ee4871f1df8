// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/bundle_test.cpp: bundle_no_ca, bundle_multiple_roots, bundle_no_root,
// bundle_contains_private_key.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> bundle(const Observation& obs) {
  return checkBundle(obs, defaultPolicy(), kNow);
}

Obs aBundle() {
  Obs o;
  o.kind(TargetKind::Bundle);
  return o;
}

TEST_CASE("bundle_no_ca") {
  SUBCASE("leaf certificates only") {
    const auto findings = bundle(aBundle().cert(Cert("alice")).cert(Cert("bob")));
    REQUIRE(countOf(findings, FindingCode::BundleNoCa) == 1);
    const Finding* f = findCode(findings, FindingCode::BundleNoCa);
    CHECK(f->severity == Severity::Critical);
    CHECK(f->fingerprint.empty());
    CHECK(contains(f->message, "2 certificate(s) and none is a CA"));
    CHECK(contains(f->message, "CN=alice, CN=bob"));
    CHECK(countOf(findings, FindingCode::BundleNoRoot) == 0);  // bundle_no_ca says it all
  }
  SUBCASE("also for role ca-bundle on a file") {
    CHECK(countOf(bundle(Obs().role(Role::CaBundle).cert(Cert("alice"))),
                  FindingCode::BundleNoCa) == 1);
  }
  SUBCASE("silent with a CA, for a non-bundle, for an empty bundle") {
    CHECK(bundle(aBundle().cert(Cert("Root CA").root())).empty());
    CHECK(bundle(Obs().cert(Cert("alice"))).empty());
    CHECK(bundle(aBundle()).empty());
  }
}

TEST_CASE("bundle_multiple_roots") {
  SUBCASE("two different roots") {
    const auto findings = bundle(aBundle().cert(Cert("Root A").root()).cert(Cert("Root B").root()));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::BundleMultipleRoots);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "2 self-signed roots (CN=Root A, CN=Root B)"));
  }
  SUBCASE("the same root twice is one root") {
    CHECK(bundle(aBundle().cert(Cert("Root A").root()).cert(Cert("Root A").root())).empty());
  }
  SUBCASE("silent on one root with its intermediate") {
    CHECK(bundle(aBundle().cert(Cert("Int CA").ca()).cert(Cert("Root CA").root())).empty());
  }
}

TEST_CASE("bundle_no_root") {
  SUBCASE("an intermediate without its root") {
    const auto findings = bundle(aBundle().cert(Cert("Int CA").ca()));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::BundleNoRoot);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "no self-signed root (only CN=Int CA)"));
    CHECK(contains(findings[0].remedy, "CN=Root CA"));
  }
  SUBCASE("silent when the root is there") {
    CHECK(bundle(aBundle().cert(Cert("Root CA").root())).empty());
  }
}

TEST_CASE("bundle_contains_private_key") {
  SUBCASE("a key block in the bundle") {
    const auto findings = bundle(aBundle().cert(Cert("Root CA").root()).keyBlocks(1));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::BundleContainsPrivateKey);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "1 private key block(s)"));
    CHECK(contains(findings[0].remedy, "exposed"));
  }
  SUBCASE("silent without one, and for a file with cert and key") {
    CHECK(bundle(aBundle().cert(Cert("Root CA").root())).empty());
    CHECK(bundle(Obs().cert(Cert("api")).keyBlocks(1)).empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
