// storage/state_cache.h: the current state (present targets, current observations, active
// findings) held in memory so recordScan can diff a scan against it without reading the
// database, and write only what changed. Loaded at open, updated after each committed scan.
// Compact on purpose: 100,000 targets must fit in a few tens of megabytes, so fingerprints are
// interned to small ids and a finding's text is kept as a 64-bit digest, not a copy.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/finding.h"

namespace certvigil::storage {

/// An interned fingerprint; 0 is the empty one (a finding about no certificate).
using FingerprintId = uint32_t;

/// Fingerprint strings, each stored once, with the certificates row that holds it (0: none yet).
class FingerprintPool {
 public:
  static constexpr FingerprintId kEmpty = 0;

  FingerprintPool();
  FingerprintId intern(std::string_view fingerprint);
  std::optional<FingerprintId> find(std::string_view fingerprint) const;
  const std::string& text(FingerprintId id) const { return entries_[id].text; }
  int64_t certificateRow(FingerprintId id) const { return entries_[id].certificate_row; }
  void setCertificateRow(FingerprintId id, int64_t row) { entries_[id].certificate_row = row; }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string text;
    int64_t certificate_row = 0;
  };
  std::deque<Entry> entries_;  // a deque never moves its elements: index_ points into them
  std::unordered_map<std::string_view, FingerprintId> index_;
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
  std::vector<ObservationState> observations;
  std::vector<FindingState> findings;
};

/// A configured entry and all its targets, by name.
struct UnitState {
  int64_t row = 0;
  int64_t last_scan_at = 0;  ///< 0: never scanned
  uint8_t kind = 0;          ///< TargetKind
  uint32_t epoch = 0;        ///< bumped by every scan recorded
  std::unordered_map<std::string, TargetState> targets;
};

/// Everything recordScan diffs against.
struct StateCache {
  FingerprintPool fingerprints;
  std::unordered_map<std::string, UnitState> units;

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
