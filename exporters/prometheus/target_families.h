// exporters/prometheus/target_families.h: the per-target families — probe_success,
// probe_duration_seconds, cert_not_after/not_before_timestamp_seconds, cert_info and finding —
// built at scrape time from the snapshot, in two steps:
//  - gather: one pass over the snapshot escapes each target's labels (and any findings') into
//    one arena and records flat rows with values and the cached cert_info labels;
//  - write: the exact size of every line is summed, the output is sized once, and each family
//    is copied in from the rows with plain memcpy.
// The text format wants a family's series together, and reading compact rows six times is far
// cheaper than chasing 10^5 scattered results six times; knowing the size first avoids both
// std::string's per-append bookkeeping and any regrowth of a ~100 MB buffer.
// This file is the one definition of every per-target label set (docs/METRICS.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/snapshot.h"
#include "exporters/prometheus/facts_label_cache.h"

namespace certvigil::exporters {

/// Gathers and writes the per-target series of one exposition at a time. Reusable: its buffers
/// keep their capacity between expositions. Not thread-safe.
class TargetSeriesWriter {
 public:
  /// Forgets what was gathered (keeping the buffers, unless they are far larger than needed).
  void clear();

  /// Gathers every target of `snapshot` that makes series: not null, and not repeating the
  /// (kind, name) of an earlier one (the snapshot is ordered by name, so repeats are adjacent),
  /// so no series is ever written twice. cert_info labels come from `facts`.
  void addSnapshot(const Snapshot& snapshot, FactsLabelCache& facts);
  /// Gathers one target.
  void addTarget(const TargetResult& result, FactsLabelCache& facts);

  /// Certificate series gathered: certificates with facts.
  size_t certificates() const { return certificates_.size(); }
  /// Appends every family with at least one series: HELP and TYPE once, then one line per
  /// series, in the order listed above. `facts` must be unchanged since gathering.
  void write(std::string& out) const;

 private:
  /// A piece of arena_.
  struct Span {
    uint32_t offset = 0;
    uint32_t size = 0;
  };
  struct TargetRow {
    Span labels;    ///< source="...",target="..."
    Span duration;  ///< the probe duration, formatted
    bool success = false;
  };
  struct CertificateRow {
    uint32_t target = 0;  ///< index into targets_
    int32_t position = 0;
    ResolvedRole role = ResolvedRole::Any;
    int64_t not_after = 0;
    int64_t not_before = 0;
    std::string_view info;  ///< cached cert_info labels
  };
  struct FindingRow {
    uint32_t target = 0;
    Span labels;  ///< ,code="...",severity="...",fingerprint="...",position="..."
  };

  Span addText(size_t start) const;
  void addFindings(const TargetResult& result, uint32_t target);

 public:
  /// A gathered piece of text (for the writing code in the .cpp).
  std::string_view textOf(Span span) const {
    return std::string_view(arena_).substr(span.offset, span.size);
  }

 private:
  std::string arena_;  ///< escaped and formatted text, back to back
  std::vector<TargetRow> targets_;
  std::vector<CertificateRow> certificates_;
  std::vector<FindingRow> findings_;
};

}  // namespace certvigil::exporters
