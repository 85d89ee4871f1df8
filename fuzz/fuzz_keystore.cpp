// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_keystore.cpp: the Java keystore reader (x509/java_keystore.h) on arbitrary bytes
// behind a JKS or JCEKS magic number (byte 1 picks which, so the fuzzer never has to find it),
// without and with the seeds' password "changeit", then readMaterial on the same bytes and the
// X.509 decode of every certificate found. Invariant: a certificate is never longer than the
// input it came from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz/fuzz_input.h"
#include "x509/facts.h"
#include "x509/java_keystore.h"

namespace {

void parse(const std::string& bytes, const std::string& password) {
  const certvigil::Result<certvigil::x509::JavaKeystore> ks =
      certvigil::x509::parseJavaKeystore(bytes, password);
  if (!ks) return;
  for (const auto& entry : ks->entries) {
    for (const std::string& der : entry.certificate_ders) {
      if (der.size() > bytes.size()) std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = certvigil::fuzz::asText(data, size);
  const unsigned char selector = certvigil::fuzz::takeSelector(input);
  // Inputs that already start with a magic number (the seeds) are taken as they are.
  std::string bytes(input);
  if (!certvigil::x509::javaKeystoreType(bytes)) {
    bytes.insert(0, (selector & 1U) != 0 ? "\xCE\xCE\xCE\xCE" : "\xFE\xED\xFE\xED");
  }
  parse(bytes, "");
  parse(bytes, "changeit");
  const certvigil::x509::Material material = certvigil::x509::readMaterial(bytes, {"changeit"});
  for (const auto& entry : material.key_entries) {
    for (const std::string& der : entry.certificate_ders)
      (void)certvigil::x509::parseCertificate(der);
  }
  for (const std::string& der : material.certificate_ders) {
    (void)certvigil::x509::parseCertificate(der);
  }
  return 0;
}
