// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/daemon_collector.h: the small families (build info, config reload,
// certificate count, per-unit scans, process_*) as a prometheus-cpp Collectable, serialized by
// prometheus::TextSerializer. Built per scrape from the snapshot and the daemon status, so a
// unit that leaves the configuration loses its series with no bookkeeping.
// Internal header: it includes prometheus-cpp, which certvigil_exporters links privately.
#pragma once

#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include "core/snapshot.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/process_stats.h"

namespace certvigil::exporters {

/// Collects the daemon-level families. Holds references: use within one scrape.
class DaemonCollector final : public prometheus::Collectable {
 public:
  /// `certificates`: how many certificate series the exposition holds.
  DaemonCollector(const Snapshot& snapshot, const DaemonStatus& status, size_t certificates,
                  const ProcessStats& process);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  void collectDaemon(std::vector<prometheus::MetricFamily>& out) const;
  void collectScans(std::vector<prometheus::MetricFamily>& out) const;
  void collectProcess(std::vector<prometheus::MetricFamily>& out) const;

  const Snapshot& snapshot_;
  const DaemonStatus& status_;
  size_t certificates_;
  const ProcessStats& process_;
};

/// The families serialized in the text format (prometheus::TextSerializer).
std::string serializeFamilies(const std::vector<prometheus::MetricFamily>& families);

}  // namespace certvigil::exporters
