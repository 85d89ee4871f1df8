// SPDX-License-Identifier: Apache-2.0
// core/policy.h: the judging parameters checks take besides the observation and `now`.
#pragma once

#include "core/client.h"
#include "core/time.h"

namespace certvigil {

/// expires_soon fires when time left <= min(days, fraction x lifetime), per level.
struct Thresholds {
  Seconds warning{Seconds{28 * 86400}};
  Seconds critical{Seconds{7 * 86400}};
  double warning_fraction = 0.33;
  double critical_fraction = 0.10;
};

struct Policy {
  Thresholds thresholds;
  /// The clients whose verdict matters (`clients:`): where clients differ, a finding is
  /// critical when one of these rejects, a warning when only others would.
  ClientSet clients = ClientSet::defaults();
};

}  // namespace certvigil
