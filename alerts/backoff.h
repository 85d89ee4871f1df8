// SPDX-License-Identifier: Apache-2.0
// alerts/backoff.h: when to try a failing notifier again. Exponential with "equal jitter": the
// n-th consecutive failure waits between half and all of min(cap, first * 2^(n-1)), so many
// daemons that lost the same receiver do not all come back at the same instant, and the wait
// never exceeds the cap. Pure: the caller supplies the random draw.
#pragma once

#include <chrono>
#include <optional>

namespace certvigil::alerts {

using Millis = std::chrono::milliseconds;

struct BackoffPolicy {
  Millis first{1000};  ///< the ceiling of the first wait ("about 1 s")
  Millis cap{300000};  ///< no wait is longer (5 min)

  /// The wait after `failures` consecutive failures (>= 1). `unit_random` in [0, 1) picks the
  /// point in [ceiling / 2, ceiling). A receiver's Retry-After, if longer, wins (up to the cap).
  Millis delay(int failures, double unit_random, std::optional<Millis> retry_after = {}) const;
};

}  // namespace certvigil::alerts
