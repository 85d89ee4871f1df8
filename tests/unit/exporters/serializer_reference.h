// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/serializer_reference.h: the straightforward way to render /metrics —
// every series as a prometheus::ClientMetric, serialized by prometheus::TextSerializer. Used as
// the correctness reference for the fast path and as the baseline of the render benchmark.
#pragma once

#include <string>

#include "core/snapshot.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/process_stats.h"

namespace certvigil::testing {

/// The same exposition MetricsRenderer::render writes (sample for sample), built the slow way.
std::string renderWithSerializer(const Snapshot& snapshot, const exporters::DaemonStatus& status,
                                 const exporters::ProcessStats& process);

}  // namespace certvigil::testing
