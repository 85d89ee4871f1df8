// SPDX-License-Identifier: Apache-2.0
// core/finding.h: the code table round trip, makeFinding's defaults, the worst-first order and
// the stable identity findings keep from scan to scan.
#include "core/finding.h"

#include <doctest/doctest.h>

#include <set>

namespace certvigil {
namespace {

Finding withSeverity(FindingCode code, Severity severity, int position = -1) {
  Finding f = makeFinding(code, "m", "fp", position);
  f.severity = severity;
  return f;
}

// Every row of the table, counted here independently of finding.cpp.
constexpr size_t kTableRows = 0
#define CERTVIGIL_FINDING(name, code, severity, meaning, remedy) +1
#include "core/finding_codes.def"
#undef CERTVIGIL_FINDING
    ;

TEST_CASE("findingCodeFromString reads back toString for every code") {
  static_assert(kTableRows == 32);
  REQUIRE(allFindingCodes().size() == kTableRows);
  std::set<std::string_view> seen;
  for (FindingCode code : allFindingCodes()) {
    const std::string_view name = toString(code);
    CAPTURE(name);
    CHECK(seen.insert(name).second);  // unique
    const auto back = findingCodeFromString(name);
    REQUIRE(back.has_value());
    CHECK(*back == code);
    CHECK_FALSE(defaultMeaning(code).empty());
    CHECK_FALSE(defaultRemedy(code).empty());
  }
  CHECK(toString(FindingCode::Expired) == "expired");
  CHECK(toString(FindingCode::ClientCertNotEnforced) == "client_cert_not_enforced");
  CHECK(toString(FindingCode::Timeout) == "timeout");
  CHECK_FALSE(findingCodeFromString("").has_value());
  CHECK_FALSE(findingCodeFromString("Expired").has_value());
  CHECK_FALSE(findingCodeFromString("expires-soon").has_value());
}

TEST_CASE("default severities follow the table") {
  CHECK(defaultSeverity(FindingCode::Expired) == Severity::Critical);
  CHECK(defaultSeverity(FindingCode::ExpiresSoon) == Severity::Warning);
  CHECK(defaultSeverity(FindingCode::SelfSigned) == Severity::Info);
  CHECK(defaultSeverity(FindingCode::KeyPermissions) == Severity::Warning);
  CHECK(defaultSeverity(FindingCode::Timeout) == Severity::Critical);
}

TEST_CASE("severity and reject cause names") {
  for (Severity s : {Severity::Info, Severity::Warning, Severity::Critical}) {
    CHECK(severityFromString(toString(s)) == s);
  }
  CHECK(toString(Severity::Info) == "info");
  CHECK(toString(Severity::Warning) == "warning");
  CHECK(toString(Severity::Critical) == "critical");
  CHECK_FALSE(severityFromString("fatal").has_value());
  CHECK_FALSE(severityFromString("Critical").has_value());
  CHECK(toString(RejectCause::UnknownCa) == "unknown_ca");
  CHECK(toString(RejectCause::Expired) == "expired");
  CHECK(toString(RejectCause::UnsupportedPurpose) == "unsupported_purpose");
  CHECK(toString(RejectCause::IncompleteChain) == "incomplete_chain");
  CHECK(toString(RejectCause::Other) == "other");
}

TEST_CASE("makeFinding takes the code's default severity and remedy") {
  const Finding f = makeFinding(FindingCode::ExpiresSoon, "expires in 3 days", "abc", 1);
  CHECK(f.code == FindingCode::ExpiresSoon);
  CHECK(f.severity == Severity::Warning);
  CHECK(f.message == "expires in 3 days");
  CHECK(f.fingerprint == "abc");
  CHECK(f.position == 1);
  CHECK(f.remedy == defaultRemedy(FindingCode::ExpiresSoon));
  CHECK_FALSE(f.cause.has_value());

  const Finding none = makeFinding(FindingCode::ConnectFailed, "refused");
  CHECK(none.severity == Severity::Critical);
  CHECK(none.fingerprint.empty());
  CHECK(none.position == -1);
}

TEST_CASE("sortWorstFirst: severity, then code in table order, then position; stable") {
  std::vector<Finding> findings = {
      withSeverity(FindingCode::SelfSigned, Severity::Info, 0),
      withSeverity(FindingCode::WeakKey, Severity::Warning, 1),
      withSeverity(FindingCode::HostnameMismatch, Severity::Critical, 0),
      withSeverity(FindingCode::Expired, Severity::Critical, 2),
      withSeverity(FindingCode::Expired, Severity::Critical, 0),
      withSeverity(FindingCode::ExpiresSoon, Severity::Warning, 0),
  };
  findings[0].message = "first info";
  sortWorstFirst(findings);
  REQUIRE(findings.size() == 6);
  CHECK(findings[0].code == FindingCode::Expired);
  CHECK(findings[0].position == 0);
  CHECK(findings[1].code == FindingCode::Expired);
  CHECK(findings[1].position == 2);
  CHECK(findings[2].code == FindingCode::HostnameMismatch);
  CHECK(findings[3].code == FindingCode::ExpiresSoon);  // ExpiresSoon precedes WeakKey
  CHECK(findings[4].code == FindingCode::WeakKey);
  CHECK(findings[5].code == FindingCode::SelfSigned);

  // Equal keys keep their order.
  std::vector<Finding> same = {withSeverity(FindingCode::ParseError, Severity::Critical),
                               withSeverity(FindingCode::ParseError, Severity::Critical)};
  same[0].message = "a";
  same[1].message = "b";
  sortWorstFirst(same);
  CHECK(same[0].message == "a");
  CHECK(same[1].message == "b");

  // A severity override outranks the code order.
  std::vector<Finding> overridden = {withSeverity(FindingCode::Expired, Severity::Warning),
                                     withSeverity(FindingCode::SelfSigned, Severity::Critical)};
  sortWorstFirst(overridden);
  CHECK(overridden[0].code == FindingCode::SelfSigned);
}

TEST_CASE("worstSeverity") {
  CHECK_FALSE(worstSeverity({}).has_value());
  CHECK(worstSeverity({withSeverity(FindingCode::SelfSigned, Severity::Info)}) == Severity::Info);
  CHECK(worstSeverity({withSeverity(FindingCode::SelfSigned, Severity::Info),
                       withSeverity(FindingCode::Expired, Severity::Critical),
                       withSeverity(FindingCode::WeakKey, Severity::Warning)}) ==
        Severity::Critical);
  CHECK(worstSeverity({withSeverity(FindingCode::WeakKey, Severity::Warning),
                       withSeverity(FindingCode::SelfSigned, Severity::Info)}) ==
        Severity::Warning);
}

TEST_CASE("Finding::key is stable across messages but tells certificates and codes apart") {
  Finding a = makeFinding(FindingCode::ExpiresSoon, "expires in 10 days", "fp1", 0);
  Finding b = makeFinding(FindingCode::ExpiresSoon, "expires in 9 days", "fp1", 0);
  CHECK(a.key() == b.key());
  CHECK(a.key() == "expires_soon|fp1|0");
  b.severity = Severity::Critical;  // escalation keeps the identity
  CHECK(a.key() == b.key());

  CHECK(a.key() != makeFinding(FindingCode::ExpiresSoon, "x", "fp2", 0).key());
  CHECK(a.key() != makeFinding(FindingCode::ExpiresSoon, "x", "fp1", 1).key());
  CHECK(a.key() != makeFinding(FindingCode::Expired, "x", "fp1", 0).key());
  CHECK(makeFinding(FindingCode::ConnectFailed, "refused").key() == "connect_failed||-1");

  SUBCASE("read problems are told apart by their detail") {
    const Finding p1 = makeFinding(FindingCode::ParseError, "block 1: truncated base64");
    const Finding p2 = makeFinding(FindingCode::ParseError, "block 3: truncated base64");
    CHECK(p1.key() != p2.key());
    CHECK(p1.key() == makeFinding(FindingCode::ParseError, "block 1: truncated base64").key());
    CHECK(makeFinding(FindingCode::PemEmpty, "block 1").key() !=
          makeFinding(FindingCode::PemEmpty, "block 2").key());
  }
}

}  // namespace
}  // namespace certvigil
