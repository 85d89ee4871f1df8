// SPDX-License-Identifier: Apache-2.0
// facts.h: every CertificateFacts field read off real certificates, and the parse cache.
#include "x509/facts.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "tests/unit/x509/x509_test_util.h"

namespace certvigil::x509 {
namespace {
using namespace std::chrono;
using test::certOf;

/// The PKI is made at most an hour before the test runs; dates are relative to that moment.
void checkNear(TimePoint actual, TimePoint expected) {
  CAPTURE(formatRfc3339(actual));
  CAPTURE(formatRfc3339(expected));
  CHECK(actual <= expected + minutes(5));
  CHECK(actual >= expected - hours(2));
}

TEST_CASE("sha256Hex") {
  CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256Hex("").size() == 64);
}

TEST_CASE("server leaf: names, serial, dates, flags, EKU, key, signature, SAN") {
  const CertificateFacts f = *certOf("leaf-server.crt").facts;
  CHECK(f.fingerprint_sha256 == sha256Hex(testing::readFile(testing::pki("leaf-server.der"))));
  CHECK(f.der == testing::readFile(testing::pki("leaf-server.der")));
  CHECK(f.subject == "CN=server.test,O=certvigil test");
  CHECK(f.issuer == "CN=certvigil EC Intermediate,O=certvigil test");
  CHECK(f.common_name == "server.test");
  CHECK(f.serial == "01A2B3C4D5E6F7");
  CHECK(f.not_after - f.not_before == days(366));
  checkNear(f.not_before, test::now() - days(1));
  CHECK_FALSE(f.is_ca);
  CHECK_FALSE(f.self_issued);
  CHECK_FALSE(f.self_signed);
  CHECK(f.has_eku);
  CHECK(f.eku_server_auth);
  CHECK_FALSE(f.eku_client_auth);
  CHECK_FALSE(f.eku_any);
  CHECK(f.keyText() == "EC-256");
  CHECK(f.key_bits == 256);
  CHECK(f.key_curve == "prime256v1");
  CHECK(f.signature_algorithm == "ecdsa-with-SHA256");
  CHECK(f.signature_digest == "sha256");
  CHECK(f.dns_names == std::vector<std::string>{"localhost", "server.test"});
  CHECK(f.ip_addresses == std::vector<std::string>{"127.0.0.1", "::1"});
}

TEST_CASE("roots and intermediates") {
  const CertificateFacts root = *certOf("ec-root.crt").facts;
  CHECK(root.is_ca);
  CHECK(root.self_issued);
  CHECK(root.self_signed);
  CHECK_FALSE(root.has_eku);
  CHECK(root.subject == root.issuer);
  const CertificateFacts rsa = *certOf("rsa-root.crt").facts;
  CHECK(rsa.keyText() == "RSA-2048");
  CHECK(rsa.signature_algorithm == "sha256WithRSAEncryption");
  CHECK(rsa.key_curve.empty());
  const CertificateFacts intermediate = *certOf("ec-int.crt").facts;
  CHECK(intermediate.is_ca);
  CHECK_FALSE(intermediate.self_issued);
  CHECK_FALSE(intermediate.self_signed);
  CHECK_FALSE(certOf("non-ca-issuer.crt").facts->is_ca);
}

TEST_CASE("self-signed leaf") {
  const CertificateFacts f = *certOf("leaf-selfsigned.crt").facts;
  CHECK(f.self_issued);
  CHECK(f.self_signed);
  CHECK_FALSE(f.is_ca);
}

TEST_CASE("EKU combinations") {
  const CertificateFacts client = *certOf("leaf-client.crt").facts;
  CHECK((client.has_eku && client.eku_client_auth && !client.eku_server_auth));
  const CertificateFacts both = *certOf("leaf-both.crt").facts;
  CHECK((both.eku_client_auth && both.eku_server_auth));
  CHECK(both.ekuText() == "serverAuth,clientAuth");
  const CertificateFacts none = *certOf("leaf-noeku.crt").facts;
  CHECK_FALSE(none.has_eku);
  CHECK_FALSE(none.eku_server_auth);
  CHECK_FALSE(none.eku_client_auth);
  const CertificateFacts wrong = *certOf("leaf-server-wrong-eku.crt").facts;
  CHECK((wrong.eku_client_auth && !wrong.eku_server_auth));
}

TEST_CASE("weak signatures and keys") {
  const CertificateFacts sha1 = *certOf("leaf-sha1.crt").facts;
  CHECK(sha1.signature_algorithm == "ecdsa-with-SHA1");
  CHECK(sha1.signature_digest == "sha1");
  const CertificateFacts md5 = *certOf("leaf-md5.crt").facts;
  CHECK(md5.signature_algorithm == "md5WithRSAEncryption");
  CHECK(md5.signature_digest == "md5");
  CHECK(md5.keyText() == "RSA-2048");
  CHECK(certOf("leaf-rsa1024.crt").facts->keyText() == "RSA-1024");
  const CertificateFacts p224 = *certOf("leaf-p224.crt").facts;
  CHECK(p224.keyText() == "EC-224");
  CHECK(p224.key_curve == "secp224r1");
}

TEST_CASE("Ed25519 leaf") {
  const CertificateFacts f = *certOf("leaf-ed25519.crt").facts;
  CHECK((f.key_type == KeyType::Ed25519));
  CHECK(f.key_bits == 255);
  CHECK(f.keyText() == "Ed25519");
  CHECK(f.key_curve.empty());
  // The leaf key is Ed25519; it is signed by the EC intermediate.
  CHECK(f.signature_digest == "sha256");
}

TEST_CASE("Ed25519-signed certificate: no separate digest") {
  const CertificateFacts f = *certOf("leaf-ed25519-selfsigned.crt").facts;
  CHECK(f.signature_algorithm == "ED25519");
  CHECK(f.signature_digest.empty());
  CHECK(f.self_signed);
}

TEST_CASE("dates relative to now") {
  const TimePoint now = test::now();
  checkNear(certOf("leaf-expired.crt").facts->not_after, now - days(10));
  checkNear(certOf("leaf-notyet.crt").facts->not_before, now + days(10));
  checkNear(certOf("leaf-5d.crt").facts->not_after, now + days(5));
  checkNear(certOf("leaf-20d.crt").facts->not_after, now + days(20));
  const CertificateFacts short_lived = *certOf("leaf-short.crt").facts;
  CHECK(short_lived.not_after - short_lived.not_before == hours(24));
  checkNear(short_lived.not_before, now - hours(1));
}

TEST_CASE("UTCTime 1950 and GeneralizedTime 9999") {
  const CertificateFacts f = *certOf("leaf-longdates.crt").facts;
  CHECK(f.not_before == sys_days{year{1950} / January / 1});
  CHECK(f.not_after ==
        sys_days{year{9999} / December / 31} + hours(23) + minutes(59) + seconds(59));
}

TEST_CASE("UTF-8 and special characters in names stay readable, RFC 2253 escaped") {
  const CertificateFacts f = *certOf("leaf-utf8.crt").facts;
  CHECK(f.subject ==
        "CN=utf8.test,OU=ops\\, comma,O=Z\xC3\xBCrich \xC3\x96"
        "ffentlich");
  CHECK(f.common_name == "utf8.test");
}

TEST_CASE("wildcard SAN") {
  CHECK(certOf("leaf-wildcard.crt").facts->dns_names == std::vector<std::string>{"*.wild.test"});
  CHECK(certOf("leaf-client.crt").facts->dns_names.empty());
}

TEST_CASE("parseCertificate rejects what is not exactly one certificate") {
  Result<ParsedCertificate> garbage = parseCertificate("\x30\x03\x02\x01\x01");
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.starts_with("not a certificate: "));
  const std::string der = testing::readFile(testing::pki("leaf-server.der"));
  Result<ParsedCertificate> trailing = parseCertificate(der + "xx");
  REQUIRE_FALSE(trailing.ok());
  CHECK(trailing.error().message == "not a certificate: trailing data after the certificate");
  CHECK_FALSE(parseCertificate("").ok());
}

TEST_CASE("CertificateCache decodes once per fingerprint and prunes unreferenced entries") {
  CertificateCache cache;
  const std::string a = testing::readFile(testing::pki("leaf-server.der"));
  const std::string b = test::readPki("ec-int.crt").certificate_ders.at(0);
  Result<ParsedCertificate> first = cache.get(a);
  REQUIRE(first.ok());
  Result<ParsedCertificate> again = cache.get(a);
  REQUIRE(again.ok());
  CHECK(first->facts.get() == again->facts.get());
  CHECK(first->cert.get() == again->cert.get());
  CHECK(cache.get(b).ok());
  CHECK(cache.size() == 2);
  CHECK_FALSE(cache.get("not der").ok());
  CHECK(cache.size() == 2);
  cache.prune();  // b is no longer held by anyone, a is
  CHECK(cache.size() == 1);
  first = Error{};
  again = Error{};
  cache.prune();
  CHECK(cache.size() == 0);
}

TEST_CASE("CertificateCache is safe to share between threads") {
  CertificateCache cache;
  const std::vector<std::string> ders = {testing::readFile(testing::pki("leaf-server.der")),
                                         test::readPki("ec-int.crt").certificate_ders.at(0),
                                         test::readPki("ec-root.crt").certificate_ders.at(0)};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, &ders] {
      for (int i = 0; i < 200; ++i) {
        Result<ParsedCertificate> got = cache.get(ders[static_cast<size_t>(i) % ders.size()]);
        if (!got.ok()) throw std::runtime_error("cache get failed");
        if (i % 50 == 0) cache.prune();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(cache.size() <= 3);
}

}  // namespace
}  // namespace certvigil::x509
