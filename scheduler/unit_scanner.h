// SPDX-License-Identifier: Apache-2.0
// scheduler/unit_scanner.h: scans one unit — expands its pattern, collects each file (only the
// ones that changed since the last scan: size, mtime, inode), and judges every target again,
// because time-based findings change while files do not. Judging is skipped too while `now` is
// before the target's judgement horizon (the next instant a finding could change), which is what
// makes a rescan of 100,000 unchanged files cost about a stat() each.
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/policy.h"
#include "core/snapshot.h"
#include "probers/file_expander.h"
#include "probers/file_inputs.h"
#include "probers/file_prober.h"
#include "revocation/service.h"
#include "scheduler/scan_unit.h"

namespace certvigil::scheduler {

/// What a scan needs from the outside, shared by every unit.
struct ScanContext {
  x509::CertificateCache& certificates;
  probers::ChainVerdictCache& verdicts;
  const x509::TrustStore& trust;
  const Policy& policy;
  const Clock& clock;
  /// Asks the CA about revocation before judging; null: nobody asks (the CA is never called).
  revocation::RevocationService* revocation = nullptr;
  /// The results published before this scan (the daemon's): an endpoint that answers as it did
  /// then keeps its result (judgeOrKeep). Null: none.
  const Snapshot* previous = nullptr;
};

/// The results of one scan of one unit.
struct UnitOutcome {
  UnitScan scan;
  std::vector<TargetResultPtr> results;  ///< every target of the unit, sorted by name
  size_t files_read = 0;                 ///< files actually read (not served from the cache)
};

/// Makes `kept` (a unit's last outcome) equal to `fresh` in the memory `kept` already holds
/// where it can: its results' buffer, when large enough (the unit name is shared). Why:
/// what a scan allocated lies among the probes the sweep has freed, and a unit's outcome
/// outlives them, so each allocation taken over would keep a page of them resident until the
/// next sweep (2,000 endpoints: ~1.2 MB; bench/README.md, "Daemon memory").
void replaceInPlace(UnitOutcome& kept, UnitOutcome fresh);

/// When a cached judgement holds: from the instant it was made until its horizon (the next
/// instant a finding could change). A wall clock stepped back to before it was made judges again,
/// so findings are always those of the wall clock's time.
struct Validity {
  TimePoint judged_at{};
  TimePoint horizon{};  ///< judge again at or after this instant
  bool holdsAt(TimePoint now) const { return judged_at <= now && now < horizon; }
};

class UnitScanner {
 public:
  /// Per-scan inputs shared by every file of the unit (password, chain, CRLs).
  using Inputs = probers::FileInputs;

  explicit UnitScanner(ScanUnit unit) : unit_(std::move(unit)) {}

  /// Scans now. Never throws; problems are findings in the results.
  UnitOutcome scan(const ScanContext& context);
  const ScanUnit& unit() const { return unit_; }
  /// Takes a new definition with the same identity (e.g. a new interval); keeps the cache.
  void setUnit(ScanUnit unit) { unit_ = std::move(unit); }

 private:
  /// The targets one file holds: one, or one per entry of a keystore (FileProber::probeAll).
  /// The first is kept inline: the 10^5 ordinary files of a large unit cost no allocation.
  class Results {
   public:
    bool empty() const { return !first_; }
    size_t size() const { return first_ ? 1 + rest_.size() : 0; }
    TargetResultPtr& operator[](size_t i) { return i == 0 ? first_ : rest_[i - 1]; }
    const TargetResultPtr& operator[](size_t i) const { return i == 0 ? first_ : rest_[i - 1]; }
    void add(TargetResultPtr result) {
      if (first_) {
        rest_.push_back(std::move(result));
      } else {
        first_ = std::move(result);
      }
    }

   private:
    TargetResultPtr first_;
    std::vector<TargetResultPtr> rest_;
  };
  struct Cached {
    probers::FileStat stat;  ///< the file as last read; a change means read it again
    Results results;         ///< empty: not read yet
    Validity validity;       ///< when its judgement holds
    uint64_t seen_scan = 0;  ///< the scan that last saw the file
    /// The chain verdict depends on the other files of the unit (an incomplete leaf, maybe
    /// completed from a sibling): read again when the unit's files changed (`files_digest`).
    bool sibling_dependent = false;
    uint64_t files_digest = 0;
  };
  /// One file to read (or, with `previous`, only to judge again).
  struct Work {
    const std::string* path = nullptr;  ///< into the scan's Expansion, which outlives it
    probers::FileStat stat;
    Results previous;  ///< set: only judge these again
    Results results;
    Validity validity;  ///< when all its results' judgements hold
    bool sibling_dependent = false;
  };

  UnitOutcome scanFiles(const ScanContext& context);
  Inputs prepareInputs(const ScanContext& context) const;
  std::vector<Work> planWork(const probers::Expansion& expansion, const Inputs& inputs,
                             const ScanContext& context, std::vector<TargetResultPtr>& results);
  void runInParallel(std::vector<Work>& work, const Inputs& inputs,
                     const ScanContext& context) const;
  void runOne(Work& item, const Inputs& inputs, const ScanContext& context) const;
  void completeFromSiblings(std::vector<Work>& work, const std::vector<TargetResultPtr>& unchanged,
                            const ScanContext& context) const;
  /// Completes the chain of result `index` of `w` from the unit's intermediates `extra`.
  void completeOne(Work& w, size_t index, const std::vector<X509*>& extra,
                   const ScanContext& context) const;
  size_t absorbWork(std::vector<Work>& work, std::vector<TargetResultPtr>& results);
  TargetResultPtr judge(Observation obs, const ScanContext& context, Validity& validity) const;
  /// Judges every observation of one file; `validity` is when all of theirs hold.
  Results judgeAll(std::vector<Observation> observations, const ScanContext& context,
                   Validity& validity) const;

  ScanUnit unit_;
  std::unordered_map<std::string, Cached> cache_;
  uint64_t scan_count_ = 0;
  uint64_t files_digest_ = 0;
  std::string policy_signature_;  ///< the thresholds results were judged with
  std::string inputs_signature_;  ///< Inputs::signature of the last scan
};

/// The next instant at which any finding of `obs` could change (checks::nextChange: a threshold
/// crossing, expiry, validity start, a CRL going stale), at most one hour ahead so that the time
/// left quoted in messages ("expires in 11 hours") stays true.
TimePoint judgementHorizon(const Observation& obs, const Policy& policy, TimePoint now);

}  // namespace certvigil::scheduler
