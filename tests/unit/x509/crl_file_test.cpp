// SPDX-License-Identifier: Apache-2.0
// crl_file.h: a CRL file a server checks peers against, read against the server's CAs.
#include "x509/crl_file.h"

#include <doctest/doctest.h>

#include <chrono>

#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
using namespace std::chrono;
using test::fingerprintOfPki;
using test::parsePki;
using test::raw;

std::string bytesOf(const std::vector<std::string>& files) {
  std::string out;
  for (const std::string& f : files) {
    Result<std::string> bytes = readFileCapped(testing::pki(f));
    REQUIRE_MESSAGE(bytes.ok(), f);
    out += *bytes;
  }
  return out;
}

/// The facts of the test-PKI CRL files against the CAs of `issuer_files` (none: not given).
CrlFileFacts describe(const std::vector<std::string>& files,
                      const std::vector<std::string>& issuer_files) {
  std::vector<ParsedCertificate> keep;
  for (const std::string& f : issuer_files) {
    for (auto& c : parsePki(f)) keep.push_back(c);
  }
  const CrlIssuers issuers{raw(keep), !issuer_files.empty()};
  Result<CrlFileFacts> facts = describeCrlFile(bytesOf(files), issuers);
  REQUIRE_MESSAGE(facts.ok(), (facts.ok() ? "" : facts.error().describe()));
  return std::move(*facts);
}

TEST_CASE("every CA of the bundle has a current CRL it signed: dates, no problem, no gap") {
  const CrlFileFacts f = describe({"crls-all.pem"}, {"ec-int.crt", "ec-root.crt"});
  CHECK(f.issuers_given);
  REQUIRE(f.crls.size() == 2);
  CHECK(f.crls[0].issuer.find("CN=") != std::string::npos);
  CHECK(f.crls[0].entries == 1);  // leaf-revoked
  REQUIRE(f.crls[0].next_update.has_value());
  CHECK(*f.crls[0].next_update > test::now() + days(6));
  CHECK(f.crls[0].this_update < test::now());
  for (const CrlFacts& c : f.crls) {
    CHECK(c.problem.empty());
    CHECK_FALSE(c.foreign);
    CHECK_FALSE(c.superseded);
  }
  CHECK(f.gaps.empty());
}

TEST_CASE("a CA of the bundle without a CRL in the file is a gap (nginx: unable to get CRL)") {
  const CrlFileFacts f = describe({"ec-int.crl"}, {"ec-int.crt", "ec-root.crt"});
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].fingerprint == fingerprintOfPki("ec-root.crt"));
  CHECK(f.gaps[0].subject.find("CN=") != std::string::npos);
}

TEST_CASE("a CRL whose signature does not verify with the key of the CA of its name") {
  const CrlFileFacts f = describe({"ec-int.crl"}, {"ec-int-impostor.crt"});
  REQUIRE(f.crls.size() == 1);
  CHECK(f.crls[0].problem.find("signature does not verify") != std::string::npos);
  CHECK_FALSE(f.crls[0].foreign);
}

TEST_CASE("a CRL from no CA of the bundle is never consulted; the bundle's CA is a gap") {
  const CrlFileFacts f = describe({"ec-int.crl"}, {"ec-root.crt"});
  REQUIRE(f.crls.size() == 1);
  CHECK(f.crls[0].foreign);
  CHECK(f.crls[0].problem.empty());
  REQUIRE(f.gaps.size() == 1);
  CHECK(f.gaps[0].fingerprint == fingerprintOfPki("ec-root.crt"));
}

TEST_CASE("of two CRLs of one CA the server uses the current one: the stale one is superseded") {
  const CrlFileFacts f = describe({"ec-int-stale.crl", "ec-int.crl"}, {"ec-int.crt"});
  REQUIRE(f.crls.size() == 2);
  CHECK(f.crls[0].superseded);
  CHECK_FALSE(f.crls[1].superseded);
}

TEST_CASE("without the bundle only the dates are known") {
  const CrlFileFacts f = describe({"ec-int-stale.crl"}, {});
  CHECK_FALSE(f.issuers_given);
  REQUIRE(f.crls.size() == 1);
  CHECK(f.crls[0].problem.empty());
  CHECK_FALSE(f.crls[0].foreign);
  CHECK(f.gaps.empty());
  CHECK(*f.crls[0].next_update < test::now() - days(9));
}

TEST_CASE("a DER CRL; an unknown critical extension makes a CRL unusable") {
  CHECK(describe({"ec-int-crl.der"}, {"ec-int.crt"}).crls.size() == 1);
  const CrlFileFacts f = describe({"j-ec-int-critical.crl"}, {"ec-int.crt"});
  REQUIRE(f.crls.size() == 1);
  CHECK(f.crls[0].problem.find("critical extension") != std::string::npos);
}

TEST_CASE("bytes that hold no CRL are an error") {
  CHECK_FALSE(describeCrlFile("-----BEGIN CERTIFICATE-----\n", {}).ok());
  CHECK_FALSE(describeCrlFile("garbage", {}).ok());
  CHECK_FALSE(describeCrlFile("", {}).ok());
}

}  // namespace
}  // namespace certvigil::x509
