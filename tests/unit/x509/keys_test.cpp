// SPDX-License-Identifier: Apache-2.0
// keys.h: does the key belong to the certificate, who may read the key file.
#include "x509/keys.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
namespace fs = std::filesystem;
using test::certOf;
using testing::pki;

PkeyPtr keyOf(const std::string& name, const std::string& password = {}) {
  Result<PkeyPtr> key = readPrivateKey(testing::readFile(pki(name)), password);
  REQUIRE(key.ok());
  return std::move(*key);
}

TEST_CASE("keyMatchesCertificate") {
  const auto server = certOf("leaf-server.crt");
  CHECK(keyMatchesCertificate(keyOf("leaf-server.key").get(), server.cert.get()));
  CHECK(keyMatchesCertificate(keyOf("leaf-server-sec1.key").get(), server.cert.get()));
  CHECK_FALSE(keyMatchesCertificate(keyOf("leaf-server-mismatched.key").get(), server.cert.get()));
  CHECK_FALSE(keyMatchesCertificate(keyOf("leaf-rsa.key").get(), server.cert.get()));
  CHECK(
      keyMatchesCertificate(keyOf("leaf-rsa-pkcs1.key").get(), certOf("leaf-rsa.crt").cert.get()));
  CHECK(keyMatchesCertificate(keyOf("leaf-ed25519.key").get(),
                              certOf("leaf-ed25519.crt").cert.get()));
  CHECK_FALSE(keyMatchesCertificate(nullptr, server.cert.get()));
  CHECK_FALSE(keyMatchesCertificate(keyOf("leaf-server.key").get(), nullptr));
}

TEST_CASE("inspectKeyFile: a good key, mode 0600") {
  const auto server = certOf("leaf-server.crt");
  const KeyFacts k = inspectKeyFile(pki("leaf-server.key"), "", server.cert.get());
  CHECK(k.path == pki("leaf-server.key").string());
  CHECK(k.readable);
  CHECK(k.problem.empty());
  CHECK(k.matches);
  CHECK(k.mode == 0600);
  CHECK_FALSE(k.group_or_other_readable);
}

TEST_CASE("inspectKeyFile: mode 0644 is group/other readable") {
  const KeyFacts k =
      inspectKeyFile(pki("leaf-server-0644.key"), "", certOf("leaf-server.crt").cert.get());
  CHECK(k.mode == 0644);
  CHECK(k.group_or_other_readable);
  CHECK(k.matches);
}

TEST_CASE("inspectKeyFile: any group/other permission bit counts, owner bits do not") {
  testing::TempDir dir;
  const fs::path path =
      testing::writeFile(dir / "k.key", testing::readFile(pki("leaf-server.key")));
  const auto check = [&](fs::perms perms, bool expected) {
    fs::permissions(path, perms);
    const KeyFacts k = inspectKeyFile(path, "", nullptr);
    const unsigned mode = k.mode;
    CAPTURE(mode);
    CHECK(k.group_or_other_readable == expected);
  };
  check(fs::perms::owner_read, false);
  check(fs::perms::owner_read | fs::perms::owner_write, false);
  check(fs::perms::owner_read | fs::perms::group_read, true);
  check(fs::perms::owner_read | fs::perms::group_write, true);
  check(fs::perms::owner_read | fs::perms::others_read, true);
}

TEST_CASE("inspectKeyFile: a key that is not the certificate's") {
  const KeyFacts k =
      inspectKeyFile(pki("leaf-server-mismatched.key"), "", certOf("leaf-server.crt").cert.get());
  CHECK(k.readable);
  CHECK_FALSE(k.matches);
}

TEST_CASE("inspectKeyFile: encrypted key with and without its password") {
  const auto server = certOf("leaf-server.crt");
  const KeyFacts locked = inspectKeyFile(pki("leaf-server-encrypted.key"), "", server.cert.get());
  CHECK_FALSE(locked.readable);
  CHECK(locked.problem == "encrypted private key and no password given (password_file)");
  CHECK(locked.matches);  // unknown is never reported as a mismatch
  const KeyFacts open =
      inspectKeyFile(pki("leaf-server-encrypted.key"), "certvigil-test", server.cert.get());
  CHECK(open.readable);
  CHECK(open.matches);
}

TEST_CASE("inspectKeyFile: other key encodings and combined files") {
  const auto server = certOf("leaf-server.crt");
  CHECK(inspectKeyFile(pki("leaf-server-key.der"), "", server.cert.get()).matches);
  CHECK(inspectKeyFile(pki("leaf-server-with-key.pem"), "", server.cert.get()).matches);
  const auto rsa = certOf("leaf-rsa.crt");
  const KeyFacts pkcs1 =
      inspectKeyFile(pki("leaf-rsa-pkcs1-encrypted.key"), "certvigil-test", rsa.cert.get());
  CHECK(pkcs1.readable);
  CHECK(pkcs1.matches);
}

TEST_CASE("inspectKeyFile: missing file and a file without a key") {
  const KeyFacts missing =
      inspectKeyFile(pki("leaf-server.key").parent_path() / "nope.key", "", nullptr);
  CHECK_FALSE(missing.readable);
  CHECK(missing.problem == "no such file or directory");
  const KeyFacts cert = inspectKeyFile(pki("leaf-server.crt"), "", nullptr);
  CHECK_FALSE(cert.readable);
  CHECK(cert.problem == "no PRIVATE KEY block in the file");
}

}  // namespace
}  // namespace certvigil::x509
