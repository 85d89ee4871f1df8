// SPDX-License-Identifier: Apache-2.0
// Endpoint-only checks: the probe did not get through, and served_cert_mismatch.
#include <doctest/doctest.h>

#include "builder.h"
#include "checks/check.h"

namespace certvigil::checks {
namespace {

using namespace testing;

EndpointFacts failed(ProbeFailureKind kind, std::string stage, std::string detail) {
  EndpointFacts f;
  f.failure = kind;
  f.failure_words.edit().stage = std::move(stage);
  f.failure_words.edit().detail = std::move(detail);
  f.ip = "10.0.0.1";
  return f;
}

TEST_CASE("a probe that did not get through is one finding with the prober's words") {
  struct Row {
    ProbeFailureKind kind;
    FindingCode code;
    const char* stage;
  };
  for (const Row& row :
       {Row{ProbeFailureKind::Connect, FindingCode::ConnectFailed, "connect"},
        Row{ProbeFailureKind::Handshake, FindingCode::HandshakeFailed, "handshake"},
        Row{ProbeFailureKind::Timeout, FindingCode::Timeout, "handshake"}}) {
    const auto findings = checkProbe(Obs().endpoint(failed(row.kind, row.stage, "the detail")),
                                     defaultPolicy(), kNow);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].code == row.code);
    CHECK(contains(findings[0].message, "api.internal:443 (10.0.0.1)"));
    CHECK(contains(findings[0].message, "the detail"));
    CHECK_FALSE(findings[0].remedy.empty());
  }
  CHECK(checkProbe(Obs().endpoint(EndpointFacts{}), defaultPolicy(), kNow).empty());
  CHECK(checkProbe(Obs(), defaultPolicy(), kNow).empty());
}

TEST_CASE("served_cert_mismatch when the served leaf is not the expected file's") {
  EndpointFacts f;
  f.expected_leaf.edit().file = "/etc/nginx/api.pem";
  f.expected_leaf.edit().fingerprint = "fp-api";
  const Observation same = Obs().cert(Cert("api")).endpoint(f);
  CHECK(checkServedCertificate(same, defaultPolicy(), kNow).empty());

  f.expected_leaf.edit().fingerprint = std::string(64, 'a');
  const auto findings =
      checkServedCertificate(Obs().cert(Cert("api")).endpoint(f), defaultPolicy(), kNow);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].code == FindingCode::ServedCertMismatch);
  CHECK(findings[0].severity == Severity::Warning);
  CHECK(findings[0].fingerprint == "fp-api");
  CHECK(contains(findings[0].message, "/etc/nginx/api.pem"));

  f.expected_leaf.edit().problem = "No such file or directory";
  const auto unreadable =
      checkServedCertificate(Obs().cert(Cert("api")).endpoint(f), defaultPolicy(), kNow);
  REQUIRE(unreadable.size() == 1);
  CHECK(unreadable[0].code == FindingCode::ParseError);
}

}  // namespace
}  // namespace certvigil::checks
