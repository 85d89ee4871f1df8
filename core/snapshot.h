// SPDX-License-Identifier: Apache-2.0
// core/snapshot.h: the judged state that exporters read. Immutable once published: the scheduler
// builds a new Snapshot after each scan and swaps a shared_ptr, so a scrape never sees a scan
// half-applied and never takes a lock that a scan holds. The one exception is a kept endpoint
// result's probe time and duration (core/probe_timing.h), refreshed in place.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boxed.h"
#include "core/finding.h"
#include "core/observation.h"
#include "core/shared_text.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil {

/// Where a target was found when it did not come from certvigil's own config.
struct TargetProvenance {
  /// The "file:line" of the web server directive that names it (or the kubeconfig context);
  /// "" otherwise.
  std::string origin;
  /// The `source` label: "discover:nginx" for a discovered target; "" for the target's kind.
  std::string source;
  friend bool operator==(const TargetProvenance&, const TargetProvenance&) = default;
};

/// One target's latest result: what was collected and what the checks concluded.
struct TargetResult {
  SharedText unit;  ///< the configured entry it came from (a glob, an address), shared
  Observation observation;
  std::vector<ResolvedRole> roles;  ///< per certificate, same order as observation.certificates
  std::vector<Finding> findings;    ///< worst first
  /// Boxed: only discovered and kubeconfig targets have one (64 bytes inline in every result).
  Boxed<TargetProvenance> provenance;

  const std::string& origin() const { return provenance->origin; }
  /// The `source` label value: the provenance's, or the kind ("endpoint", "file", "bundle").
  std::string_view sourceLabel() const {
    const std::string& source = provenance->source;
    return source.empty() ? toString(observation.kind) : std::string_view(source);
  }
};
using TargetResultPtr = std::shared_ptr<const TargetResult>;

/// The last scan of one configured entry.
struct UnitScan {
  /// The unit's name, shared with its ScanUnit and its results (one allocation per unit).
  SharedText unit;
  TargetKind kind = TargetKind::File;
  TimePoint started_at{};
  double duration_seconds = 0;
  bool success = true;
  size_t targets = 0;
  size_t skipped_symlink_loops = 0;  ///< symlink loops the walk skipped (not findings)
};

/// A CRL fetched from a distribution point (one per URL, however many certificates name it).
struct CrlStatus {
  std::string url;
  std::optional<TimePoint> next_update;  ///< of the CRL at hand; none before a good fetch
  bool last_fetch_ok = false;            ///< the last fetch gave or confirmed a CRL
};

/// Requests to CAs since start, by kind ("crl", "ocsp") and result ("ok", "not_modified",
/// "error").
struct RevocationFetchCount {
  std::string kind;
  std::string result;
  uint64_t count = 0;
};

/// Everything exporters show. Target results are shared between consecutive snapshots when
/// unchanged, so renderers may cache per TargetResult pointer.
struct Snapshot {
  std::vector<TargetResultPtr> targets;  ///< ordered by target name
  std::vector<UnitScan> scans;
  std::vector<CrlStatus> crls;                           ///< by URL
  std::vector<RevocationFetchCount> revocation_fetches;  ///< every kind and result
  TimePoint generated_at{};
};
using SnapshotPtr = std::shared_ptr<const Snapshot>;

/// The first target of `snapshot` named `name` (observation.target), or nullptr.
inline TargetResultPtr findTarget(const Snapshot& snapshot, std::string_view name) {
  const auto it = std::find_if(snapshot.targets.begin(), snapshot.targets.end(),
                               [name](const TargetResultPtr& result) {
                                 return result && result->observation.target == name;
                               });
  return it == snapshot.targets.end() ? nullptr : *it;
}

/// Where exporters get the latest snapshot from.
class SnapshotSource {
 public:
  virtual ~SnapshotSource() = default;
  virtual SnapshotPtr latest() const = 0;
};

}  // namespace certvigil
