// SPDX-License-Identifier: Apache-2.0
// tests/system/time_scale_overrides.cpp: the system tests' build of the daemon
// (certvigil_time_scaled: daemon/main.cpp with this file instead of daemon/build_overrides.cpp).
// CERTVIGIL_TEST_TIME_SCALE, a number in (0, 1], multiplies every alert delivery interval, so
// that tests/system/040-alerts.sh sees backoff and resends in seconds. The certvigil binary
// does not read it.
#include <cstdlib>
#include <string>

#include "core/log.h"
#include "daemon/build_overrides.h"

namespace certvigil::daemon {

void applyBuildOverrides(RunOptions& options) {
  const char* text = std::getenv("CERTVIGIL_TEST_TIME_SCALE");
  if (text == nullptr) return;
  char* end = nullptr;
  const double factor = std::strtod(text, &end);
  if (end == text || !(factor > 0.0 && factor <= 1.0)) return;
  log::warning("CERTVIGIL_TEST_TIME_SCALE=" + std::string(text) +
               ": alert delivery intervals are scaled down (test build)");
  options.alert_delivery = options.alert_delivery.scaled(factor);
}

}  // namespace certvigil::daemon
