// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_input.h: helpers shared by the libFuzzer targets (fuzz/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace certvigil::fuzz {

/// The fuzzer's bytes as text.
inline std::string_view asText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Takes the first byte off `input` as a selector (0 when empty).
inline unsigned char takeSelector(std::string_view& input) {
  if (input.empty()) return 0;
  const auto selector = static_cast<unsigned char>(input.front());
  input.remove_prefix(1);
  return selector;
}

}  // namespace certvigil::fuzz
