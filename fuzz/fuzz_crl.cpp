// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_crl.cpp: CRL loading (x509::CrlSet::parse: PEM with many CRLs, or DER), then the
// revocation check of a fixed leaf and its CA against whatever CRLs were read (issuer match,
// signature verification, the serial lookup, reason and dates).
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz/crl_fixture.h"
#include "fuzz/fuzz_input.h"
#include "x509/crl.h"

namespace {

X509* certificateFrom(const char* pem) {
  BIO* bio = BIO_new_mem_buf(pem, -1);
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) __builtin_trap();  // the fixture is broken: regenerate it
  return cert;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Decoded once and kept for the life of the process (not leaks: still reachable).
  static X509* const issuer = certificateFrom(certvigil::fuzz::kCrlIssuerPem);
  static X509* const leaf = certificateFrom(certvigil::fuzz::kCrlLeafPem);
  const auto crls = certvigil::x509::CrlSet::parse(certvigil::fuzz::asText(data, size));
  if (!crls) return 0;
  (void)crls->check({leaf, issuer}, {issuer});
  (void)crls->check({leaf}, {});
  return 0;
}
