// SPDX-License-Identifier: Apache-2.0
#include "scheduler/schedule.h"

#include <algorithm>

namespace certvigil::scheduler {

double splayFraction(const std::string& unit, uint64_t salt) {
  // FNV-1a: stable across runs and platforms (std::hash is not).
  uint64_t h = 1469598103934665603ULL ^ salt;
  for (unsigned char c : unit) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  return static_cast<double>(h % 1000000ULL) / 1e6;
}

TimePoint firstRun(const std::string& /*unit*/, TimePoint start) { return start; }

Seconds nextDelay(const std::string& unit, Seconds interval, uint64_t run) {
  const double max_splay = std::min(static_cast<double>(interval.count()) * 0.1, 300.0);
  const auto splay = static_cast<int64_t>(splayFraction(unit, run) * max_splay);
  return interval + Seconds{splay};
}

TimePoint nextRun(const std::string& unit, TimePoint last_start, Seconds interval, uint64_t run) {
  return last_start + nextDelay(unit, interval, run);
}

}  // namespace certvigil::scheduler
