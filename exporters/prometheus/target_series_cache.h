// exporters/prometheus/target_series_cache.h: the finished sample lines of every TargetResult,
// kept between scrapes. A TargetResult is immutable and the scheduler shares unchanged ones
// between consecutive snapshots, so its lines — labels escaped, values formatted — are built
// once and a scrape of 100,000 certificates only copies cached text. Nothing is registered or
// removed by hand: entries follow the snapshot, so a certificate that is gone loses its series.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::exporters {

/// The per-target families, in the order an exposition writes them.
enum class TargetFamily { ProbeSuccess, ProbeDuration, NotAfter, NotBefore, Info, Finding };
inline constexpr size_t kTargetFamilyCount = 6;

/// Every sample line of one TargetResult, grouped by family in one contiguous string (one
/// allocation per target keeps a 10^5-target scrape cache-friendly).
class TargetText {
 public:
  /// Builds the lines of `result` (the uncached path, also used by /probe).
  explicit TargetText(const TargetResult& result);

  /// The lines of one family, each ending in '\n'; empty when the target has none.
  std::string_view lines(TargetFamily family) const {
    const auto f = static_cast<size_t>(family);
    return std::string_view(text_).substr(offsets_[f], offsets_[f + 1] - offsets_[f]);
  }
  size_t certificates() const { return certificates_; }
  size_t findings() const { return findings_; }

 private:
  void close(TargetFamily family) { offsets_[static_cast<size_t>(family) + 1] = text_.size(); }

  std::string text_;
  std::array<size_t, kTargetFamilyCount + 1> offsets_{};
  size_t certificates_ = 0;
  size_t findings_ = 0;
};

/// TargetText keyed by TargetResult identity. Not thread-safe: the renderer holds a lock.
class TargetSeriesCache {
 public:
  /// The texts of every target of `snapshot` (ordered by target name), in order. Builds texts
  /// for TargetResults not seen before and evicts those whose TargetResult left the snapshot.
  /// A target repeating an earlier (kind, name) is skipped so no series is written twice.
  /// The vector and the pointers stay valid until the next call.
  const std::vector<const TargetText*>& resolve(const Snapshot& snapshot);

  /// Changes whenever resolve() returns a different list, so callers may keep what they derived
  /// from the list while it stays the same.
  uint64_t version() const { return version_; }
  /// Number of cached TargetResults.
  size_t size() const { return entries_.size(); }
  /// Texts built (cache misses) since construction, for tests and diagnostics.
  uint64_t builds() const { return builds_; }

 private:
  struct Entry {
    std::weak_ptr<const TargetResult> owner;  ///< identity check without keeping it alive
    uint64_t generation = 0;                  ///< last full resolve that saw it
    std::unique_ptr<const TargetText> text;
  };
  /// One target of the last resolve(), with its identity inline so that comparing a new
  /// snapshot against it reads one contiguous array instead of 10^5 hash nodes.
  struct Slot {
    const TargetResult* key = nullptr;
    std::weak_ptr<const TargetResult> owner;
    Entry* entry = nullptr;
  };

  bool sameAsResolved(const Snapshot& snapshot) const;
  void resolveAll(const Snapshot& snapshot);
  Entry& lookup(const TargetResultPtr& result, size_t index);
  void touch(Entry& entry);
  void evictUnseen();

  std::unordered_map<const TargetResult*, Entry> entries_;
  std::vector<Slot> resolved_;            ///< the last resolve(), in order
  std::vector<Slot> scratch_;             ///< the resolve in progress
  std::vector<const TargetText*> texts_;  ///< what resolve() returns
  uint64_t version_ = 0;
  uint64_t generation_ = 0;
  uint64_t builds_ = 0;
  size_t touched_ = 0;  ///< distinct entries seen by the current full resolve
};

}  // namespace certvigil::exporters
