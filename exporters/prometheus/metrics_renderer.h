// exporters/prometheus/metrics_renderer.h: /metrics in the Prometheus text exposition format
// 0.0.4, built at scrape time from the latest Snapshot. Certificate, finding and probe families
// (one series per certificate, up to ~10^5) take a fast path: the lines of each TargetResult
// (labels escaped, values formatted) are built once and cached (TargetSeriesCache), and a
// scrape copies them into one pooled, already-mapped buffer (BufferPool). The few daemon-level
// families go through prometheus-cpp (DaemonCollector + TextSerializer). Everything comes from
// the snapshot, so a certificate that is gone loses its series on the next scrape.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/snapshot.h"
#include "exporters/prometheus/buffer_pool.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/process_stats.h"
#include "exporters/prometheus/target_series_cache.h"

namespace certvigil::exporters {

/// The Content-Type of the text exposition format.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

/// A rendered exposition in a pooled buffer: dropping the last reference returns the buffer
/// (and its already-mapped capacity) to the renderer for the next scrape. May outlive the
/// renderer.
using Exposition = std::shared_ptr<const std::string>;

/// Renders expositions from snapshots. Thread-safe: concurrent scrapes take turns on the cache.
class MetricsRenderer {
 public:
  /// The whole exposition; process_* read from /proc/self. What /metrics serves.
  Exposition renderExposition(const Snapshot& snapshot, const DaemonStatus& status);
  /// The whole exposition with the given process readings (deterministic, for tests).
  Exposition renderExposition(const Snapshot& snapshot, const DaemonStatus& status,
                              const ProcessStats& process);
  /// A copy of renderExposition(snapshot, status, process), for callers that want a string.
  std::string render(const Snapshot& snapshot, const DaemonStatus& status,
                     const ProcessStats& process);

  /// Only the series of one target (probe_success, probe_duration_seconds, certificate and
  /// finding families), uncached: for /probe, which answers for one target at a time.
  static std::string renderTarget(const TargetResult& result);

  /// Number of TargetResults whose lines are cached.
  size_t cachedTargets() const;
  /// Cache entries built since construction (a warm scrape of an unchanged snapshot adds none).
  uint64_t cacheBuilds() const;

 private:
  mutable std::mutex mutex_;  ///< guards cache_ and last_size_
  TargetSeriesCache cache_;
  std::shared_ptr<BufferPool> buffers_ = BufferPool::create();
  size_t last_size_ = 0;  ///< size of the previous exposition, to reserve the next one
};

/// The first target of `snapshot` named `name` (observation.target), or nullptr.
TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name);

}  // namespace certvigil::exporters
