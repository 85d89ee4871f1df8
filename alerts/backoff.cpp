// SPDX-License-Identifier: Apache-2.0
#include "alerts/backoff.h"

#include <algorithm>

namespace certvigil::alerts {

Millis BackoffPolicy::delay(int failures, double unit_random,
                            std::optional<Millis> retry_after) const {
  Millis ceiling = first;
  // Doubling stops at the cap, so a long outage cannot overflow the count.
  for (int i = 1; i < failures && ceiling < cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  const auto half = ceiling / 2;
  Millis wait = half + Millis(static_cast<Millis::rep>(static_cast<double>(half.count()) * r));
  if (retry_after) wait = std::max(wait, std::min(*retry_after, cap));
  return std::max(wait, Millis(1));
}

}  // namespace certvigil::alerts
