// SPDX-License-Identifier: Apache-2.0
// reader.h: every supported encoding of certificates and keys, on real test-PKI files.
#include "x509/reader.h"

#include <doctest/doctest.h>

#include <openssl/evp.h>

#include "tests/support/test_support.h"
#include "tests/unit/x509/x509_test_util.h"
#include "x509/keys.h"

namespace certvigil::x509 {
namespace {
using test::readPki;
using testing::pki;
using testing::readFile;

const std::string kPassword = "certvigil-test";

std::string derOfPki(const std::string& name) { return readPki(name).certificate_ders.at(0); }

TEST_CASE("PEM with several blocks keeps file order") {
  const Material m = readPki("leaf-server-fullchain.pem");
  CHECK(m.format == FileFormat::Pem);
  CHECK(m.problems.empty());
  REQUIRE(m.certificate_ders.size() == 2);
  CHECK(m.certificate_ders[0] == readFile(pki("leaf-server.der")));
  CHECK(m.certificate_ders[1] == derOfPki("ec-int.crt"));
  CHECK(m.private_key_blocks == 0);
}

TEST_CASE("CRLF line endings and text around blocks read like plain PEM") {
  const Material plain = readPki("leaf-server-fullchain.pem");
  for (const std::string name :
       {"leaf-server-fullchain-crlf.pem", "leaf-server-fullchain-text.pem"}) {
    CAPTURE(name);
    const Material m = readPki(name);
    CHECK(m.problems.empty());
    CHECK(m.certificate_ders == plain.certificate_ders);
  }
}

TEST_CASE("TRUSTED CERTIFICATE yields the plain certificate without OpenSSL's trust data") {
  const Material m = readPki("ec-root-trusted.pem");
  CHECK(m.problems.empty());
  REQUIRE(m.certificate_ders.size() == 1);
  CHECK(m.certificate_ders[0] == derOfPki("ec-root.crt"));
}

TEST_CASE("X509 CERTIFICATE label is a certificate") {
  const Material m = readPki("leaf-server-x509-label.pem");
  CHECK(m.problems.empty());
  REQUIRE(m.certificate_ders.size() == 1);
  CHECK(m.certificate_ders[0] == readFile(pki("leaf-server.der")));
}

TEST_CASE("DER certificate") {
  const Material m = readPki("leaf-server.der");
  CHECK(m.format == FileFormat::Der);
  CHECK(m.problems.empty());
  REQUIRE(m.certificate_ders.size() == 1);
  CHECK(m.certificate_ders[0] == readFile(pki("leaf-server.der")));
}

TEST_CASE("DER private key") {
  const Material m = readPki("leaf-server-key.der");
  CHECK(m.format == FileFormat::Der);
  CHECK(m.problems.empty());
  CHECK(m.certificate_ders.empty());
  CHECK(m.private_key_blocks == 1);
  REQUIRE(m.private_keys.size() == 1);
  CHECK(keyMatchesCertificate(m.private_keys[0].get(), test::certOf("leaf-server.crt").cert.get()));
}

TEST_CASE("certificate and key in one PEM file") {
  const Material m = readPki("leaf-server-with-key.pem");
  CHECK(m.problems.empty());
  CHECK(m.certificate_ders.size() == 2);
  CHECK(m.private_key_blocks == 1);
  REQUIRE(m.private_keys.size() == 1);
  CHECK(keyMatchesCertificate(m.private_keys[0].get(), test::certOf("leaf-server.crt").cert.get()));
}

TEST_CASE("an encrypted key without a password is counted, not a problem") {
  const std::string bytes =
      readFile(pki("leaf-server.crt")) + readFile(pki("leaf-server-encrypted.key"));
  const Material m = readMaterial(bytes);
  CHECK(m.problems.empty());
  CHECK(m.private_key_blocks == 1);
  CHECK(m.private_keys.empty());
  SUBCASE("with the password it is decoded") {
    const Material decoded = readMaterial(bytes, ReadOptions{kPassword});
    CHECK(decoded.private_keys.size() == 1);
  }
  SUBCASE("with a wrong password it is a problem") {
    const Material wrong = readMaterial(bytes, ReadOptions{"nope"});
    REQUIRE(wrong.problems.size() == 1);
    CHECK(wrong.problems[0].detail ==
          "block 2 (ENCRYPTED PRIVATE KEY): encrypted private key: wrong password (password_file)");
  }
}

TEST_CASE("PKCS#12 modern (AES-256) and legacy (RC2/3DES) with password") {
  const auto leaf = test::certOf("leaf-client.crt");
  for (const std::string name : {"leaf-client.p12", "leaf-client-legacy.p12"}) {
    CAPTURE(name);
    const Material m = readPki(name, kPassword);
    CHECK(m.format == FileFormat::Pkcs12);
    CHECK(m.problems.empty());
    REQUIRE(m.certificate_ders.size() == 2);
    CHECK(m.certificate_ders[0] == leaf.facts->der);
    CHECK(m.certificate_ders[1] == derOfPki("ec-int.crt"));
    CHECK(m.private_key_blocks == 1);
    REQUIRE(m.private_keys.size() == 1);
    CHECK(keyMatchesCertificate(m.private_keys[0].get(), leaf.cert.get()));
  }
}

TEST_CASE("PKCS#12 with a wrong or missing password is a clear parse_error") {
  for (const std::string password : {"", "wrong"}) {
    for (const std::string name : {"leaf-client.p12", "leaf-client-legacy.p12"}) {
      CAPTURE(name);
      const Material m = readPki(name, password);
      CHECK(m.format == FileFormat::Pkcs12);
      CHECK(m.certificate_ders.empty());
      REQUIRE(m.problems.size() == 1);
      CHECK(test::codeOf(m.problems[0]) == "parse_error");
      CHECK(m.problems[0].detail == "PKCS#12: wrong or missing password (password_file)");
    }
  }
}

TEST_CASE("PKCS#12 with an empty password opens without one") {
  const Material m = readPki("leaf-client-nopass.p12");
  CHECK(m.problems.empty());
  CHECK(m.certificate_ders.size() == 2);
  CHECK(m.private_keys.size() == 1);
}

TEST_CASE("private keys: PEM and DER, PKCS#1, SEC1 and PKCS#8, RSA, EC and Ed25519") {
  struct Case {
    const char* file;
    int type;
    const char* password;
  };
  const Case cases[] = {
      {"leaf-server.key", EVP_PKEY_EC, ""},
      {"leaf-server-pkcs8.key", EVP_PKEY_EC, ""},
      {"leaf-server-sec1.key", EVP_PKEY_EC, ""},
      {"leaf-server-key.der", EVP_PKEY_EC, ""},
      {"leaf-server-encrypted.key", EVP_PKEY_EC, "certvigil-test"},
      {"leaf-rsa-pkcs1.key", EVP_PKEY_RSA, ""},
      {"leaf-rsa-pkcs1-encrypted.key", EVP_PKEY_RSA, "certvigil-test"},
      {"leaf-rsa.key", EVP_PKEY_RSA, ""},
      {"leaf-ed25519.key", EVP_PKEY_ED25519, ""},
      {"leaf-server-with-key.pem", EVP_PKEY_EC, ""},
  };
  for (const Case& c : cases) {
    const std::string file = c.file;
    CAPTURE(file);
    Result<PkeyPtr> key = readPrivateKey(readFile(pki(c.file)), c.password);
    REQUIRE_MESSAGE(key.ok(), (key.ok() ? "" : key.error().message));
    CHECK(EVP_PKEY_get_base_id(key->get()) == c.type);
  }
}

TEST_CASE("encrypted keys: missing and wrong passwords say so") {
  for (const std::string file : {"leaf-server-encrypted.key", "leaf-rsa-pkcs1-encrypted.key"}) {
    CAPTURE(file);
    Result<PkeyPtr> missing = readPrivateKey(readFile(pki(file)), "");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message == "encrypted private key and no password given (password_file)");
    Result<PkeyPtr> wrong = readPrivateKey(readFile(pki(file)), "wrong");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().message == "encrypted private key: wrong password (password_file)");
  }
}

TEST_CASE("readPrivateKey on something that holds no key") {
  Result<PkeyPtr> cert = readPrivateKey(readFile(pki("leaf-server.crt")), "");
  REQUIRE_FALSE(cert.ok());
  CHECK(cert.error().message == "no PRIVATE KEY block in the file");
  Result<PkeyPtr> empty = readPrivateKey("", "");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "empty file");
  Result<PkeyPtr> garbage = readPrivateKey(readFile(pki("garbage.bin")), "");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.starts_with("not a private key"));
}

TEST_CASE("bundles: key blocks are counted") {
  CHECK(readPki("bundle-private-key.pem").private_key_blocks == 1);
  CHECK(readPki("bundle-good.pem").private_key_blocks == 0);
  CHECK(readPki("ca-all.pem").certificate_ders.size() == 5);
}

TEST_CASE("enableLegacyAlgorithms is idempotent") {
  enableLegacyAlgorithms();
  enableLegacyAlgorithms();
  CHECK(readPki("leaf-client-legacy.p12", kPassword).problems.empty());
}

}  // namespace
}  // namespace certvigil::x509
