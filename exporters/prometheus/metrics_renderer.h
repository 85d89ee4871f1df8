// SPDX-License-Identifier: Apache-2.0
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

/// One exposition, produced piece by piece: /metrics sends each piece as an HTTP chunk, so a
/// scrape of 10^5 certificates never holds its ~70 MB of text at once. It owns what it writes
/// from (the gathered series and the daemon families' text), so it stays valid and unchanged
/// while the renderer gathers newer snapshots. Not thread-safe; one per scrape.
class MetricsStream {
 public:
  /// Bytes a piece holds, roughly (a piece ends at a line end past this).
  static constexpr size_t kPieceBytes = size_t{128} * 1024;

  MetricsStream(std::string head, std::shared_ptr<const TargetSeriesWriter> series)
      : head_(std::move(head)), series_(std::move(series)) {}

  /// Appends the next piece to `out` (at least `piece_bytes` unless it is the last one).
  /// False when the exposition is complete and nothing was appended.
  bool next(std::string& out, size_t piece_bytes = kPieceBytes);

 private:
  std::string head_;  ///< the daemon families, written first
  bool head_written_ = false;
  std::shared_ptr<const TargetSeriesWriter> series_;
  TargetSeriesWriter::Cursor cursor_;
};

/// Renders expositions from snapshots. Thread-safe: concurrent scrapes take turns to gather;
/// streams write on their own.
class MetricsRenderer {
 public:
  /// The exposition as a stream; process_* read from /proc/self. What /metrics serves.
  std::unique_ptr<MetricsStream> stream(const Snapshot& snapshot, const DaemonStatus& status);
  /// The same with the given process readings.
  std::unique_ptr<MetricsStream> stream(const Snapshot& snapshot, const DaemonStatus& status,
                                        const ProcessStats& process);

  /// The whole exposition in one string; process_* read from /proc/self.
  std::string render(const Snapshot& snapshot, const DaemonStatus& status);
  /// The whole exposition with the given process readings (deterministic, for tests).
  std::string render(const Snapshot& snapshot, const DaemonStatus& status,
                     const ProcessStats& process);

  /// Only the series of one target (probe_success, probe_duration_seconds, certificate and
  /// finding families), uncached: for /probe, which answers for one target at a time.
  static std::string renderTarget(const TargetResult& result);
  /// The per-target and endpoint families of these results only (what /probe answers).
  static std::string renderTargets(const std::vector<TargetResultPtr>& results);

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
    /// Its probe duration when gathered: an endpoint that answered as before keeps its result
    /// and only this changes (ProbeTiming).
    double duration_seconds = 0;
  };
  bool sameAsGathered(const Snapshot& snapshot) const;
  void gather(const Snapshot& snapshot);

  mutable std::mutex mutex_;  ///< guards everything below
  FactsLabelCache facts_;
  /// The last gathered snapshot (~200 bytes per target), shared with the streams writing it.
  std::shared_ptr<TargetSeriesWriter> writer_ = std::make_shared<TargetSeriesWriter>();
  std::vector<Gathered> gathered_;  ///< the results writer_ holds, in order
  uint64_t gathers_ = 0;
  /// Size of the last exposition render() returned: the next one reserves a little more, so a
  /// large exposition is written into one allocation instead of growing by copies.
  size_t last_size_ = 0;
};

}  // namespace certvigil::exporters
