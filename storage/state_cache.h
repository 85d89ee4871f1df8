// SPDX-License-Identifier: Apache-2.0
// storage/state_cache.h: the current state (present targets, current observations, active
// findings) held in memory so recordScan can diff a scan against it without reading the
// database, and write only what changed. Loaded at open, updated after each committed scan.
// Compact on purpose: 100,000 targets must fit in a few tens of megabytes, so fingerprints are
// interned to small ids and a finding's text is kept as a 64-bit digest, not a copy.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/finding.h"
#include "core/shared_text.h"
#include "core/snapshot.h"

namespace certvigil::storage {

/// An interned fingerprint; 0 is the empty one (a finding about no certificate).
using FingerprintId = uint32_t;

/// Fingerprints, each interned once, with the certificates row that holds it (0: none yet).
/// A canonical fingerprint (64 lowercase hex digits) is kept as its 32 bytes, not as text.
class FingerprintPool {
 public:
  static constexpr FingerprintId kEmpty = 0;

  FingerprintPool() : rows_(1, 0) {}
  FingerprintId intern(std::string_view fingerprint);
  std::optional<FingerprintId> find(std::string_view fingerprint) const;
  int64_t certificateRow(FingerprintId id) const { return rows_[id]; }
  void setCertificateRow(FingerprintId id, int64_t row) { rows_[id] = row; }
  size_t size() const { return rows_.size(); }

 private:
  using Digest = std::array<uint8_t, 32>;
  struct DigestHash {
    size_t operator()(const Digest& digest) const noexcept;
  };

  std::vector<int64_t> rows_;  // by id
  std::unordered_map<Digest, FingerprintId, DigestHash> digests_;
  std::unordered_map<std::string, FingerprintId> others_;  // anything not canonical
};

/// Which result object was recorded, without keeping it alive. Results are immutable and
/// shared between scans when unchanged (core/snapshot.h), so being handed the very same object
/// again means nothing changed. The object is identified by its address and its owner (the
/// control block, which cannot be reused while this weak_ptr refers to it), so neither a
/// recycled address nor aliasing shared_ptrs can fool it.
class ResultRef {
 public:
  ResultRef() = default;
  explicit ResultRef(const TargetResultPtr& result) : owner_(result), object_(result.get()) {}
  bool refersTo(const TargetResultPtr& result) const {
    return result && result.get() == object_ && !owner_.owner_before(result) &&
           !result.owner_before(owner_);
  }

 private:
  std::weak_ptr<const TargetResult> owner_;
  const TargetResult* object_ = nullptr;
};

/// A current observation: certificate `fingerprint` presented at `position` of a target.
struct ObservationState {
  int64_t row = 0;
  FingerprintId fingerprint = FingerprintPool::kEmpty;
  int32_t position = 0;
  uint8_t role = 0;      ///< ResolvedRole
  bool matched = false;  ///< scratch: seen again in the scan being recorded
};

/// An active finding. Identity (Finding::key()): code, fingerprint, position.
struct FindingState {
  static constexpr uint8_t kUnknownCode = 0xff;  ///< a code this build does not know

  int64_t row = 0;
  uint64_t content = 0;  ///< findingContentDigest() of message, remedy, cause
  FingerprintId fingerprint = FingerprintPool::kEmpty;
  int32_t position = -1;
  uint8_t code = kUnknownCode;  ///< FindingCode
  uint8_t severity = 0;         ///< Severity
  bool matched = false;         ///< scratch: seen again in the scan being recorded
};

/// A target of a unit, present or gone (gone ones are kept so a return reuses the row).
struct TargetState {
  int64_t row = 0;
  uint32_t seen_epoch = 0;  ///< the unit's epoch of the last scan that listed it
  uint8_t kind = 0;         ///< TargetKind
  bool gone = false;
  uint64_t origin_digest = 0;  ///< of the origin and source stored (0: none)
  std::vector<ObservationState> observations;
  std::vector<FindingState> findings;
  /// The result object last recorded for it: handed back, it needs no diff. Empty after a
  /// load and while gone.
  ResultRef last_result;
};

/// One entry of a unit's last scan: the result object and the target it was recorded for.
struct RecordedResult {
  ResultRef result;
  TargetState* target = nullptr;  ///< into UnitState::targets (node-based: stable)
};

/// A configured entry and all its targets, by name. Held per unit (2,000 endpoints are 2,000
/// units): counts are 32 bits and the small fields share a word.
struct UnitState {
  int64_t row = 0;
  int64_t last_scan_at = 0;  ///< 0: never scanned
  /// The unit's current run of scans (a `scans` row that unchanged scans extend in place);
  /// 0: none yet in this process, the next scan starts one.
  int64_t run_row = 0;
  std::unordered_map<std::string, TargetState> targets;

  /// The results of the last scan recorded, in order, without nulls (unknown after a load or
  /// a retire): a scan that hands back the very same objects in the same order changed
  /// nothing at all, and one that hands back most of them finds their targets from here.
  std::vector<RecordedResult> last_results;
  uint32_t epoch = 0;               ///< bumped by every scan recorded
  uint32_t present = 0;             ///< targets not gone
  uint32_t last_targets = 0;        ///< targets counted by the last scan recorded
  uint32_t last_findings = 0;       ///< findings counted by the last scan recorded
  uint32_t run_targets = 0;         ///< of the current run
  uint32_t run_findings = 0;        ///< of the current run
  uint8_t kind = 0;                 ///< TargetKind
  bool last_results_known = false;  ///< false after a load or a retire
  bool run_ok = true;               ///< of the current run
};

/// Hashes a unit's name as the text it holds.
struct SharedTextHash {
  size_t operator()(const SharedText& text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

/// Everything recordScan diffs against.
struct StateCache {
  FingerprintPool fingerprints;
  /// By name: the name the scans hand in, shared with them (SharedText), not a copy.
  std::unordered_map<SharedText, UnitState, SharedTextHash> units;

  void clear();
};

/// Maps from database ids to cache entries, used only while loading.
struct LoadIndex {
  std::unordered_map<int64_t, UnitState*> units;
  std::unordered_map<int64_t, TargetState*> targets;
};

/// A digest of what may change in place on a finding without changing its identity. Equal
/// digests are taken as equal text (a 64-bit collision would only skip one message update).
uint64_t findingContentDigest(std::string_view message, std::string_view remedy,
                              std::optional<RejectCause> cause);

}  // namespace certvigil::storage
