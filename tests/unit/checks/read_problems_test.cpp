// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/read_problems_test.cpp: parse_error, pem_empty.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

std::vector<Finding> problems(const Observation& obs) {
  return checkReadProblems(obs, defaultPolicy(), kNow);
}

TEST_CASE("parse_error") {
  SUBCASE("one finding per problem, with its detail") {
    const auto findings =
        problems(Obs()
                     .cert(Cert("api"))
                     .problem(FindingCode::ParseError, "block 2: truncated base64")
                     .problem(FindingCode::ParseError, "block 4: not X.509"));
    REQUIRE(findings.size() == 2);
    CHECK(findings[0].code == FindingCode::ParseError);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(findings[0].message == "/etc/ssl/test.pem: block 2: truncated base64");
    CHECK(contains(findings[1].message, "block 4: not X.509"));
    CHECK(contains(findings[0].remedy, "openssl x509"));
  }
  SUBCASE("a file with nothing we recognise in it") {
    const auto findings = problems(Obs());
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::ParseError);
    CHECK(contains(findings[0].message, "holds no certificate"));
  }
  SUBCASE("a bundle without a certificate, even with a key in it") {
    CHECK(countOf(problems(Obs().kind(TargetKind::Bundle).keyBlocks(1)), FindingCode::ParseError) ==
          1);
  }
  SUBCASE("silent on a good file, a key-only file, an endpoint") {
    CHECK(problems(Obs().cert(Cert("api"))).empty());
    CHECK(problems(Obs().keyBlocks(1)).empty());
    CHECK(problems(Obs().kind(TargetKind::Endpoint)).empty());
  }
}

TEST_CASE("pem_empty") {
  SUBCASE("an empty BEGIN/END block") {
    const auto findings = problems(
        Obs().cert(Cert("api")).problem(FindingCode::PemEmpty, "block 3 (CERTIFICATE) is empty"));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == FindingCode::PemEmpty);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(findings[0].fingerprint.empty());
    CHECK(contains(findings[0].message, "block 3 (CERTIFICATE) is empty"));
    CHECK(contains(findings[0].remedy, "BEGIN/END"));
  }
  SUBCASE("an empty block is not also reported as a file without certificates") {
    const auto findings = problems(Obs().problem(FindingCode::PemEmpty, "block 1 is empty"));
    CHECK(findings.size() == 1);
  }
}

}  // namespace
}  // namespace certvigil::checks
