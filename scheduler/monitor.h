// SPDX-License-Identifier: Apache-2.0
// scheduler/monitor.h: the daemon's engine. Holds the scan units of the running config, runs the
// ones that are due, records each scan in storage (one transaction) and publishes a new
// immutable Snapshot for the exporters. One thread drives it; reload and stop requests come from
// other threads and are applied between scans.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "config/config.h"
#include "core/snapshot.h"
#include "scheduler/scan_unit.h"
#include "scheduler/unit_source.h"
#include "storage/state_store.h"

namespace certvigil::scheduler {

/// When units are due: the monotonic clock, which a wall clock stepped by hand or by NTP does
/// not move. Findings are still judged for the wall clock (`Clock`).
using SteadyTime = std::chrono::steady_clock::time_point;

/// How the database writes are going: a failed write does not stop scanning or publishing
/// (the exporters keep serving the latest snapshot), but it is counted and shown.
struct StorageHealth {
  uint64_t errors_total = 0;  ///< failed writes since start (scans, retirements, pruning)
  std::string failing;        ///< the last failure while writes fail; empty once one succeeds
};

class Monitor final : public SnapshotSource {
 public:
  /// `store` may be null (nothing recorded). `probe_loops`: the event loops a sweep of endpoints
  /// runs on (probers::ProbeLimits::loops; 0: one per CPU).
  Monitor(storage::StateStore* store, const Clock& clock, int probe_loops = 0);
  ~Monitor() override;

  /// Applies a config: units, trust anchors, thresholds, retention. Units whose definition is
  /// unchanged keep their caches. Fails (keeping the previous config) if the trust anchors
  /// cannot be loaded.
  Status configure(const config::Config& config);
  /// The same for a config the caller shares (the daemon's reloads). Either way the monitor
  /// keeps a copy without the endpoint entries, which its units hold, as currentConfig().
  Status configure(std::shared_ptr<const config::Config> config);

  /// Scans every unit now, ignoring the schedule (the `check` command, tests, bench).
  void scanAll();

  /// Runs until requestStop(): scans due units, then sleeps until the next is due.
  /// `heartbeat` is called at least every few seconds (systemd watchdog).
  void run(const std::function<void()>& heartbeat);
  void requestStop();
  /// Applies `config` from the run() thread at the next opportunity; `done` gets the outcome.
  void requestReload(std::shared_ptr<const config::Config> config,
                     std::function<void(const Status&)> done);
  /// Scan every unit at the next opportunity.
  void requestScanAll();

  SnapshotPtr latest() const override;
  /// The configuration in force (null before configure()), without its endpoint entries: the
  /// units hold them (configuredEndpoint). Thread-safe.
  std::shared_ptr<const config::Config> currentConfig() const;
  /// How the endpoint at `address` with `servername` (empty: any) is configured; none when it
  /// is not. Thread-safe.
  std::optional<ConfiguredEndpoint> configuredEndpoint(std::string_view address,
                                                       std::string_view servername) const;
  /// Scans completed since start.
  uint64_t scansCompleted() const { return scans_completed_; }
  /// True once every unit of the first configuration has been scanned once. Thread-safe.
  bool firstPassDone() const { return first_pass_done_; }
  /// Failed database writes and the current failure. Thread-safe.
  StorageHealth storageHealth() const;
  /// Called on the scheduler thread after every scan recorded (it may have written alert
  /// events: the daemon wakes alert delivery with it). Set before run().
  void setRecordedHook(std::function<void()> hook) { recorded_hook_ = std::move(hook); }

 private:
  struct UnitState {
    ScanUnit unit;
    SteadyTime next_due{};  ///< on the monotonic clock
    uint64_t runs = 0;
    UnitOutcome last;
  };

  /// Scans the units, each group of one kind by its source; publishes after each group.
  void scanUnits(const std::vector<UnitState*>& due, const std::function<void()>& heartbeat);
  UnitSource& sourceFor(SourceKind kind);
  /// Records a unit's scan, which started at `started` on the monotonic clock.
  void finishScan(UnitState& state, UnitOutcome outcome, SteadyTime started);
  /// Records the scans of `states` (just finished) in one transaction.
  void recordScans(const std::vector<UnitState*>& states);
  void publish();
  void applyPendingRequests();
  void pruneIfDue();
  void retireRemovedUnits(TimePoint now);
  /// When the first unit comes due: kept from one wake to the next (a heartbeat wake of a
  /// daemon with 10,000 units read every unit's schedule twice, ~6 ms), computed again after
  /// anything that moves a unit's schedule (forgetNextDue()).
  SteadyTime earliestDue();
  void forgetNextDue() { earliest_due_.reset(); }
  bool stopRequested();
  /// Records the outcome of one database write: counts and logs failures once per change.
  void noteStorage(const Status& st, const std::string& what);
  void updateFirstPass();
  /// Reads the fetched CRLs and ACME renewal information the database keeps into the
  /// revocation service (at start).
  void restoreCrls();
  /// Keeps the CRLs and renewal information fetched since the last call in the database.
  void persistCrls();
  /// The fetched CRLs and the fetch counters, for the exporters.
  void addRevocation(Snapshot& snapshot) const;

  storage::StateStore* store_;
  const Clock& clock_;
  x509::CertificateCache certificates_;
  probers::ChainVerdictCache verdicts_;
  revocation::RevocationService revocation_;  ///< CRLs fetched once per URL for every unit
  std::unique_ptr<x509::TrustStore> trust_;
  std::map<SourceKind, UnitSourcePtr> sources_;  ///< one per kind (unit_sources.cpp's table)
  Policy policy_;
  Seconds retention_{Seconds{30 * 86400}};
  probers::ProbeLimits probe_limits_;
  std::vector<UnitState> units_;            ///< in config order
  std::optional<SteadyTime> earliest_due_;  ///< earliestDue()'s answer while no schedule moved
  /// Held while configure() changes units_, and by readers on other threads (the run() thread,
  /// the only one that changes them, reads without it).
  mutable std::mutex units_mutex_;
  std::optional<SteadyTime> last_prune_;  ///< monotonic: a stepped clock neither skips nor repeats

  mutable std::mutex snapshot_mutex_;  ///< guards snapshot_ and config_
  SnapshotPtr snapshot_;
  std::shared_ptr<const config::Config> config_;

  std::mutex request_mutex_;
  std::condition_variable wake_;
  bool stop_requested_ = false;
  bool scan_all_requested_ = false;
  std::shared_ptr<const config::Config> pending_config_;
  std::function<void(const Status&)> pending_done_;
  std::atomic<uint64_t> scans_completed_{0};
  std::atomic<bool> first_pass_done_{false};
  mutable std::mutex health_mutex_;  ///< guards health_
  StorageHealth health_;
  std::function<void()> recorded_hook_;
};

}  // namespace certvigil::scheduler
