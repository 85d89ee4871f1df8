// exporters/prometheus/metrics_renderer.h: /metrics in the Prometheus text exposition format
// 0.0.4, built at scrape time from the latest Snapshot. The per-target families (one series per
// certificate, up to ~10^5) are written from the snapshot by TargetSeriesWriter; the few
// daemon-level families go through prometheus-cpp (DaemonCollector + TextSerializer). Only the
// escaped cert_info labels of each distinct certificate are kept between scrapes
// (FactsLabelCache); everything else comes from the snapshot, so a certificate that is gone
// loses its series on the next scrape with no bookkeeping.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>

#include "core/snapshot.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/facts_label_cache.h"
#include "exporters/prometheus/process_stats.h"
#include "exporters/prometheus/target_families.h"

namespace certvigil::exporters {

/// The Content-Type of the text exposition format.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// Renders expositions from snapshots. Thread-safe: concurrent scrapes take turns.
class MetricsRenderer {
 public:
  /// The whole exposition; process_* read from /proc/self. What /metrics serves.
  std::string render(const Snapshot& snapshot, const DaemonStatus& status);
  /// The whole exposition with the given process readings (deterministic, for tests).
  std::string render(const Snapshot& snapshot, const DaemonStatus& status,
                     const ProcessStats& process);

  /// Only the series of one target (probe_success, probe_duration_seconds, certificate and
  /// finding families): for /probe, which answers for one target at a time.
  static std::string renderTarget(const TargetResult& result);

 private:
  std::mutex mutex_;  ///< guards everything below
  FactsLabelCache facts_;
  TargetSeriesWriter writer_;  ///< kept for its buffers (~200 bytes per certificate)
  /// Size of the last exposition: the next one reserves a little more, so a large exposition
  /// is written into one allocation instead of growing by copies.
  size_t last_size_ = 0;
};

/// The first target of `snapshot` named `name` (observation.target), or nullptr.
TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name);

}  // namespace certvigil::exporters
