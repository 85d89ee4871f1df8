// SPDX-License-Identifier: Apache-2.0
// reader.h on hostile input: every broken file is a ReadProblem with a useful detail, never a
// crash or a hang.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_support.h"
#include "tests/unit/x509/x509_test_util.h"
#include "x509/reader.h"

namespace certvigil::x509 {
namespace {
using test::readPki;
using testing::pki;
using testing::readFile;

const std::string kEmptyBlock = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";

TEST_CASE("zero bytes") {
  const Material m = readPki("empty.pem");
  CHECK(m.certificate_ders.empty());
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
  CHECK(m.problems[0].detail == "empty file");
  CHECK(readMaterial(" \n\r\n").problems.at(0).detail == "empty file (only whitespace)");
}

TEST_CASE("binary garbage") {
  const Material m = readPki("garbage.bin");
  CHECK(m.certificate_ders.empty());
  CHECK(m.private_keys.empty());
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
  CHECK(m.problems[0].detail.starts_with("not a PEM, DER or PKCS#12 certificate or key file ("));
}

TEST_CASE("plain text without any PEM block") {
  const Material m = readMaterial("hello, I am not a certificate\n");
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
}

TEST_CASE("truncated PEM: BEGIN without END") {
  const Material m = readPki("truncated.pem");
  CHECK(m.certificate_ders.empty());
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
  CHECK(m.problems[0].detail ==
        "block 1 (CERTIFICATE): truncated (BEGIN without a matching END line)");
}

TEST_CASE("a truncated block followed by a good one: the good one still counts") {
  const std::string bytes = readFile(pki("truncated.pem")) + readFile(pki("ec-int.crt"));
  const Material m = readMaterial(bytes);
  CHECK(m.certificate_ders.size() == 1);
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0].detail.starts_with("block 1 (CERTIFICATE): truncated"));
}

TEST_CASE("empty PEM block is pem_empty, the blocks around it still read") {
  const Material m = readPki("bundle-empty-block.pem");
  CHECK(m.certificate_ders.size() == 2);
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "pem_empty");
  CHECK(m.problems[0].detail ==
        "block 2 (CERTIFICATE): empty PEM block (nothing between BEGIN and END)");
  SUBCASE("with CRLF and blank lines inside") {
    const Material crlf =
        readMaterial("-----BEGIN CERTIFICATE-----\r\n\r\n-----END CERTIFICATE-----");
    REQUIRE(crlf.problems.size() == 1);
    CHECK(test::codeOf(crlf.problems[0]) == "pem_empty");
  }
  SUBCASE("alone") {
    const Material alone = readMaterial(kEmptyBlock);
    REQUIRE(alone.problems.size() == 1);
    CHECK(test::codeOf(alone.problems[0]) == "pem_empty");
  }
}

TEST_CASE("bad base64 carries OpenSSL's reason") {
  const Material m = readPki("bad-base64.pem");
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
  CHECK(m.problems[0].detail.starts_with("block 1 (CERTIFICATE): cannot decode PEM block: "));
  CHECK(m.problems[0].detail.find("bad base64 decode") != std::string::npos);
}

TEST_CASE("a CERTIFICATE block whose DER is not a certificate") {
  const Material m = readPki("not-a-cert.pem");
  CHECK(m.certificate_ders.empty());
  REQUIRE(m.problems.size() == 1);
  CHECK(test::codeOf(m.problems[0]) == "parse_error");
  CHECK(m.problems[0].detail.starts_with("block 1 (CERTIFICATE): not a certificate: "));
}

TEST_CASE("a corrupt private key block is a problem") {
  const Material m = readMaterial(
      "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n"
      "-----END PRIVATE KEY-----\n");
  CHECK(m.private_key_blocks == 1);
  CHECK(m.private_keys.empty());
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0].detail.starts_with("block 1 (PRIVATE KEY): not a private key"));
}

TEST_CASE("other PEM blocks are skipped, a lone BEGIN marker in text is noise") {
  const std::string bytes =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
      "-----END EC PARAMETERS-----\n"
      "-----BEGIN \x01\x02 not a label\n" +
      readFile(pki("leaf-server.crt"));
  const Material m = readMaterial(bytes);
  CHECK(m.problems.empty());
  CHECK(m.certificate_ders.size() == 1);
}

// Every prefix and single-byte corruption of good files: no crash (ASan/UBSan in CI), and the
// result is always either certificates or a problem.
TEST_CASE("truncations and bit flips never crash") {
  for (const std::string name :
       {"leaf-server.der", "leaf-server-fullchain.pem", "leaf-client.p12", "leaf-server-key.der"}) {
    CAPTURE(name);
    const std::string good = readFile(pki(name));
    for (size_t n = 0; n < good.size(); n += 5) {
      const Material m = readMaterial(std::string_view(good).substr(0, n), ReadOptions{"x"});
      CHECK((m.certificate_ders.size() + m.problems.size() + m.private_key_blocks) > 0);
    }
    for (size_t i = 0; i < good.size(); i += 11) {
      std::string flipped = good;
      flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
      const Material m = readMaterial(flipped);
      CHECK((m.certificate_ders.size() + m.problems.size() + m.private_key_blocks) > 0);
    }
  }
}

}  // namespace
}  // namespace certvigil::x509
