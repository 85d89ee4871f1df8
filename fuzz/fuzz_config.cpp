// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_config.cpp: the config loader (config::loadFromString: yaml-cpp, the typed reader,
// validation) on arbitrary YAML. It never opens the files the config names.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string yaml(certvigil::fuzz::asText(data, size));
  const certvigil::config::LoadOutcome outcome =
      certvigil::config::loadFromString(yaml, "/fuzz/certvigil.yaml");
  for (const auto& problem : outcome.problems) (void)problem.describe();
  return 0;
}
