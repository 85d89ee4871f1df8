// SPDX-License-Identifier: Apache-2.0
// pem.h and der.h: block scanning and the certificate shape test.
#include <doctest/doctest.h>

#include "tests/unit/x509/x509_test_util.h"
#include "x509/der.h"
#include "x509/pem.h"

namespace certvigil::x509 {
namespace {
using testing::pki;
using testing::readFile;

TEST_CASE("splitPem finds blocks, labels and their state") {
  const std::string bytes =
      "intro text\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
      "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"
      "-----BEGIN X509 CRL-----\nBBBB\n";
  const std::vector<PemBlock> blocks = splitPem(bytes);
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].index == 1);
  CHECK(blocks[0].label == "CERTIFICATE");
  CHECK(blocks[0].text == "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----");
  CHECK_FALSE(blocks[0].empty);
  CHECK_FALSE(blocks[0].truncated);
  CHECK(blocks[1].label == "PRIVATE KEY");
  CHECK(blocks[1].empty);
  CHECK(blocks[2].label == "X509 CRL");
  CHECK(blocks[2].truncated);
  CHECK(describeBlock(blocks[2], "x") == "block 3 (X509 CRL): x");
}

TEST_CASE("splitPem: an END with another label does not close a block") {
  const std::vector<PemBlock> blocks =
      splitPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n");
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].truncated);
}

TEST_CASE("looksLikePem") {
  CHECK(looksLikePem(readFile(pki("leaf-server.crt"))));
  CHECK_FALSE(looksLikePem(readFile(pki("leaf-server.der"))));
  CHECK_FALSE(looksLikePem(""));
}

TEST_CASE("decodePemBlock") {
  Result<PemData> good = decodePemBlock(readFile(pki("leaf-server.crt")));
  REQUIRE(good.ok());
  CHECK(good->label == "CERTIFICATE");
  CHECK(good->der == readFile(pki("leaf-server.der")));
  Result<PemData> bad = decodePemBlock(readFile(pki("bad-base64.pem")));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("bad base64 decode") != std::string::npos);
}

TEST_CASE("looksLikeCertificate: certificates yes, CRLs, keys and PKCS#12 no") {
  CHECK(looksLikeCertificate(readFile(pki("leaf-server.der"))));
  CHECK_FALSE(looksLikeCertificate(readFile(pki("ec-int-crl.der"))));
  CHECK_FALSE(looksLikeCertificate(readFile(pki("leaf-server-key.der"))));
  CHECK_FALSE(looksLikeCertificate(readFile(pki("leaf-client.p12"))));
  CHECK_FALSE(looksLikeCertificate(readFile(pki("leaf-server.der")) + "x"));
  CHECK_FALSE(looksLikeCertificate(""));
  const std::string der = readFile(pki("leaf-server.der"));
  for (size_t n = 0; n < der.size(); ++n) CHECK_FALSE(looksLikeCertificate(der.substr(0, n)));
}

TEST_CASE("whyNotCertificate gives OpenSSL's reason") {
  CHECK_FALSE(whyNotCertificate(readFile(pki("leaf-server.der"))).has_value());
  const auto why = whyNotCertificate(readFile(pki("ec-int-crl.der")));
  REQUIRE(why.has_value());
  CHECK_FALSE(why->empty());
}

TEST_CASE("firstDerElement") {
  const std::string der = readFile(pki("leaf-server.der"));
  CHECK(firstDerElement(der + "trailing aux data") == der);
  CHECK(firstDerElement("").empty());
  CHECK(firstDerElement("\x30\x82\x01").empty());
}

}  // namespace
}  // namespace certvigil::x509
