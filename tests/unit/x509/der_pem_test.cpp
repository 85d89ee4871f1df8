// SPDX-License-Identifier: Apache-2.0
// pem.h and der.h: block scanning and the certificate shape test.
#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <optional>
#include <string>
#include <vector>

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

/// OpenSSL's own reading of a PEM block: the reference decodePemBlock must agree with.
std::optional<std::string> opensslDecode(const std::string& text) {
  BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  std::optional<std::string> out;
  if (PEM_read_bio(bio, &name, &header, &data, &size) == 1) {
    out = std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
  }
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  BIO_free(bio);
  ERR_clear_error();
  return out;
}

/// A CERTIFICATE block of `der` with base64 lines of `width` characters joined by `eol`.
std::string pemOf(const std::string& der, size_t width, const std::string& eol) {
  std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                reinterpret_cast<const unsigned char*>(der.data()),
                                static_cast<int>(der.size()));
  b64.resize(static_cast<size_t>(n));
  std::string text = "-----BEGIN CERTIFICATE-----" + eol;
  for (size_t i = 0; i < b64.size(); i += width) text += b64.substr(i, width) + eol;
  return text + "-----END CERTIFICATE-----";
}

TEST_CASE("decodePemBlock agrees with PEM_read_bio on every shape, the fast ones and the odd") {
  const std::string der = readFile(pki("leaf-server.der"));
  std::vector<std::string> cases;
  for (size_t cut : {size_t{0}, size_t{1}, size_t{2}}) {  // every padding: none, "=", "=="
    const std::string body = der.substr(0, der.size() - cut);
    cases.push_back(pemOf(body, 64, "\n"));
    cases.push_back(pemOf(body, 64, "\r\n"));
    cases.push_back(pemOf(body, 76, "\n"));
    cases.push_back(pemOf(body, 48, "\n"));
  }
  const std::string plain = pemOf(der, 64, "\n");
  const size_t second_line = plain.find('\n', plain.find('\n') + 1) + 1;
  cases.push_back(plain.substr(0, second_line) + "\n" + plain.substr(second_line));  // blank line
  cases.push_back(plain.substr(0, second_line - 1) + " " + plain.substr(second_line - 1));
  cases.push_back(plain.substr(0, second_line - 2) + "*" + plain.substr(second_line - 1));
  cases.push_back(plain.substr(0, second_line - 2) + "=" + plain.substr(second_line - 1));
  cases.push_back("-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n" +
                  plain.substr(plain.find('\n') + 1));
  cases.push_back("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----");
  const size_t first_eol = plain.find('\n');
  cases.push_back(plain.substr(0, first_eol) + "junk" + plain.substr(first_eol));  // BEGIN line
  cases.push_back(plain.substr(0, first_eol) + " " + plain.substr(first_eol));
  for (const std::string& text : cases) {
    CAPTURE(text);
    const std::optional<std::string> expected = opensslDecode(text);
    const Result<PemData> got = decodePemBlock(text);
    REQUIRE(got.ok() == expected.has_value());
    if (expected) CHECK(got->der == *expected);
  }
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
