// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/hostname_test.cpp: the RFC 6125 matcher and hostname_mismatch.
#include <doctest/doctest.h>

#include "checks/check.h"
#include "checks/hostname.h"
#include "tests/unit/checks/builder.h"

namespace certvigil::checks {
namespace {

using namespace certvigil::checks::testing;

struct DnsRow {
  const char* pattern;
  const char* host;
  bool matches;
};

const DnsRow kDnsRows[] = {
    {"api.example.com", "api.example.com", true},
    {"API.Example.COM", "api.example.com", true},
    {"api.example.com.", "api.example.com", false},  // no client takes a SAN ending in a dot
    {"api.example.com", "api.example.com.", true},
    {"api.example.com", "api.example.co", false},
    {"api.example.com", "www.example.com", false},
    {"*.example.com", "api.example.com", true},
    {"*.example.com", "API.EXAMPLE.COM", true},
    {"*.example.com", "example.com", false},
    {"*.example.com", "a.b.example.com", false},
    {"*.example.com", ".example.com", false},
    {"f*o.example.com", "foo.example.com", false},
    {"*foo.example.com", "xfoo.example.com", false},
    {"foo*.example.com", "foox.example.com", false},
    {"www.*.com", "www.example.com", false},
    {"*.*.example.com", "a.b.example.com", false},
    {"*.com", "example.com", false},
    // Like OpenSSL's X509_check_host: a wildcard needs two labels after it.
    {"*.internal", "api.internal", false},
    {"*", "localhost", false},
    {"*.", "a.", false},
    {"api.example.com", "*.example.com", false},
    {"", "", false},
    {"", "api", false},
};

TEST_CASE("matchesDnsName follows RFC 6125") {
  for (const DnsRow& row : kDnsRows) {
    CAPTURE(row.pattern);
    CAPTURE(row.host);
    CHECK(matchesDnsName(row.pattern, row.host) == row.matches);
  }
}

TEST_CASE("IP addresses are recognised and compared as addresses") {
  CHECK(isIpAddress("10.0.0.1"));
  CHECK(isIpAddress("::1"));
  CHECK(isIpAddress("[2001:db8::1]"));
  CHECK_FALSE(isIpAddress("api.internal"));
  CHECK_FALSE(isIpAddress("10.0.0"));
  CHECK_FALSE(isIpAddress("1.2.3.4.example"));
  CHECK(sameIpAddress("::1", "0:0:0:0:0:0:0:1"));
  CHECK(sameIpAddress("2001:DB8:0:0:0:0:0:1", "[2001:db8::1]"));
  CHECK_FALSE(sameIpAddress("10.0.0.1", "10.0.0.2"));
  CHECK_FALSE(sameIpAddress("10.0.0.1", "api"));
}

TEST_CASE("coversName: SAN first, IPs only against IP entries, CN only without DNS SANs") {
  const auto sans = Cert("api").dns({"api.internal", "*.svc.internal"}).ips({"10.0.0.1"}).build();
  CHECK(coversName(*sans, "api.internal"));
  CHECK(coversName(*sans, "billing.svc.internal"));
  CHECK_FALSE(coversName(*sans, "a.billing.svc.internal"));
  CHECK(coversName(*sans, "10.0.0.1"));
  CHECK_FALSE(coversName(*sans, "10.0.0.2"));

  const auto ipv6 = Cert("v6").ips({"2001:DB8:0:0:0:0:0:1"}).build();
  CHECK(coversName(*ipv6, "[2001:db8::1]"));

  const auto ipAsDns = Cert("x").dns({"10.0.0.1"}).build();
  CHECK_FALSE(coversName(*ipAsDns, "10.0.0.1"));

  // The subject CN never covers a name for every client (Go, Chromium, rustls ignore it).
  const auto cnOnly = Cert("api.internal").build();
  CHECK_FALSE(coversName(*cnOnly, "api.internal"));
  CHECK(matchName(*cnOnly, "api.internal") == NameMatch::CommonNameOnly);
  CHECK(matchName(*Cert("*.svc.internal").build(), "api.svc.internal") ==
        NameMatch::CommonNameOnly);

  const auto cnWithIpSan = Cert("api.internal").ips({"10.0.0.1"}).build();
  CHECK_FALSE(coversName(*cnWithIpSan, "api.internal"));
  CHECK(matchName(*cnWithIpSan, "api.internal") == NameMatch::CommonNameOnly);

  const auto cnIgnored = Cert("api.internal").dns({"other.internal"}).build();
  CHECK_FALSE(coversName(*cnIgnored, "api.internal"));

  const auto cnIp = Cert("10.0.0.1").build();
  CHECK_FALSE(coversName(*cnIp, "10.0.0.1"));
  CHECK(matchName(*cnIp, "10.0.0.1") == NameMatch::CommonNameOnly);  // said, not accepted
  CHECK(matchName(*Cert("10.0.0.1").dns({"x.internal"}).build(), "10.0.0.1") == NameMatch::None);

  // A 16-byte ::ffff:a.b.c.d SAN is not the 4-byte address (Go alone says it is), nor the other
  // way round.
  const auto mapped = Cert("m").ips({"::ffff:127.0.0.1"}).build();
  CHECK(matchName(*mapped, "127.0.0.1") == NameMatch::MappedIpOnly);
  CHECK(coversName(*mapped, "[::ffff:127.0.0.1]"));
  CHECK(matchName(*Cert("m").ips({"127.0.0.1"}).build(), "::ffff:127.0.0.1") ==
        NameMatch::MappedIpOnly);
}

TEST_CASE("matchName: a subjectAltName ending in a dot matches nothing; a dialled one may") {
  CHECK(matchName(*Cert("d").dns({"example.com."}).build(), "example.com") == NameMatch::None);
  CHECK(coversName(*Cert("d").dns({"example.com"}).build(), "example.com."));
}

TEST_CASE("matchName: partial wildcards are OpenSSL's alone; IDNs compare as A-labels") {
  const auto partial = Cert("p").dns({"web*.example.com"}).build();
  CHECK(matchName(*partial, "web1.example.com") == NameMatch::PartialWildcard);
  CHECK(matchName(*partial, "www.example.com") == NameMatch::None);
  CHECK(matchName(*partial, "web.example.com") == NameMatch::None);  // '*' matches 1+ chars
  CHECK(matchName(*Cert("p").dns({"*.com"}).build(), "example.com") == NameMatch::None);
  CHECK(matchName(*Cert("p").dns({"a.*.example.com"}).build(), "a.b.example.com") ==
        NameMatch::None);
  const auto idn = Cert("i").dns({"xn--bcher-kva.example"}).build();
  CHECK(coversName(*idn, "xn--bcher-kva.example"));
  CHECK(coversName(*idn, "XN--BCHER-KVA.example."));
  CHECK_FALSE(coversName(*idn, "bcher.example"));
  // A wildcard never stands for part of an A-label.
  CHECK(matchName(*Cert("i").dns({"xn--*.example"}).build(), "xn--bcher-kva.example") ==
        NameMatch::None);
}

std::vector<Finding> hostname(const Observation& obs) {
  return checkHostname(obs, defaultPolicy(), kNow);
}

TEST_CASE("hostname_mismatch") {
  const Cert leaf = Cert("api").dns({"api.internal", "*.svc.internal"});

  SUBCASE("a dialled name the leaf does not cover") {
    const auto findings = hostname(Obs().hostname("www.internal").cert(leaf));
    REQUIRE(findings.size() == 1);
    const Finding& f = findings[0];
    CHECK(f.code == FindingCode::HostnameMismatch);
    CHECK(f.severity == Severity::Critical);
    CHECK(f.fingerprint == "fp-api");
    CHECK(f.position == 0);
    CHECK(f.message ==
          "leaf CN=api does not cover www.internal (it covers api.internal, *.svc.internal, "
          "CN=api is not used): OpenSSL, Go, Chromium and rustls reject it");
    CHECK(f.remedy ==
          "reissue with subjectAltName=DNS:www.internal, or dial a name the "
          "certificate covers");
  }
  SUBCASE("a wildcard covers one label only") {
    CHECK(hostname(Obs().hostname("db.svc.internal").cert(leaf)).empty());
    CHECK(hostname(Obs().hostname("a.db.svc.internal").cert(leaf)).size() == 1);
  }
  SUBCASE("an IP address needs an IP entry") {
    const auto findings = hostname(Obs().hostname("10.0.0.9").cert(leaf));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].remedy, "subjectAltName=IP:10.0.0.9"));
    CHECK(hostname(Obs().hostname("10.0.0.9").cert(Cert("api").ips({"10.0.0.9"}))).empty());
  }
  SUBCASE("a name only in the CN: who rejects it, and critical only if they are listed") {
    const auto findings = hostname(Obs().hostname("api.internal").cert(Cert("api.internal")));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == Severity::Critical);
    CHECK(contains(findings[0].message, "the name is only in its subject CN"));
    CHECK(contains(findings[0].message, "Go, Chromium and rustls reject it; OpenSSL"));
    Policy openssl_only;
    openssl_only.clients = {Client::OpenSsl};
    const auto lenient = checkHostname(Obs().hostname("api.internal").cert(Cert("api.internal")),
                                       openssl_only, kNow);
    REQUIRE(lenient.size() == 1);
    CHECK(lenient[0].severity == Severity::Warning);
  }
  SUBCASE("an IP only in the CN") {
    const auto findings = hostname(Obs().hostname("10.0.0.1").cert(Cert("10.0.0.1")));
    REQUIRE(findings.size() == 1);
    CHECK(contains(findings[0].message, "only in its subject CN"));
    CHECK(contains(findings[0].message, "OpenSSL, Go, Chromium and rustls reject it"));
    CHECK(contains(findings[0].remedy, "subjectAltName=IP:10.0.0.1"));
  }
  SUBCASE("silent without a name, on a match, and for a bundle") {
    CHECK(hostname(Obs().cert(leaf)).empty());
    CHECK(hostname(Obs().hostname("API.internal").cert(leaf)).empty());
    CHECK(hostname(Obs().kind(TargetKind::Bundle).hostname("www.internal").cert(leaf)).empty());
  }
  SUBCASE("only the leaf is judged") {
    const auto findings = hostname(
        Obs().hostname("api.internal").cert(leaf).cert(Cert("Int CA").ca().dns({"other"})));
    CHECK(findings.empty());
  }
}

}  // namespace
}  // namespace certvigil::checks
