// SPDX-License-Identifier: Apache-2.0
#include "scheduler/monitor.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>

#include "core/log.h"
#include "scheduler/endpoint_scanner.h"
#include "scheduler/schedule.h"

namespace certvigil::scheduler {
namespace {

constexpr Seconds kHeartbeatEvery{5};
/// Batches of at least this many units or targets give their transient memory back
/// (malloc_trim): a sweep of endpoints, or one large file entry. So does every batch while the
/// monitor holds fewer than kTrimAfterTargets targets in all: a trim walks the heap's free
/// chunks, well under a millisecond for a small heap but ~40 ms for a fragmented 150 MB one,
/// too much after each of many small batches (measured: bench/README.md, "Daemon memory").
constexpr size_t kTrimAfterUnits = 256;
constexpr size_t kTrimAfterTargets = 4096;
constexpr Seconds kPruneEvery{3600};
/// ARI answers last asked for this long ago concern certificates no target presents any more
/// (one still presented is asked about at least daily: Retry-After is capped at a day).
constexpr Seconds kForgetAri{7 * 86400};

revocation::CrlEntry entryFrom(const storage::StoredCrl& stored) {
  revocation::CrlEntry entry;
  entry.url = stored.url;
  entry.body = stored.body;
  entry.etag = stored.etag;
  entry.last_modified = stored.last_modified;
  entry.fetched_at = stored.fetched_at;
  return entry;
}

storage::StoredCrl storedFrom(const revocation::CrlEntry& entry) {
  return {entry.url,           entry.body,       entry.etag,
          entry.last_modified, entry.fetched_at, entry.next_update};
}

revocation::AriEntry ariFrom(const storage::StoredAri& stored) {
  revocation::AriEntry entry;
  entry.directory = stored.directory;
  entry.cert_id = stored.cert_id;
  entry.url = stored.url;
  if (stored.window_start && stored.window_end) {
    entry.window =
        revocation::RenewalInfo{*stored.window_start, *stored.window_end, stored.explanation_url};
  }
  entry.fetched_at = stored.fetched_at;
  entry.attempted_at = stored.attempted_at;
  entry.next_poll = stored.next_poll;
  entry.error = stored.error;
  return entry;
}

storage::StoredAri storedFrom(const revocation::AriEntry& entry) {
  storage::StoredAri stored{
      entry.directory,  entry.cert_id,      entry.url,       std::nullopt, std::nullopt, {},
      entry.fetched_at, entry.attempted_at, entry.next_poll, entry.error};
  if (entry.window) {
    stored.window_start = entry.window->start;
    stored.window_end = entry.window->end;
    stored.explanation_url = entry.window->explanation_url;
  }
  return stored;
}

}  // namespace

Monitor::Monitor(storage::StateStore* store, const Clock& clock, int probe_loops)
    : store_(store),
      clock_(clock),
      revocation_(certificates_, clock),
      probe_limits_{.loops = probe_loops},
      snapshot_(std::make_shared<Snapshot>()) {
  for (SourceKind kind : sourceKinds()) {
    sources_.emplace(kind, makeUnitSource(kind, {certificates_, verdicts_}));
  }
  restoreCrls();
}

// The CRLs fetched before a restart are good until their nextUpdate: not fetched again.
void Monitor::restoreCrls() {
  if (!store_) return;
  Result<std::vector<storage::StoredCrl>> stored = store_->storedCrls();
  noteStorage(stored ? Status{Ok{}} : Status{stored.error()}, "read the CRL cache");
  if (!stored) return;
  std::vector<revocation::CrlEntry> entries;
  for (const storage::StoredCrl& crl : *stored) entries.push_back(entryFrom(crl));
  revocation_.crls().restore(entries);
  Result<std::vector<storage::StoredAri>> ari = store_->storedAri();
  noteStorage(ari ? Status{Ok{}} : Status{ari.error()}, "read the ARI cache");
  if (!ari) return;
  std::vector<revocation::AriEntry> answers;
  for (const storage::StoredAri& row : *ari) answers.push_back(ariFrom(row));
  revocation_.ari().restore(answers);
}

void Monitor::persistCrls() {
  std::vector<storage::StoredCrl> changed;
  for (const revocation::CrlEntryPtr& entry : revocation_.crls().takeChanged()) {
    if (entry->crls && entry->error.empty()) changed.push_back(storedFrom(*entry));
  }
  if (store_ && !changed.empty()) noteStorage(store_->saveCrls(changed), "keep fetched CRLs");
  std::vector<storage::StoredAri> answers;
  for (const revocation::AriEntryPtr& entry : revocation_.ari().takeChanged()) {
    answers.push_back(storedFrom(*entry));
  }
  if (store_ && !answers.empty()) {
    noteStorage(store_->saveAri(answers), "keep ACME renewal information");
  }
}

UnitSource& Monitor::sourceFor(SourceKind kind) { return *sources_.at(kind); }

Monitor::~Monitor() = default;

Status Monitor::configure(std::shared_ptr<const config::Config> config) {
  return configure(*config);
}

Status Monitor::configure(const config::Config& config) {
  Result<x509::TrustStore> trust =
      x509::TrustStore::load(config.trust.system, config.trust.ca_files);
  if (!trust) return trust.error();
  // Verdicts are keyed by trust identity; those of an old trust store would never be used again.
  if (trust_ && trust_->identity() != trust->identity()) verdicts_.clear();
  trust_ = std::make_unique<x509::TrustStore>(std::move(*trust));
  policy_.thresholds = config.thresholds;
  policy_.clients = config.clients;
  retention_ = config.retention;
  revocation_.setAcme(config.acme);
  probe_limits_.in_flight = std::max(1, config.concurrency);

  // Units that scan the same way keep their schedule (and, in their source, their caches).
  std::vector<ScanUnit> units = unitsFromConfig(config);
  std::unique_lock units_lock(units_mutex_);
  std::vector<UnitState> next;
  next.reserve(units.size());  // ~600 bytes each: no unused capacity kept for the daemon's life
  const TimePoint now = clock_.now();
  const SteadyTime steady_now = std::chrono::steady_clock::now();
  for (ScanUnit& unit : units) {
    auto old = std::find_if(units_.begin(), units_.end(),
                            [&unit](const UnitState& s) { return sameScan(s.unit, unit); });
    UnitState state;
    if (old != units_.end()) {
      state = std::move(*old);
      old->unit.name = SharedText();  // taken: a duplicate entry does not take it twice
      state.next_due = std::min(state.next_due, steady_now + unit.interval);
      if (sourceFor(sourceKindOf(unit)).rescanOnReload()) state.next_due = steady_now;
    } else {
      state.next_due = steady_now;  // at once (firstRun)
    }
    state.unit = std::move(unit);
    next.push_back(std::move(state));
  }
  units_ = std::move(next);
  forgetNextDue();
  units_lock.unlock();
  for (auto& [kind, source] : sources_) {
    std::vector<const ScanUnit*> of_kind;
    for (const UnitState& state : units_) {
      if (sourceKindOf(state.unit) == kind) of_kind.push_back(&state.unit);
    }
    source->configure(of_kind, *trust_, probe_limits_);
  }
  // The units hold every endpoint entry now (ScanUnit::endpoint): the config kept for readers
  // drops its own copy (~370 bytes an endpoint; configuredEndpoint() answers from the units).
  auto kept = std::make_shared<config::Config>(config);
  std::vector<config::EndpointConfig>().swap(kept->endpoints);
  {
    std::lock_guard lock(snapshot_mutex_);
    config_ = std::move(kept);
  }
  retireRemovedUnits(now);
  publish();
  return Ok{};
}

// Units removed from the config are never scanned again: their targets end now, so their
// findings resolve instead of staying active forever.
void Monitor::retireRemovedUnits(TimePoint now) {
  if (!store_) return;
  std::vector<std::string> names;
  for (const UnitState& state : units_) names.push_back(state.unit.name);
  Result<size_t> retired = store_->retireUnitsExcept(names, now);
  noteStorage(retired ? Status{Ok{}} : Status{retired.error()}, "retire removed units");
  if (retired && *retired > 0) {
    log::info("retired " + std::to_string(*retired) + " units no longer configured");
    if (recorded_hook_) recorded_hook_();
  }
}

void Monitor::scanAll() {
  std::vector<UnitState*> all;
  for (UnitState& state : units_) all.push_back(&state);
  scanUnits(all, {});
  publish();
}

void Monitor::scanUnits(const std::vector<UnitState*>& due,
                        const std::function<void()>& heartbeat) {
  for (auto& [kind, source] : sources_) {
    std::vector<UnitState*> states;
    std::vector<const ScanUnit*> units;
    for (UnitState* state : due) {
      if (sourceKindOf(state->unit) != kind) continue;
      states.push_back(state);
      units.push_back(&state->unit);
    }
    if (units.empty() || stopRequested()) continue;
    const SteadyTime started = std::chrono::steady_clock::now();
    SnapshotPtr previous = latest();
    const ScanContext context{certificates_, verdicts_,    *trust_,       policy_,
                              clock_,        &revocation_, previous.get()};
    std::vector<UnitOutcome> outcomes = source->scan(units, context, heartbeat);
    size_t targets = 0;
    for (const UnitOutcome& outcome : outcomes) targets += outcome.results.size();
    previous.reset();  // publish() below then frees the old generation with the old snapshot
    for (size_t i = 0; i < states.size(); ++i) {
      finishScan(*states[i], std::move(outcomes[i]), started);
    }
    recordScans(states);
    persistCrls();
    if (heartbeat) heartbeat();
    publish();
    // What the scan held only while it ran (probes and outcomes of a sweep; the expansion and
    // work list of a file entry) and the previous generation of results (released by publish)
    // are freed now, in holes between what stays, and glibc returns only the top of a heap by
    // itself: without this a sweep of 2,000 endpoints kept ~10 MB more resident, a scan of
    // 10^5 files ~40 MB.
    const bool small_heap = latest()->targets.size() < kTrimAfterTargets;
    if (small_heap || states.size() >= kTrimAfterUnits || targets >= kTrimAfterTargets) {
      malloc_trim(0);
    }
  }
}

void Monitor::finishScan(UnitState& state, UnitOutcome outcome, SteadyTime started) {
  replaceInPlace(state.last, std::move(outcome));
  state.runs += 1;
  const ScanUnit& unit = state.unit;
  state.next_due = started + nextDelay(unit.name, unit.interval, state.runs);
  forgetNextDue();
  ++scans_completed_;
  log::debug("scanned " + unit.name.str() + ": " + std::to_string(state.last.results.size()) +
             " targets, " + std::to_string(state.last.files_read) + " read");
}

// One transaction for the batch a source scanned together (a sweep of endpoints): one commit
// instead of one per unit.
void Monitor::recordScans(const std::vector<UnitState*>& states) {
  if (!store_ || states.empty()) return;
  std::vector<storage::StateStore::ScanToRecord> batch;
  batch.reserve(states.size());
  for (const UnitState* state : states) batch.push_back({&state->last.scan, &state->last.results});
  const Status recorded = store_->recordScans(batch);
  noteStorage(recorded, "record scans");
  // Even after an error: the batch's fallback may have kept some scans, and their events wait.
  if (recorded_hook_) recorded_hook_();
}

void Monitor::noteStorage(const Status& st, const std::string& what) {
  std::lock_guard lock(health_mutex_);
  if (st) {
    if (!health_.failing.empty()) log::notice("database writes work again");
    health_.failing.clear();
    return;
  }
  ++health_.errors_total;
  const std::string failing = "cannot " + what + ": " + st.error().describe();
  // Once per change of state, not once per scan: a full disk would flood the journal.
  if (health_.failing.empty()) {
    log::error(failing + " (scanning goes on; /metrics serves the latest results)");
  }
  health_.failing = failing;
}

StorageHealth Monitor::storageHealth() const {
  std::lock_guard lock(health_mutex_);
  return health_;
}

void Monitor::updateFirstPass() {
  if (first_pass_done_) return;
  const bool all_ran = std::all_of(units_.begin(), units_.end(),
                                   [](const UnitState& state) { return state.runs > 0; });
  if (all_ran) first_pass_done_ = true;
}

void Monitor::publish() {
  updateFirstPass();
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->generated_at = clock_.now();
  // Each unit's results come sorted by target (the scanners sort them): merging them costs
  // O(n) per unit, where sorting the whole list again cost O(n log n) string comparisons at
  // every publish (a tenth of a warm rescan of 10^5 files).
  const auto by_target = [](const auto& a, const auto& b) {
    return a->observation.target < b->observation.target;
  };
  auto& targets = snapshot->targets;
  size_t scanned = 0;
  size_t results = 0;
  for (const UnitState& state : units_) {
    scanned += state.runs == 0 ? 0 : 1;
    results += state.last.results.size();
  }
  snapshot->scans.reserve(scanned);  // sized once: no copies left behind while they grow
  targets.reserve(results);
  for (const UnitState& state : units_) {
    if (state.runs == 0) continue;
    snapshot->scans.push_back(state.last.scan);
    const auto mid = static_cast<std::ptrdiff_t>(targets.size());
    targets.insert(targets.end(), state.last.results.begin(), state.last.results.end());
    if (!std::is_sorted(targets.begin() + mid, targets.end(), by_target)) {
      std::sort(targets.begin() + mid, targets.end(), by_target);
    }
    std::inplace_merge(targets.begin(), targets.begin() + mid, targets.end(), by_target);
  }
  addRevocation(*snapshot);
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

void Monitor::addRevocation(Snapshot& snapshot) const {
  for (const revocation::CrlEntryPtr& entry : revocation_.crls().entries()) {
    snapshot.crls.push_back({entry->url, entry->next_update, entry->crls && entry->error.empty()});
  }
  const std::pair<const char*, revocation::FetchCounts> kinds[] = {
      {"ari", revocation_.ari().counts()},
      {"crl", revocation_.crls().counts()},
      {"ocsp", revocation_.ocsp().counts()}};
  for (const auto& [kind, counts] : kinds) {
    snapshot.revocation_fetches.push_back({kind, "error", counts.error});
    snapshot.revocation_fetches.push_back({kind, "not_modified", counts.not_modified});
    snapshot.revocation_fetches.push_back({kind, "ok", counts.ok});
  }
}

std::shared_ptr<const config::Config> Monitor::currentConfig() const {
  std::lock_guard lock(snapshot_mutex_);
  return config_;
}

std::optional<ConfiguredEndpoint> Monitor::configuredEndpoint(std::string_view address,
                                                              std::string_view servername) const {
  std::lock_guard lock(units_mutex_);
  for (const UnitState& state : units_) {
    if (configuresEndpoint(state.unit, address, servername)) {
      return ConfiguredEndpoint{*state.unit.endpoint, state.unit.clients};
    }
  }
  return std::nullopt;
}

SnapshotPtr Monitor::latest() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

SteadyTime Monitor::earliestDue() {
  if (!earliest_due_) {
    SteadyTime due = SteadyTime::max();
    for (const UnitState& state : units_) due = std::min(due, state.next_due);
    earliest_due_ = due;
  }
  return *earliest_due_;
}

void Monitor::pruneIfDue() {
  const SteadyTime steady_now = std::chrono::steady_clock::now();
  if (last_prune_ && steady_now - *last_prune_ < kPruneEvery) return;
  last_prune_ = steady_now;
  const TimePoint now = clock_.now();  // what is old is a matter of the wall clock
  certificates_.prune();               // certificates no file holds any more
  // Renewal information of certificates not asked about for a while: none presents them now.
  revocation_.ari().forgetBefore(now - kForgetAri);
  if (!store_) return;
  Result<size_t> forgotten = store_->pruneAri(now - kForgetAri);
  noteStorage(forgotten ? Status{Ok{}} : Status{forgotten.error()}, "prune ARI answers");
  Result<size_t> pruned = store_->pruneBefore(now - retention_);
  noteStorage(pruned ? Status{Ok{}} : Status{pruned.error()}, "prune old scans");
  if (pruned && *pruned > 0) {
    log::info("pruned " + std::to_string(*pruned) + " scans older than the retention");
  }
}

void Monitor::run(const std::function<void()>& heartbeat) {
  while (true) {
    applyPendingRequests();
    {
      std::lock_guard lock(request_mutex_);
      if (stop_requested_) return;
    }
    heartbeat();
    const SteadyTime now = std::chrono::steady_clock::now();
    std::vector<UnitState*> due;
    if (earliestDue() <= now) {
      for (UnitState& state : units_) {
        if (state.next_due <= now) due.push_back(&state);
      }
    }
    const bool scanned = !due.empty() && !stopRequested();
    if (scanned) scanUnits(due, heartbeat);
    if (scanned) pruneIfDue();
    std::unique_lock lock(request_mutex_);
    const auto wait_for = std::max<std::chrono::steady_clock::duration>(
        earliestDue() - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration{0});
    wake_.wait_for(
        lock, std::min<std::chrono::steady_clock::duration>(wait_for, kHeartbeatEvery),
        [this] { return stop_requested_ || scan_all_requested_ || pending_config_ != nullptr; });
  }
}

void Monitor::applyPendingRequests() {
  std::shared_ptr<const config::Config> config;
  std::function<void(const Status&)> done;
  bool scan_all = false;
  {
    std::lock_guard lock(request_mutex_);
    config = std::move(pending_config_);
    done = std::move(pending_done_);
    pending_config_.reset();
    scan_all = std::exchange(scan_all_requested_, false);
  }
  if (config) {
    Status st = configure(std::move(config));
    if (done) done(st);
  }
  if (scan_all) {
    for (UnitState& state : units_) state.next_due = std::chrono::steady_clock::now();
    forgetNextDue();
  }
}

bool Monitor::stopRequested() {
  std::lock_guard lock(request_mutex_);
  return stop_requested_;
}

void Monitor::requestStop() {
  std::lock_guard lock(request_mutex_);
  stop_requested_ = true;
  wake_.notify_all();
}

void Monitor::requestReload(std::shared_ptr<const config::Config> config,
                            std::function<void(const Status&)> done) {
  std::lock_guard lock(request_mutex_);
  pending_config_ = std::move(config);
  pending_done_ = std::move(done);
  wake_.notify_all();
}

void Monitor::requestScanAll() {
  std::lock_guard lock(request_mutex_);
  scan_all_requested_ = true;
  wake_.notify_all();
}

}  // namespace certvigil::scheduler
