// SPDX-License-Identifier: Apache-2.0
// crl.h: CrlSet::checkCertificate, the verdict from a CRL fetched from a certificate's
// distribution point, judged against the next certificate of its path.
#include <doctest/doctest.h>

#include "tests/unit/x509/x509_test_util.h"
#include "x509/crl.h"

namespace certvigil::x509 {
namespace {
using test::fingerprintOfPki;
using test::parsePki;
using testing::pki;

CrlSet fetched(const std::string& file) {
  Result<CrlSet> set = CrlSet::parse(testing::readFile(pki(file)));
  REQUIRE(set.ok());
  return std::move(*set);
}

TEST_CASE("a fetched CRL from the issuer lists the revoked leaf") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  const RevocationFacts r =
      fetched("ec-int-crl.der")
          .checkCertificate(chain[0].cert.get(), chain[1].cert.get(), test::now());
  CHECK(r.fingerprint == fingerprintOfPki("leaf-revoked.crt"));
  CHECK(r.covered);
  CHECK(r.revoked);
  CHECK(r.reason == "keyCompromise");
  CHECK(r.problem.empty());
}

TEST_CASE("a fetched CRL that covers and does not list the leaf") {
  const auto chain = parsePki("leaf-server-fullchain.pem");
  const RevocationFacts r =
      fetched("ec-int.crl").checkCertificate(chain[0].cert.get(), chain[1].cert.get(), test::now());
  CHECK(r.covered);
  CHECK_FALSE(r.revoked);
  REQUIRE(fetched("ec-int.crl").nextUpdate().has_value());
}

TEST_CASE("a fetched CRL that cannot give a verdict says why, never revoked") {
  const auto chain = parsePki("leaf-revoked-fullchain.pem");
  SUBCASE("another issuer's CRL") {
    const RevocationFacts r =
        fetched("ec-root.crl")
            .checkCertificate(chain[0].cert.get(), chain[1].cert.get(), test::now());
    CHECK_FALSE(r.covered);
    CHECK_FALSE(r.revoked);
    CHECK(r.problem.find("not from the issuer") != std::string::npos);
  }
  SUBCASE("signed by a same-named impostor") {
    const auto impostor = parsePki("ec-int-impostor.crt");
    const RevocationFacts r =
        fetched("ec-int.crl")
            .checkCertificate(chain[0].cert.get(), impostor[0].cert.get(), test::now());
    CHECK_FALSE(r.revoked);
    // Caught by the key identifier before the signature is even tried.
    CHECK(r.problem.find("authority key identifier is not the issuer's key") != std::string::npos);
  }
  SUBCASE("no issuer on the path") {
    const RevocationFacts r =
        fetched("ec-int.crl").checkCertificate(chain[0].cert.get(), nullptr, test::now());
    CHECK_FALSE(r.revoked);
    CHECK(r.problem.find("not on the path") != std::string::npos);
  }
  SUBCASE("a CRL from the future (thisUpdate after now)") {
    const RevocationFacts r = fetched("ec-int.crl")
                                  .checkCertificate(chain[0].cert.get(), chain[1].cert.get(),
                                                    test::now() - std::chrono::hours(24 * 30));
    CHECK_FALSE(r.revoked);
    CHECK(r.problem.find("from the future") != std::string::npos);
  }
}

}  // namespace
}  // namespace certvigil::x509
