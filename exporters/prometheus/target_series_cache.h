// exporters/prometheus/target_series_cache.h: escaped label text per TargetResult, kept between
// scrapes. The scheduler shares unchanged TargetResults between consecutive snapshots, so with
// this cache a scrape of 100,000 certificates only appends cached label text and formats values;
// escaping and label assembly happen once per changed target. Nothing is registered or removed
// by hand: entries follow the snapshot, so a certificate that is gone loses its series.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::exporters {

/// The escaped label text (no braces) of every series of one TargetResult.
struct TargetSeries {
  std::string target_labels;                ///< probe_success, probe_duration_seconds
  std::vector<size_t> certificates;         ///< indices into observation.certificates (with facts)
  std::vector<std::string> cert_labels;     ///< not_after / not_before, per `certificates` entry
  std::vector<std::string> info_labels;     ///< cert_info, per `certificates` entry
  std::vector<std::string> finding_labels;  ///< per distinct finding
};

/// Builds the label text of `result`'s series (the uncached path, also used by /probe).
TargetSeries buildTargetSeries(const TargetResult& result);

/// One target of a snapshot with its series labels, in snapshot order.
struct ResolvedTarget {
  const TargetResult* result = nullptr;
  const TargetSeries* series = nullptr;
};

/// TargetSeries keyed by TargetResult identity. Not thread-safe: the renderer holds a lock.
class TargetSeriesCache {
 public:
  /// Resolves every target of `snapshot` (ordered by target name), building entries for
  /// TargetResults not seen before and evicting entries whose TargetResult left the snapshot.
  /// A target repeating an earlier (kind, name) is skipped so no series is written twice.
  /// The pointers stay valid until the next call.
  std::vector<ResolvedTarget> resolve(const Snapshot& snapshot);

  /// Number of cached TargetResults.
  size_t size() const { return entries_.size(); }
  /// Entries built (cache misses) since construction, for tests and diagnostics.
  uint64_t builds() const { return builds_; }

 private:
  struct Entry {
    std::weak_ptr<const TargetResult> owner;  ///< identity check without keeping it alive
    uint64_t generation = 0;                  ///< last resolve() that saw it
    TargetSeries series;
  };

  const TargetSeries& lookup(const TargetResultPtr& result);
  void evictUnseen();

  std::unordered_map<const TargetResult*, Entry> entries_;
  uint64_t generation_ = 0;
  uint64_t builds_ = 0;
  size_t touched_ = 0;  ///< distinct entries seen by the current resolve()
};

}  // namespace certvigil::exporters
