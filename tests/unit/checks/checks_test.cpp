// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/checks_test.cpp: the check table, runChecks (all checks together, worst
// first) and role resolution.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "checks/checks.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

/// A server certificate file as it should be: leaf + intermediate, a valid path, its key.
Obs healthyServerFile() {
  KeyFacts key;
  key.path = "/etc/ssl/api.key";
  key.mode = 0600;
  Obs o;
  o.role(Role::Server)
      .hostname("api.internal")
      .cert(Cert("api").dns({"api.internal"}))
      .cert(Cert("Int CA").ca())
      .chain(ChainStatus::Valid, -1, {"fp-api", "fp-Int CA", "fp-Root CA"})
      .key(key);
  return o;
}

TEST_CASE("the check table") {
  std::set<std::string_view> names;
  for (const CheckEntry& entry : allChecks()) {
    const bool present = entry.fn != nullptr;
    CHECK(present);
    CHECK(names.insert(entry.name).second);
  }
  CHECK(names.size() == 18);
}

/// What a check found, as text that changes whenever a finding does.
std::string findingsText(const std::vector<Finding>& findings) {
  std::string text;
  for (const Finding& f : findings) {
    text += std::string(toString(f.code)) + "|" + std::string(toString(f.severity)) + "|" +
            f.message + "\n";
  }
  return text;
}

// The scheduler judges a target again only at nextChange(): a check whose findings depend on
// `now` but declares no horizon would go stale between reads. Judged far apart in time, the
// checks without a horizon must agree with themselves.
TEST_CASE("a check without a horizon does not depend on now") {
  const Observation samples[] = {
      healthyServerFile(),
      Obs().cert(Cert("short").expiresIn(3 * kDay)).cert(Cert("old CA").ca().expiresIn(-kDay)),
      Obs().kind(TargetKind::Bundle).cert(Cert("Root").ca().selfSigned().expiresIn(10 * kDay)),
  };
  for (const Observation& obs : samples) {
    for (const CheckEntry& entry : allChecks()) {
      if (entry.horizon) continue;
      CAPTURE(entry.name);
      const std::string at_now = findingsText(entry.fn(obs, defaultPolicy(), kNow));
      CHECK(findingsText(entry.fn(obs, defaultPolicy(), kNow - 400 * kDay)) == at_now);
      CHECK(findingsText(entry.fn(obs, defaultPolicy(), kNow + 400 * kDay)) == at_now);
    }
  }
}

TEST_CASE("nextChange: the earliest horizon of the table") {
  CHECK(nextChange(Obs(), defaultPolicy(), kNow) == TimePoint::max());
  const Observation soon = Obs().cert(Cert("short").expiresIn(3 * kDay));
  // Past both thresholds already: next is the second after notAfter.
  CHECK(nextChange(soon, defaultPolicy(), kNow) == kNow + 3 * kDay + kSecond);
}

TEST_CASE("runChecks") {
  SUBCASE("silent on a healthy server certificate") {
    CHECK(runChecks(healthyServerFile(), defaultPolicy(), kNow).empty());
  }
  SUBCASE("findings come back worst first") {
    KeyFacts openKey;
    openKey.path = "/etc/ssl/api.key";
    openKey.mode = 0644;
    openKey.group_or_other_readable = true;
    const Observation obs =
        Obs()
            .cert(Cert("api").selfSigned().key(KeyType::Rsa, 1024).expiresIn(3 * kDay))
            .key(openKey)
            .problem(FindingCode::PemEmpty, "block 2 is empty");
    const auto findings = runChecks(obs, defaultPolicy(), kNow);
    std::vector<FindingCode> codes;
    for (const Finding& f : findings) codes.push_back(f.code);
    const std::vector<FindingCode> expected = {
        FindingCode::ExpiresSoon,     // critical (3 d left)
        FindingCode::WeakKey,         // critical: OpenSSL (level 2) and rustls refuse RSA-1024
        FindingCode::PemEmpty,        // critical
        FindingCode::KeyPermissions,  // warning
        FindingCode::SelfSigned,      // info
    };
    CHECK(codes == expected);
    for (size_t i = 1; i < findings.size(); ++i) {
      CHECK(findings[i - 1].severity >= findings[i].severity);
    }
  }
  SUBCASE("every finding has a message and a remedy; certificate findings a fingerprint") {
    const Observation obs = Obs()
                                .kind(TargetKind::Endpoint)
                                .hostname("www.internal")
                                .cert(Cert("api")
                                          .dns({"api.internal"})
                                          .eku(false, true)
                                          .expiresIn(-kDay)
                                          .signature("sha1WithRSAEncryption", "sha1"))
                                .chain(ChainStatus::Incomplete, 0)
                                .missingIssuer("CN=Int CA");
    const auto findings = runChecks(obs, defaultPolicy(), kNow);
    CHECK(findings.size() == 5);
    for (const Finding& f : findings) {
      CAPTURE(toString(f.code));
      CHECK_FALSE(f.message.empty());
      CHECK_FALSE(f.remedy.empty());
      CHECK(f.fingerprint == "fp-api");
      CHECK(f.position == 0);
    }
  }
  SUBCASE("the same input gives the same findings (no hidden state, no clock)") {
    const Observation obs = Obs().cert(Cert("api").expiresIn(kDay));
    const auto a = runChecks(obs, defaultPolicy(), kNow);
    const auto b = runChecks(obs, defaultPolicy(), kNow);
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].key() == b[i].key());
    CHECK(runChecks(obs, defaultPolicy(), kNow - 60 * kDay).empty());
  }
}

struct RoleRow {
  const char* name;
  Cert cert;
  Role requested;
  int position;
  ResolvedRole expected;
};

TEST_CASE("resolveRole") {
  const RoleRow rows[] = {
      {"auto: CA flag is a CA", Cert("Int CA").ca().eku(true, true), Role::Auto, 0,
       ResolvedRole::Ca},
      {"auto: serverAuth is a server", Cert("api").eku(true, false), Role::Auto, 0,
       ResolvedRole::Server},
      {"auto: serverAuth and clientAuth is a server", Cert("api").eku(true, true), Role::Auto, 0,
       ResolvedRole::Server},
      {"auto: clientAuth only is a client", Cert("svc").eku(false, true), Role::Auto, 0,
       ResolvedRole::Client},
      {"auto: no EKU is any", Cert("x").noEku(), Role::Auto, 0, ResolvedRole::Any},
      {"auto: anyEKU only is any", Cert("x").eku(false, false, true), Role::Auto, 0,
       ResolvedRole::Any},
      {"auto at position 1 follows the certificate", Cert("svc").eku(false, true), Role::Auto, 1,
       ResolvedRole::Client},
      {"explicit client at 0", Cert("svc").eku(true, false), Role::Client, 0, ResolvedRole::Client},
      {"explicit server at 0", Cert("api").noEku(), Role::Server, 0, ResolvedRole::Server},
      {"explicit role: higher positions are CAs", Cert("Int CA").ca(), Role::Client, 1,
       ResolvedRole::Ca},
      {"ca-bundle follows the certificate", Cert("Root CA").root(), Role::CaBundle, 0,
       ResolvedRole::Ca},
  };
  for (const RoleRow& row : rows) {
    SUBCASE(row.name) {
      CHECK(resolveRole(*row.cert.build(), row.requested, row.position) == row.expected);
    }
  }
}

TEST_CASE("resolveRoles") {
  SUBCASE("an endpoint's leaf is a server certificate") {
    const auto roles = resolveRoles(
        Obs().kind(TargetKind::Endpoint).cert(Cert("api").noEku()).cert(Cert("Int CA").ca()));
    CHECK(roles == std::vector<ResolvedRole>{ResolvedRole::Server, ResolvedRole::Ca});
  }
  SUBCASE("a bundle's certificates are what they are") {
    const auto roles = resolveRoles(Obs()
                                        .kind(TargetKind::Bundle)
                                        .cert(Cert("Root CA").root())
                                        .cert(Cert("svc").eku(false, true)));
    CHECK(roles == std::vector<ResolvedRole>{ResolvedRole::Ca, ResolvedRole::Client});
  }
  SUBCASE("one role per certificate, in order") {
    const auto roles = resolveRoles(healthyServerFile());
    CHECK(roles == std::vector<ResolvedRole>{ResolvedRole::Server, ResolvedRole::Ca});
  }
}

}  // namespace
}  // namespace certvigil::checks
