// exporters/prometheus/target_series_cache.h: TargetText per TargetResult, kept between scrapes,
// and the per-family list of every target's lines that a scrape appends. The scheduler shares
// unchanged TargetResults between consecutive snapshots, so a scrape of 100,000 certificates
// builds text only for results it has not seen and otherwise copies cached text. Nothing is
// registered or removed by hand: entries follow the snapshot, so a certificate that is gone
// loses its series. The list is updated in place: a result still at the same index as in the
// last scrape costs a pointer comparison, which is what keeps a scrape after a scan cheap.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/snapshot.h"
#include "exporters/prometheus/target_text.h"

namespace certvigil::exporters {

/// Per family, the lines of every target in snapshot order (empty views included, so index i
/// is target i in every family).
using FamilySpans = std::array<std::vector<std::string_view>, kTargetFamilyCount>;

/// Series counts of a resolved snapshot.
struct SeriesCounts {
  size_t certificates = 0;
  size_t findings = 0;
};

/// What a scrape appends: every target's lines, per family, and how many series there are.
struct ResolvedTargets {
  FamilySpans spans;
  SeriesCounts counts;

  size_t targets() const { return spans[0].size(); }
  /// One target alone (for /probe): views into `text`.
  static ResolvedTargets of(const TargetText& text);
};

/// TargetText keyed by TargetResult identity. Not thread-safe: the renderer holds a lock.
class TargetSeriesCache {
 public:
  /// The lines of every target of `snapshot` (ordered by target name). Builds text for
  /// TargetResults not seen before and evicts text whose TargetResult left the snapshot. A
  /// target repeating an earlier (kind, name) is skipped so no series is written twice.
  /// The result and the text it points to stay valid until the next call.
  const ResolvedTargets& resolve(const Snapshot& snapshot);

  /// Number of cached TargetResults.
  size_t size() const { return entries_.size(); }
  /// Texts built (cache misses) since construction, for tests and diagnostics.
  uint64_t builds() const { return builds_; }

 private:
  struct Entry {
    std::weak_ptr<const TargetResult> owner;  ///< identity check without keeping it alive
    uint64_t generation = 0;                  ///< last full resolve that placed it
    std::unique_ptr<const TargetText> text;
  };
  /// One target of the resolved list, with what the next resolve compares inline, so that
  /// comparing a new snapshot reads one contiguous array instead of 10^5 hash nodes.
  struct Slot {
    const TargetResult* key = nullptr;
    std::weak_ptr<const TargetResult> owner;
    Entry* entry = nullptr;
    uint64_t name_hash = 0;  ///< of observation.target, for the repeat check
    TargetKind kind = TargetKind::File;
    uint32_t certificates = 0;  ///< series counts of the text, for recount()
    uint32_t findings = 0;
  };

  bool sameAsResolved(const Snapshot& snapshot) const;
  void resolveAll(const Snapshot& snapshot);
  bool holds(size_t index, const TargetResultPtr& result) const;
  Entry* findOrBuild(const TargetResultPtr& result);
  void place(size_t index, const TargetResultPtr& result, Entry& entry, uint64_t name_hash);
  void truncate(size_t size);
  void evictCandidates();
  void recount();

  std::unordered_map<const TargetResult*, Entry> entries_;
  std::vector<Slot> slots_;                      ///< the resolved list, in order
  ResolvedTargets resolved_;                     ///< its lines, index-aligned with slots_
  std::vector<const TargetResult*> candidates_;  ///< keys that may have left the snapshot
  bool resolved_once_ = false;
  uint64_t generation_ = 0;
  uint64_t builds_ = 0;
};

}  // namespace certvigil::exporters
