// SPDX-License-Identifier: Apache-2.0
// lean_provider.h: a thread's library context offers only the decoders of public keys, and a
// certificate of every key type the default provider knows decodes in it as in the default
// context, its key whole and its signature checkable.
#include "x509/lean_provider.h"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <thread>

#include <openssl/decoder.h>
#include <openssl/dsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "x509/facts.h"
#include "x509/handles.h"
#include "x509/thread_library.h"

namespace certvigil::x509 {
namespace {

struct DecoderCensus {
  int all = 0;
  int of_public_keys = 0;
};

DecoderCensus censusOfDefaultContext() {
  DecoderCensus census;
  OSSL_DECODER_do_all_provided(
      nullptr,
      [](OSSL_DECODER* decoder, void* arg) {
        auto* c = static_cast<DecoderCensus*>(arg);
        ++c->all;
        const char* properties = OSSL_DECODER_get0_properties(decoder);
        if (std::strstr(properties, "structure=SubjectPublicKeyInfo") != nullptr) {
          ++c->of_public_keys;
        }
      },
      &census);
  return census;
}

PkeyPtr generate(const char* type, void (*tune)(EVP_PKEY_CTX*) = nullptr) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr), EVP_PKEY_CTX_free);
  REQUIRE_MESSAGE(ctx, type);
  REQUIRE(EVP_PKEY_keygen_init(ctx.get()) == 1);
  if (tune != nullptr) tune(ctx.get());
  EVP_PKEY* key = nullptr;
  REQUIRE_MESSAGE(EVP_PKEY_generate(ctx.get(), &key) == 1, type);
  return PkeyPtr(key);
}

// DSA keys need domain parameters first; 1024/160 keeps the test fast.
PkeyPtr generateDsa() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "DSA", nullptr), EVP_PKEY_CTX_free);
  REQUIRE(ctx);
  REQUIRE(EVP_PKEY_paramgen_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_dsa_paramgen_bits(ctx.get(), 1024) == 1);
  REQUIRE(EVP_PKEY_CTX_set_dsa_paramgen_q_bits(ctx.get(), 160) == 1);
  EVP_PKEY* parameters = nullptr;
  REQUIRE(EVP_PKEY_paramgen(ctx.get(), &parameters) == 1);
  PkeyPtr owned_parameters(parameters);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> keygen(
      EVP_PKEY_CTX_new_from_pkey(nullptr, parameters, nullptr), EVP_PKEY_CTX_free);
  REQUIRE(EVP_PKEY_keygen_init(keygen.get()) == 1);
  EVP_PKEY* key = nullptr;
  REQUIRE(EVP_PKEY_generate(keygen.get(), &key) == 1);
  return PkeyPtr(key);
}

// A certificate for subject_key signed by issuer_key (Ed25519: it signs any key type, even
// X25519 ones, which cannot sign themselves), as DER.
std::string certificateFor(EVP_PKEY* subject_key, EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  REQUIRE(cert);
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = "lean.test";
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  REQUIRE(X509_set_pubkey(cert.get(), subject_key) == 1);
  REQUIRE(X509_sign(cert.get(), issuer_key, nullptr) > 0);
  unsigned char* der = nullptr;
  const int size = i2d_X509(cert.get(), &der);
  REQUIRE(size > 0);
  std::string out(reinterpret_cast<const char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  return out;
}

CertificateFacts factsInDefaultContext(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  REQUIRE(cert);
  return extractFacts(cert.get());
}

void tuneRsaBits(EVP_PKEY_CTX* ctx) { REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, 2048) == 1); }
void tuneP256(EVP_PKEY_CTX* ctx) { REQUIRE(EVP_PKEY_CTX_set_group_name(ctx, "P-256") == 1); }
void tuneP384(EVP_PKEY_CTX* ctx) { REQUIRE(EVP_PKEY_CTX_set_group_name(ctx, "P-384") == 1); }

TEST_CASE("lean library: a thread's context offers the public-key decoders and no others") {
  const DecoderCensus census = censusOfDefaultContext();
  REQUIRE(census.of_public_keys > 0);
  REQUIRE(census.of_public_keys < census.all);
  CHECK(decoderCount(threadLibrary()) == census.of_public_keys);
  OSSL_LIB_CTX* other = nullptr;
  std::thread([&other] { other = threadLibrary(); }).join();
  CHECK(decoderCount(other) == census.of_public_keys);
  CHECK(decoderCount(nullptr) == census.all);  // the default context keeps them all
}

TEST_CASE("lean library: every key type decodes whole, with the facts of the default context") {
  const PkeyPtr issuer = generate("ED25519");
  const PkeyPtr stranger = generate("ED25519");
  struct Case {
    const char* name;
    PkeyPtr key;
  };
  Case cases[] = {{"RSA", generate("RSA", tuneRsaBits)},
                  {"RSA-PSS", generate("RSA-PSS", tuneRsaBits)},
                  {"EC P-256", generate("EC", tuneP256)},
                  {"EC P-384", generate("EC", tuneP384)},
                  {"Ed25519", generate("ED25519")},
                  {"Ed448", generate("ED448")},
                  {"X25519", generate("X25519")},
                  {"X448", generate("X448")},
                  {"SM2", generate("SM2")},
                  {"DSA", generateDsa()}};
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string der = certificateFor(c.key.get(), issuer.get());
    Result<ParsedCertificate> parsed = parseCertificate(der);  // in this thread's context
    REQUIRE(parsed.ok());
    EVP_PKEY* decoded = X509_get0_pubkey(parsed->cert.get());
    REQUIRE(decoded != nullptr);
    CHECK(EVP_PKEY_eq(decoded, c.key.get()) == 1);
    const CertificateFacts expected = factsInDefaultContext(der);
    CHECK(expected.key_type != KeyType::Unknown);
    CHECK(parsed->facts->key_type == expected.key_type);
    CHECK(parsed->facts->key_bits == expected.key_bits);
    CHECK(parsed->facts->key_curve == expected.key_curve);
    // The signature check runs on the backing context's provider: right key yes, wrong key no.
    CHECK(X509_verify(parsed->cert.get(), issuer.get()) == 1);
    CHECK(X509_verify(parsed->cert.get(), stranger.get()) != 1);
  }
}

}  // namespace
}  // namespace certvigil::x509
