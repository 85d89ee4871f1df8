// exporters/prometheus/metrics_renderer.h: /metrics in the Prometheus text exposition format
// 0.0.4, built at scrape time from the latest Snapshot. The per-target families (one series per
// certificate, up to ~10^5) take a fast path (TargetSeriesWriter): the snapshot is gathered into
// compact rows and a contiguous arena of escaped labels, which are kept and written again by
// every scrape that sees the same results (the scheduler shares unchanged TargetResults, so that
// is every scrape between two scans). cert_info labels are cached per distinct certificate
// (FactsLabelCache). The few daemon-level families go through prometheus-cpp (DaemonCollector +
// TextSerializer). Everything follows the snapshot, so a certificate that is gone loses its
// series on the next scrape with no bookkeeping.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

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
  /// finding families), uncached: for /probe, which answers for one target at a time.
  static std::string renderTarget(const TargetResult& result);

  /// Times the snapshot was gathered since construction: a scrape that sees the same results
  /// as the previous one gathers nothing (for tests and diagnostics).
  uint64_t gathers() const;
  /// Distinct certificates whose cert_info labels are cached.
  size_t cachedCertificates() const;

 private:
  /// A result writer_ was gathered from.
  struct Gathered {
    const TargetResult* key = nullptr;
    std::weak_ptr<const TargetResult> owner;  ///< identity without keeping it alive
  };
  bool sameAsGathered(const Snapshot& snapshot) const;
  void gather(const Snapshot& snapshot);

  mutable std::mutex mutex_;  ///< guards everything below
  FactsLabelCache facts_;
  TargetSeriesWriter writer_;       ///< the last gathered snapshot (~300 bytes per target)
  std::vector<Gathered> gathered_;  ///< the results writer_ holds, in order
  uint64_t gathers_ = 0;
  /// Size of the last exposition: the next one reserves a little more, so a large exposition
  /// is written into one allocation instead of growing by copies.
  size_t last_size_ = 0;
};

/// The first target of `snapshot` named `name` (observation.target), or nullptr.
TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name);

}  // namespace certvigil::exporters
