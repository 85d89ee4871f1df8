// SPDX-License-Identifier: Apache-2.0
// scheduler/endpoint_scanner.h: scans endpoint units. Unlike files (one unit at a time, read
// only when changed), every due endpoint is probed in one concurrent batch — one event loop,
// `concurrency` handshakes in flight — and each unit's targets (the endpoint, one per address
// with all_addresses, and the client certificate it presents) are judged by the same checks.
#pragma once

#include <functional>
#include <vector>

#include "scheduler/scan_unit.h"
#include "scheduler/unit_scanner.h"

namespace certvigil::scheduler {

/// Probes and judges every unit (all of kind Endpoint); result[i] belongs to units[i].
/// `heartbeat` is called every few seconds while probes run.
std::vector<UnitOutcome> scanEndpointUnits(const std::vector<const ScanUnit*>& units,
                                           const ScanContext& context,
                                           probers::EndpointProber& prober,
                                           const std::function<void()>& heartbeat = {});

/// Judges one observation into a target result of `unit` (the checks and roles); file units
/// use it too.
TargetResultPtr judgeObservation(Observation obs, const SharedText& unit,
                                 const ScanContext& context);

/// judgeObservation, unless the result `context.previous` published for the same target would
/// come out again: the same unit, the same observation (its timing aside) and the same findings
/// now. That result is handed back, its timing refreshed to `obs`'s; a new one still points at
/// the endpoint facts of the one before when they are equal. A sweep in which nothing
/// changed allocates nothing that outlives it (no new results among the sweep's transient
/// memory, which fragmented the heap sweep after sweep), and the recorder sees the very objects
/// it recorded last time (no diff).
TargetResultPtr judgeOrKeep(Observation obs, const SharedText& unit, const ScanContext& context);

}  // namespace certvigil::scheduler
