// SPDX-License-Identifier: Apache-2.0
// scheduler/schedule.h: when each unit runs next — a pure function, tested on a fake clock.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace certvigil::scheduler {

/// The first run after startup: at once, so that a freshly started daemon shows data. Probes are
/// bounded by the concurrency limit, not by spreading the start, and later runs drift apart by
/// their splay.
TimePoint firstRun(const std::string& unit, TimePoint start);

/// How long after a run's start the next one starts: one interval plus a splay of up to 10 % of
/// the interval (at most 5 minutes), stable for a unit and run number, so units that share an
/// interval drift apart instead of firing together. A duration: the Monitor adds it to the
/// monotonic clock, so a wall clock that steps neither stalls nor bunches the runs.
Seconds nextDelay(const std::string& unit, Seconds interval, uint64_t run);

/// The next run after a run that started at `last_start`: `last_start + nextDelay(...)`.
TimePoint nextRun(const std::string& unit, TimePoint last_start, Seconds interval, uint64_t run);

/// Deterministic per (unit, salt) value in [0, 1).
double splayFraction(const std::string& unit, uint64_t salt);

}  // namespace certvigil::scheduler
