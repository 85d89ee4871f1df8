// SPDX-License-Identifier: Apache-2.0
// crl.h: loading CRLs and judging presented certificates against them.
#include "x509/crl.h"

#include <doctest/doctest.h>

#include <chrono>

#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
using namespace std::chrono;
using test::fingerprintOfPki;
using test::parsePki;
using test::raw;
using testing::pki;

CrlSet crlsOf(const std::vector<std::string>& files) {
  std::vector<std::filesystem::path> paths;
  for (const std::string& f : files) paths.push_back(pki(f));
  Result<CrlSet> set = CrlSet::load(paths);
  REQUIRE_MESSAGE(set.ok(), (set.ok() ? "" : set.error().describe()));
  return std::move(*set);
}

TEST_CASE("a revoked leaf: reason, date, next update") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  const auto root = parsePki("ec-root.crt");
  const std::vector<RevocationFacts> r = crlsOf({"ec-int.crl"}).check(raw(chain), raw(root));
  REQUIRE(r.size() == 1);  // only the leaf's issuer has a CRL here
  CHECK(r[0].position == 0);
  CHECK(r[0].fingerprint == fingerprintOfPki("leaf-revoked.crt"));
  CHECK(r[0].covered);
  CHECK(r[0].revoked);
  CHECK(r[0].reason == "keyCompromise");
  REQUIRE(r[0].revoked_at.has_value());
  CHECK(*r[0].revoked_at <= test::now());
  CHECK(*r[0].revoked_at >= test::now() - hours(2));
  REQUIRE(r[0].next_update.has_value());
  CHECK(*r[0].next_update > test::now() + days(6));
}

TEST_CASE("a certificate the CRL covers but does not list") {
  const auto chain = parsePki("leaf-server-fullchain.pem");
  const auto root = parsePki("ec-root.crt");  // signed ec-root's CRL: it must be at hand
  const std::vector<RevocationFacts> r = crlsOf({"crls-all.pem"}).check(raw(chain), raw(root));
  REQUIRE(r.size() == 2);  // ec-int's CRL covers the leaf, ec-root's covers the intermediate
  for (const RevocationFacts& f : r) {
    CHECK(f.covered);
    CHECK_FALSE(f.revoked);
    CHECK(f.reason.empty());
    CHECK_FALSE(f.revoked_at.has_value());
  }
  CHECK(r[0].position == 0);
  CHECK(r[1].position == 1);
}

TEST_CASE("DER CRL") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  const auto r = crlsOf({"ec-int-crl.der"}).check(raw(chain), {});
  REQUIRE(r.size() == 1);
  CHECK(r[0].revoked);
}

TEST_CASE("a stale CRL says so through next_update; the newest CRL of an issuer wins") {
  const auto chain = parsePki("leaf-server-fullchain.pem");
  const auto stale = crlsOf({"ec-int-stale.crl"}).check(raw(chain), {});
  REQUIRE(stale.size() == 1);
  REQUIRE(stale[0].next_update.has_value());
  CHECK(*stale[0].next_update < test::now() - days(9));
  const auto both = crlsOf({"ec-int-stale.crl", "ec-int.crl"}).check(raw(chain), {});
  REQUIRE(both.size() == 1);
  CHECK(*both[0].next_update > test::now());
}

TEST_CASE("the CRL signature is checked against the issuer when it is at hand") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  const auto impostor = parsePki("ec-int-impostor.crt");  // ec-int's name, another key
  const CrlSet crls = crlsOf({"ec-int.crl"});
  SUBCASE("the real issuer verifies it") {
    const auto r = crls.check(raw({chain[0]}), raw({chain[1]}));
    REQUIRE(r.size() == 1);
    CHECK(r[0].revoked);
  }
  SUBCASE("only a same-named impostor at hand: the CRL is not used, and that is said") {
    const auto r = crls.check(raw({chain[0]}), raw(impostor));
    REQUIRE(r.size() == 1);
    CHECK_FALSE(r[0].covered);
    CHECK_FALSE(r[0].revoked);
    CHECK(r[0].problem.find("signature does not verify") != std::string::npos);
  }
  SUBCASE("no issuer at hand: an unverifiable CRL is not used") {
    const auto r = crls.check(raw({chain[0]}), {});
    REQUIRE(r.size() == 1);
    CHECK_FALSE(r[0].revoked);
    CHECK(r[0].problem.find("is not at hand") != std::string::npos);
  }
  SUBCASE("impostor and real issuer: the real one wins") {
    CHECK(crls.check(raw(chain), raw(impostor)).size() == 1);
  }
}

TEST_CASE("certificates from other issuers are not covered; for the leaf that is said") {
  const auto other = parsePki("leaf-other-client-fullchain.pem");
  const auto r = crlsOf({"crls-all.pem"}).check(raw(other), {});
  REQUIRE(r.size() == 1);  // the leaf; the intermediate above it has no CRL to speak of
  CHECK(r[0].position == 0);
  CHECK_FALSE(r[0].covered);
  CHECK(r[0].problem.find("none of the configured CRLs is from its issuer") != std::string::npos);
  CHECK(crlsOf({"ec-int.crl"}).check({}, {}).empty());
}

TEST_CASE("CrlSet::load errors") {
  Result<CrlSet> missing = CrlSet::load({pki("ec-int.crl").parent_path() / "nope.crl"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::NotFound);
  Result<CrlSet> no_crl = CrlSet::load({pki("leaf-server.crt")});
  REQUIRE_FALSE(no_crl.ok());
  CHECK(no_crl.error().message == "no CRL in file");
  Result<CrlSet> garbage = CrlSet::load({pki("garbage.bin")});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.starts_with("not a CRL"));
  Result<CrlSet> none = CrlSet::load({});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("CrlSet::parse reads a CRL file's bytes as load reads the file") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  Result<CrlSet> parsed = CrlSet::parse(testing::readFile(pki("ec-int.crl")));
  REQUIRE(parsed.ok());
  const std::vector<RevocationFacts> r = parsed->check(raw(chain), {});
  REQUIRE(r.size() == 1);
  CHECK(r[0].revoked);
  Result<CrlSet> no_crl = CrlSet::parse(testing::readFile(pki("leaf-server.crt")));
  REQUIRE_FALSE(no_crl.ok());
  CHECK(no_crl.error().message == "no CRL in file");
  CHECK(no_crl.error().context.empty());
  CHECK(CrlSet::parse("").error().message.starts_with("not a CRL"));
}

}  // namespace
}  // namespace certvigil::x509
