// SPDX-License-Identifier: Apache-2.0
// scheduler/discover_source.h: the source of discover units. At every scan a discover unit reads
// its web server's configuration again (discovery/), turns what it found into ordinary endpoint,
// file and bundle units (each endpoint paired with the certificate file it serves through
// expect_file), scans them with the same machinery as configured ones, and reports their results
// as its own targets, each carrying the file:line of its directive and a `discover:<server>`
// source. A target the server configuration no longer names is missing from the next scan, so
// it ends like any target that disappears.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "discovery/discovery.h"
#include "scheduler/unit_source.h"

namespace certvigil::scheduler {

/// The units a discovery expands to, with the origin ("file:line") of each.
struct ChildUnits {
  std::vector<ScanUnit> units;
  std::vector<std::string> origins;  ///< origins[i] belongs to units[i]
};

/// Endpoint, file and bundle units for what `found` lists, with the interval and clients of
/// `parent` and its endpoint timeout.
ChildUnits childUnits(const discovery::Discovery& found, const ScanUnit& parent);

/// Reads a discover unit's server configuration at every scan and scans what it names.
class DiscoverSource final : public UnitSource {
 public:
  explicit DiscoverSource(const SourceDeps& deps) : deps_(deps) {}

  std::vector<UnitOutcome> scan(const std::vector<const ScanUnit*>& units,
                                const ScanContext& context,
                                const std::function<void()>& heartbeat) override;
  void configure(const std::vector<const ScanUnit*>& units, const x509::TrustStore& trust,
                 const probers::ProbeLimits& limits) override;
  /// A reload reads the servers' configurations again at once.
  bool rescanOnReload() const override { return true; }

 private:
  /// What one discover unit keeps between scans.
  struct Followed {
    std::vector<std::unique_ptr<UnitScanner>> scanners;  ///< of its file and bundle children
    /// Each child result handed out last time, and the copy labelled with this unit, origin and
    /// source: an unchanged child result keeps its copy, so storage sees the same object.
    std::map<const TargetResult*, std::pair<TargetResultPtr, TargetResultPtr>> labelled;
  };

  UnitOutcome scanOne(const ScanUnit& unit, const ScanContext& context,
                      const std::function<void()>& heartbeat);
  std::vector<UnitOutcome> scanChildren(Followed& followed, const ChildUnits& children,
                                        const ScanContext& context,
                                        const std::function<void()>& heartbeat);
  TargetResultPtr label(
      Followed& followed,
      std::map<const TargetResult*, std::pair<TargetResultPtr, TargetResultPtr>>& next,
      const TargetResultPtr& child, const ScanUnit& unit, const std::string& origin) const;

  SourceDeps deps_;
  std::unique_ptr<probers::EndpointProber> prober_;
  std::map<std::string, Followed> followed_;  ///< by unit name
};

}  // namespace certvigil::scheduler
