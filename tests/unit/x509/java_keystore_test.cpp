// SPDX-License-Identifier: Apache-2.0
// java_keystore.h: JKS and JCEKS files made by keytool (tests/pki/make_keystores.sh), their
// integrity digest, and truncated, corrupt and hostile variants of them.
#include "x509/java_keystore.h"

#include <doctest/doctest.h>

#include "tests/support/test_support.h"
#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
using testing::keystore;
using testing::readFile;

const std::string kPassword = "certvigil-test";

std::string derOfPki(const std::string& name) { return test::readPki(name).certificate_ders.at(0); }

Material readStore(const std::string& name, const std::string& password) {
  return readMaterial(readFile(keystore(name)), {password});
}

const KeystoreEntry* findEntry(const JavaKeystore& ks, const std::string& alias) {
  for (const KeystoreEntry& e : ks.entries) {
    if (e.alias == alias) return &e;
  }
  return nullptr;
}

TEST_CASE("keytool's JKS and JCEKS: key entries with their chains, trusted certificates") {
  for (const std::string name : {"ks.jks", "ks.jceks"}) {
    CAPTURE(name);
    const std::string bytes = readFile(keystore(name));
    CHECK(javaKeystoreType(bytes) == (name == "ks.jks" ? KeystoreType::Jks : KeystoreType::Jceks));
    Result<JavaKeystore> ks = parseJavaKeystore(bytes, kPassword);
    REQUIRE(ks.ok());
    CHECK(ks->damage.empty());
    CHECK(ks->integrity == KeystoreIntegrity::Verified);
    REQUIRE(ks->entries.size() == 3);
    const KeystoreEntry* server = findEntry(*ks, "leaf-server");
    REQUIRE(server != nullptr);
    CHECK(server->kind == KeystoreEntryKind::PrivateKey);
    REQUIRE(server->certificate_ders.size() == 2);
    CHECK(server->certificate_ders[0] == derOfPki("leaf-server.crt"));
    CHECK(server->certificate_ders[1] == derOfPki("ec-int.crt"));
    const KeystoreEntry* root = findEntry(*ks, "ec-root");
    REQUIRE(root != nullptr);
    CHECK(root->kind == KeystoreEntryKind::TrustedCertificate);
    CHECK(root->certificate_ders == std::vector<std::string>{derOfPki("ec-root.crt")});
    REQUIRE(findEntry(*ks, "leaf-expired") != nullptr);
  }
}

TEST_CASE("the integrity digest: verified, failed with a wrong password, unchecked without") {
  const std::string bytes = readFile(keystore("ks.jks"));
  CHECK(parseJavaKeystore(bytes, kPassword)->integrity == KeystoreIntegrity::Verified);
  CHECK(parseJavaKeystore(bytes, "changeit")->integrity == KeystoreIntegrity::Failed);
  CHECK(parseJavaKeystore(bytes, "")->integrity == KeystoreIntegrity::NotChecked);
  SUBCASE("one flipped bit in a certificate fails it with the right password") {
    std::string altered = bytes;
    altered[altered.size() / 2] = static_cast<char>(altered[altered.size() / 2] ^ 1);
    CHECK(parseJavaKeystore(altered, kPassword)->integrity == KeystoreIntegrity::Failed);
  }
  SUBCASE("the password is UTF-16BE: a non-ASCII password is not its UTF-8 bytes") {
    const std::string content = "\xFE\xED\xFE\xED";
    CHECK_FALSE(keystoreDigestMatches(content, std::string(20, '\0'), "p\xC3\xA4ss"));
  }
}

TEST_CASE("readMaterial: trusted entries are trust material, key entries targets of their own") {
  const Material m = readStore("ks.jks", kPassword);
  CHECK(m.format == FileFormat::Jks);
  CHECK(m.problems.empty());
  CHECK(m.trust_store);
  CHECK(m.certificate_ders == std::vector<std::string>{derOfPki("ec-root.crt")});
  REQUIRE(m.key_entries.size() == 2);
  CHECK(m.private_key_blocks == 0);
}

TEST_CASE("readMaterial: a wrong password is a parse_error that says so, entries still read") {
  const Material m = readStore("ks.jceks", "wrong");
  CHECK(m.format == FileFormat::Jceks);
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0].code == FindingCode::ParseError);
  CHECK(m.problems[0].detail == "JCEKS: " + std::string(kKeystoreBadPassword));
  CHECK(m.key_entries.size() == 2);
}

TEST_CASE("the magic decides, whatever the extension or text inside") {
  CHECK_FALSE(javaKeystoreType("").has_value());
  CHECK_FALSE(javaKeystoreType("\xFE\xED\xFE").has_value());
  CHECK(javaKeystoreType(std::string("\xCE\xCE\xCE\xCE", 4)) == KeystoreType::Jceks);
  CHECK_FALSE(parseJavaKeystore("-----BEGIN CERTIFICATE-----", "").ok());
  std::string bytes = readFile(keystore("truststore.jks"));
  const Material m = readMaterial(bytes, {kPassword});
  CHECK(m.format == FileFormat::Jks);
  CHECK(m.certificate_ders.size() == 2);
}

TEST_CASE("every truncation of a real keystore is damage, never a crash or an overread") {
  const std::string bytes = readFile(keystore("ks.jks"));
  for (size_t size = 0; size < bytes.size(); ++size) {
    CAPTURE(size);
    const std::string cut = bytes.substr(0, size);
    Result<JavaKeystore> ks = parseJavaKeystore(cut, kPassword);
    if (size < 4) {
      CHECK_FALSE(ks.ok());
      continue;
    }
    REQUIRE(ks.ok());
    // A cut that happens to end on an entry boundary still fails the digest.
    CHECK((!ks->damage.empty() || ks->integrity == KeystoreIntegrity::Failed));
    const Material m = readMaterial(cut, {kPassword});
    CHECK_FALSE(m.problems.empty());
  }
}

TEST_CASE("hostile lengths and counts are damage, with what came before kept") {
  const std::string bytes = readFile(keystore("truststore.jks"));
  SUBCASE("a count of 2^32-1 entries") {
    std::string hostile = bytes;
    hostile.replace(8, 4, "\xFF\xFF\xFF\xFF");
    Result<JavaKeystore> ks = parseJavaKeystore(hostile, "");
    REQUIRE(ks.ok());
    CHECK(ks->entries.size() == 2);
    CHECK(ks->damage.find("entry 3 of 4294967295: truncated") == 0);
  }
  SUBCASE("a certificate length past the end of the file") {
    std::string hostile = bytes;
    // entry 1: tag (4), alias length (2) + alias, time (8), type "X.509" (2 + 5), length.
    const size_t alias =
        (static_cast<unsigned char>(bytes[16]) << 8U) | static_cast<unsigned char>(bytes[17]);
    const size_t length_at = 12 + 4 + 2 + alias + 8 + 7;
    hostile.replace(length_at, 4, "\x7F\xFF\xFF\xFF");
    Result<JavaKeystore> ks = parseJavaKeystore(hostile, "");
    REQUIRE(ks.ok());
    CHECK(ks->entries.empty());
    CHECK(ks->damage.find("truncated") != std::string::npos);
  }
  SUBCASE("an unknown version is not read at all") {
    std::string hostile = bytes;
    hostile.replace(4, 4, std::string("\x00\x00\x00\x07", 4));
    Result<JavaKeystore> ks = parseJavaKeystore(hostile, "");
    REQUIRE_FALSE(ks.ok());
    CHECK(ks.error().message == "unknown JKS version 7");
    const Material m = readMaterial(hostile, {});
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].detail == "JKS: unknown JKS version 7");
  }
  SUBCASE("an unknown entry type") {
    std::string hostile = bytes;
    hostile.replace(12, 4, std::string("\x00\x00\x00\x09", 4));
    Result<JavaKeystore> ks = parseJavaKeystore(hostile, "");
    REQUIRE(ks.ok());
    CHECK(ks->damage == "entry 1 of 2: unknown entry type 9");
  }
}

}  // namespace
}  // namespace certvigil::x509

namespace certvigil::x509 {
namespace {

// fuzz/corpus/keystore/secret.jceks (fuzz/make_seeds.sh, password "changeit"): a key entry, an
// AES secret key and a trusted certificate, in the order keytool wrote them.
TEST_CASE("a JCEKS secret key: read up to it, the entries after it reported as not read") {
  const std::string bytes = readFile(testing::sourceDir() / "fuzz/corpus/keystore/secret.jceks");
  Result<JavaKeystore> ks = parseJavaKeystore(bytes, "changeit");
  REQUIRE(ks.ok());
  CHECK(ks->integrity == KeystoreIntegrity::Verified);  // the digest covers the whole file
  CHECK(ks->damage.empty());
  size_t secret = ks->entries.size();
  for (size_t i = 0; i < ks->entries.size(); ++i) {
    if (ks->entries[i].kind == KeystoreEntryKind::SecretKey) secret = i;
  }
  REQUIRE(secret < ks->entries.size());
  CHECK(secret == ks->entries.size() - 1);  // reading stops at it
  CHECK(ks->entries_not_read == 3 - ks->entries.size());
  const Material m = readMaterial(bytes, {"changeit"});
  CHECK(m.problems.size() == (ks->entries_not_read > 0 ? 1 : 0));
}

}  // namespace
}  // namespace certvigil::x509
