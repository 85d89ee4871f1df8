// SPDX-License-Identifier: Apache-2.0
// tests/unit/revocation/ari_test.cpp: revocation/ari.h — the ARI certificate identifier (the
// RFC 9773 §4.1 example), RenewalInfo and directory parsing, and `acme:` entry matching.
#include "revocation/ari.h"

#include <doctest/doctest.h>
#include <openssl/x509v3.h>

#include <memory>

namespace certvigil::revocation {
namespace {

// RFC 9773 §4.1: keyIdentifier 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4,
// serial 0x87654321 (DER content 00 87 65 43 21: the sign octet is part of it).
const std::string kRfcKeyId =
    "\x69\x88\x5B\x6B\x87\x46\x40\x41\xE1\xB3\x7B\x84\x7B\xA0\xAE\x2C\xDE\x01\xC8\xD4";
constexpr const char* kRfcCertId = "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE";

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

/// A bare certificate with only a serial and, when `key_id` is not empty, an AKI.
X509Ptr certificateWith(uint64_t serial, const std::string& key_id) {
  X509Ptr cert(X509_new(), &X509_free);
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serial);
  if (!key_id.empty()) {
    AUTHORITY_KEYID* akid = AUTHORITY_KEYID_new();
    akid->keyid = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(akid->keyid, reinterpret_cast<const unsigned char*>(key_id.data()),
                          static_cast<int>(key_id.size()));
    X509_add1_ext_i2d(cert.get(), NID_authority_key_identifier, akid, 0, X509V3_ADD_DEFAULT);
    AUTHORITY_KEYID_free(akid);
  }
  return cert;
}

}  // namespace

TEST_CASE("base64url without padding") {
  CHECK(base64Url("") == "");
  CHECK(base64Url("f") == "Zg");
  CHECK(base64Url("fo") == "Zm8");
  CHECK(base64Url("foo") == "Zm9v");
  CHECK(base64Url("\xfb\xff") == "-_8");
}

TEST_CASE("the ARI identifier of the RFC 9773 example") {
  CHECK(ariCertId(kRfcKeyId, std::string("\x00\x87\x65\x43\x21", 5)) == kRfcCertId);

  SUBCASE("from a certificate: the serial's sign octet is kept") {
    X509Ptr cert = certificateWith(0x87654321, kRfcKeyId);
    Result<std::string> id = ariCertId(cert.get());
    REQUIRE(id.ok());
    CHECK(*id == kRfcCertId);
    CHECK(authorityKeyIdHex(cert.get()) == "69885b6b87464041e1b37b847ba0ae2cde01c8d4");
  }
  SUBCASE("a serial without the high bit set has no sign octet") {
    X509Ptr cert = certificateWith(0x01, kRfcKeyId);
    Result<std::string> id = ariCertId(cert.get());
    REQUIRE(id.ok());
    CHECK(*id == "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AQ");
  }
  SUBCASE("no authorityKeyIdentifier: no identifier") {
    X509Ptr cert = certificateWith(0x87654321, "");
    CHECK_FALSE(ariCertId(cert.get()).ok());
    CHECK(authorityKeyIdHex(cert.get()).empty());
  }
}

TEST_CASE("a RenewalInfo answer") {
  SUBCASE("the RFC's example, with an explanation URL") {
    Result<RenewalInfo> info = parseRenewalInfo(R"({
      "suggestedWindow": {"start": "2025-01-02T04:00:00Z", "end": "2025-01-03T04:00:00Z"},
      "explanationURL": "https://acme.example.com/docs/ari"})");
    REQUIRE(info.ok());
    CHECK(formatRfc3339(info->start) == "2025-01-02T04:00:00Z");
    CHECK(formatRfc3339(info->end) == "2025-01-03T04:00:00Z");
    CHECK(info->explanation_url == "https://acme.example.com/docs/ari");
  }
  SUBCASE("fractional seconds and offsets; unknown fields ignored") {
    Result<RenewalInfo> info = parseRenewalInfo(
        R"({"suggestedWindow":{"start":"2025-01-02T05:00:00.123+01:00","end":"2025-01-03T04:00:00Z",)"
        R"("extra":1},"other":[1,2]})");
    REQUIRE(info.ok());
    CHECK(formatRfc3339(info->start) == "2025-01-02T04:00:00Z");
    CHECK(info->explanation_url.empty());
  }
  SUBCASE("an explanation URL that is not a printable http(s) URL is dropped") {
    for (const char* url : {"javascript:alert(1)", "https://a.example/x\\ny", "ftp://x.example"}) {
      CAPTURE(url);
      Result<RenewalInfo> info =
          parseRenewalInfo(std::string(R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z",)") +
                           R"("end":"2025-01-03T04:00:00Z"},"explanationURL":")" + url + "\"}");
      REQUIRE(info.ok());
      CHECK(info->explanation_url.empty());
    }
  }
  SUBCASE("what is not a window is an error, never a throw") {
    for (const char* text :
         {"", "garbage", "[]", "null", "{}", R"({"suggestedWindow":"soon"})",
          R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z"}})",
          R"({"suggestedWindow":{"start":5,"end":"2025-01-03T04:00:00Z"}})",
          R"({"suggestedWindow":{"start":"yesterday","end":"2025-01-03T04:00:00Z"}})",
          R"({"suggestedWindow":{"start":"2025-01-03T04:00:00Z","end":"2025-01-02T04:00:00Z"}})",
          R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-02T04:00:00Z"}})",
          R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"})"}) {
      CAPTURE(text);
      CHECK_FALSE(parseRenewalInfo(text).ok());
    }
  }
  SUBCASE("deep nesting is refused before parsing") {
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    CHECK_FALSE(parseRenewalInfo(deep).ok());
    CHECK_FALSE(parseRenewalInfo(R"({"a":)" + deep + "}").ok());
  }
}

TEST_CASE("an ACME directory's renewalInfo URL") {
  Result<std::string> url = parseDirectoryRenewalInfo(
      R"({"newNonce":"https://ca.example/nonce","renewalInfo":"https://ca.example/renewal-info",)"
      R"("meta":{"website":"https://ca.example"}})");
  REQUIRE(url.ok());
  CHECK(*url == "https://ca.example/renewal-info");
  CHECK_FALSE(parseDirectoryRenewalInfo(R"({"newNonce":"https://ca.example/nonce"})").ok());
  CHECK_FALSE(parseDirectoryRenewalInfo(R"({"renewalInfo":"file:///etc/passwd"})").ok());
  CHECK_FALSE(parseDirectoryRenewalInfo(R"({"renewalInfo":42})").ok());
  CHECK_FALSE(parseDirectoryRenewalInfo("<html>").ok());
}

TEST_CASE("which acme: entry a leaf belongs to") {
  const std::vector<config::AcmeConfig> entries = {
      {"https://le.example/directory", "CN=R11,O=Let's Encrypt,C=US", "", ""},
      {"https://internal.example/directory", "", "69885b", ""},
      {"https://edge.example/directory", "", "", "/etc/edge/*/cert.pem"},
      {"https://both.example/directory", "CN=Both", "0a0b", ""},
  };
  SUBCASE("by issuer name, spacing and case aside") {
    CHECK(acmeEntryFor(entries, {"CN=R11, O=Let's Encrypt, C=US", "00", "/x.pem"}) == &entries[0]);
    CHECK(acmeEntryFor(entries, {"cn=r11,o=let's encrypt,c=us", "00", "/x.pem"}) == &entries[0]);
  }
  SUBCASE("by key identifier") {
    CHECK(acmeEntryFor(entries, {"CN=Other", "69885b", "/x.pem"}) == &entries[1]);
  }
  SUBCASE("by target glob: * does not cross /") {
    CHECK(acmeEntryFor(entries, {"CN=Other", "00", "/etc/edge/a/cert.pem"}) == &entries[2]);
    CHECK(acmeEntryFor(entries, {"CN=Other", "00", "/etc/edge/a/b/cert.pem"}) == nullptr);
  }
  SUBCASE("every selector an entry names must match") {
    CHECK(acmeEntryFor(entries, {"CN=Both", "0a0b", "/x.pem"}) == &entries[3]);
    CHECK(acmeEntryFor(entries, {"CN=Both", "ffff", "/x.pem"}) == nullptr);
    CHECK(acmeEntryFor(entries, {"CN=Other", "00", "/x.pem"}) == nullptr);
  }
  SUBCASE("an entry naming nothing matches every leaf; none at all matches nothing") {
    const std::vector<config::AcmeConfig> any = {{"https://ca.example/directory", "", "", ""}};
    CHECK(acmeEntryFor(any, {"CN=Whoever", "", "api.example:443"}) == &any[0]);
    CHECK(acmeEntryFor({}, {"CN=Whoever", "", "api.example:443"}) == nullptr);
  }
}

}  // namespace certvigil::revocation
