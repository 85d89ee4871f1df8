// SPDX-License-Identifier: Apache-2.0
// storage/history_rows.h: the read model of the history, one row type per kind of data, shared
// by every reader (StateStore for the CLI, HistoryReader for the API and the CLI) so the same
// data is never spelled twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/alert_event.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil::storage {

/// A run of consecutive scans of one unit that found the same thing (one row of `scans`).
struct ScanSummary {
  int64_t id = 0;
  std::string unit;
  TargetKind kind = TargetKind::File;
  TimePoint started_at{};       ///< the run's first scan
  TimePoint last_started_at{};  ///< the run's newest scan (== started_at for a run of one)
  size_t count = 1;             ///< scans in the run
  double duration_seconds = 0;  ///< of the newest scan
  std::string outcome;          ///< "ok" | "failed"
  size_t targets = 0;
  size_t findings = 0;
};

/// An alert event and, per notifier that has a delivery cursor, "handled" (delivered,
/// rejected, dropped or filtered) or "pending". A repeat lists only the notifier it is for.
struct EventRow {
  AlertEvent event;
  std::vector<std::pair<std::string, std::string>> delivery;  ///< by notifier name
};

}  // namespace certvigil::storage
