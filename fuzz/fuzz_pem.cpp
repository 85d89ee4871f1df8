// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_pem.cpp: the PEM splitter (x509/pem.h): delimiters, CRLF, truncated and empty
// blocks, then OpenSSL's base64 decode of every block found and the problem text.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.h"
#include "x509/pem.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = certvigil::fuzz::asText(data, size);
  (void)certvigil::x509::looksLikePem(bytes);
  for (const certvigil::x509::PemBlock& block : certvigil::x509::splitPem(bytes)) {
    // The block's text must lie inside the input it was split from.
    if (block.text.data() < bytes.data() ||
        block.text.data() + block.text.size() > bytes.data() + bytes.size()) {
      __builtin_trap();
    }
    const auto decoded = certvigil::x509::decodePemBlock(block.text);
    (void)certvigil::x509::describeBlock(block, decoded ? "ok" : decoded.error().message);
  }
  return 0;
}
