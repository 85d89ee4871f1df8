// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_ari.cpp: the ACME renewal information parsers (revocation/ari.h) on arbitrary
// bytes: what an ACME CA (or anything answering at its URL) sends. The first byte selects the
// document: even, a RenewalInfo answer; odd, an ACME directory. Neither may crash, throw,
// recurse without bound, or accept a window that ends before it starts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_input.h"
#include "revocation/ari.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = certvigil::fuzz::asText(data, size);
  const unsigned char selector = certvigil::fuzz::takeSelector(input);
  if (selector % 2 == 0) {
    const auto info = certvigil::revocation::parseRenewalInfo(input);
    if (info.ok() && info->end <= info->start) std::abort();
  } else {
    const auto url = certvigil::revocation::parseDirectoryRenewalInfo(input);
    if (url.ok() && !url->starts_with("http")) std::abort();
  }
  return 0;
}
