// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_material.cpp: the certificate / private key / PKCS#12 reader (x509/reader.h) on
// arbitrary file bytes, without and with a password (the seeds' "changeit"), then the X.509
// decode and facts of every certificate it found and the private-key loader.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.h"
#include "x509/facts.h"
#include "x509/reader.h"

namespace {

void readAll(std::string_view bytes, const certvigil::x509::ReadOptions& options) {
  const certvigil::x509::Material material = certvigil::x509::readMaterial(bytes, options);
  for (const std::string& der : material.certificate_ders) {
    (void)certvigil::x509::parseCertificate(der);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool legacy = [] {
    certvigil::x509::enableLegacyAlgorithms();
    return true;
  }();
  (void)legacy;
  const std::string_view bytes = certvigil::fuzz::asText(data, size);
  readAll(bytes, {});
  readAll(bytes, {.password = "changeit"});
  (void)certvigil::x509::readPrivateKey(bytes, "changeit");
  return 0;
}
