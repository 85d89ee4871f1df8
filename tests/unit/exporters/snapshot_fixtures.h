// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/snapshot_fixtures.h: synthetic snapshots for exporter tests and the
// render benchmark: a small, fixed snapshot covering every family, hostile label values, and
// large snapshots of one certificate per target.
#pragma once

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/snapshot.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/process_stats.h"

namespace certvigil::testing {

/// 2026-01-01T00:00:00Z: the "now" of every fixture.
inline constexpr int64_t kFixtureNow = 1767225600;

/// Certificate facts with a fingerprint and serial derived from `seed`.
CertificateFactsPtr makeFacts(const std::string& subject, const std::string& issuer, int seed,
                              int64_t not_before, int64_t not_after);

/// A TargetResult; certificates get positions 0, 1, ... and the given roles.
TargetResultPtr makeTarget(const std::string& name, TargetKind kind,
                           std::vector<CertificateFactsPtr> certificates,
                           std::vector<ResolvedRole> roles, std::vector<Finding> findings = {},
                           bool success = true, double duration = 0.25);

/// A snapshot of the given targets and scans, generated at kFixtureNow.
SnapshotPtr makeSnapshot(std::vector<TargetResultPtr> targets, std::vector<UnitScan> scans = {});

/// The small snapshot behind tests/golden/metrics_small.prom: a file with leaf + intermediate
/// and an expires_soon finding, a CA bundle, an endpoint that failed to connect, two units.
SnapshotPtr smallSnapshot();

/// `count` file targets with one certificate each, named like real paths.
std::vector<TargetResultPtr> manyTargets(size_t count);

/// Fixed daemon status and process readings, so expositions are byte-for-byte reproducible.
exporters::DaemonStatus fixedStatus();
exporters::ProcessStats fixedProcess();

/// A SnapshotSource tests swap snapshots in.
class FakeSnapshotSource final : public SnapshotSource {
 public:
  explicit FakeSnapshotSource(SnapshotPtr snapshot = nullptr) : snapshot_(std::move(snapshot)) {}
  SnapshotPtr latest() const override;
  void set(SnapshotPtr snapshot);

 private:
  mutable std::mutex mutex_;
  SnapshotPtr snapshot_;
};

/// A StatusProvider tests flip.
class FakeStatusProvider final : public exporters::StatusProvider {
 public:
  exporters::DaemonStatus status() const override;
  void setReady(bool ready);

 private:
  mutable std::mutex mutex_;
  exporters::DaemonStatus status_ = fixedStatus();
};

/// The sample lines (not comments) of an exposition, sorted.
std::vector<std::string> sampleLines(const std::string& exposition);

/// The samples of an exposition as (series, value rounded to 12 digits) sorted by series, so
/// that two renderers spelling a number differently ("1e-04", "0.0001") compare equal.
std::vector<std::pair<std::string, double>> parsedSamples(const std::string& exposition);

}  // namespace certvigil::testing
