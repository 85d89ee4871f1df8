#include "scheduler/monitor.h"

#include <algorithm>
#include <chrono>

#include "core/log.h"
#include "scheduler/endpoint_scanner.h"
#include "scheduler/schedule.h"

namespace certvigil::scheduler {
namespace {

// Two units with the same identity scan the same things the same way; their caches carry over
// a reload. The interval is not part of it (a new interval just reschedules).
std::string unitIdentity(const ScanUnit& u) {
  std::string id = std::string(toString(u.kind)) + "|" + u.name + "|" +
                   std::string(toString(u.role)) + "|" + u.key.string() + "|" +
                   u.password_file.string() + "|" + u.chain.string() + "|" + u.hostname;
  for (const auto& c : u.crl_files) id += "|" + c.string();
  if (u.endpoint) {
    const probers::EndpointSpec& e = *u.endpoint;
    id += "|" + e.address + "|" + e.servername + "|" + std::to_string(static_cast<int>(e.mtls)) +
          "|" + e.client.certificate.string() + "|" + e.client.key.string() + "|" +
          e.client.pkcs12.string() + "|" + e.client.password_file.string() + "|" +
          e.expect_file.string() + "|" + std::to_string(static_cast<int>(e.starttls)) + "|" +
          (e.all_addresses ? "all" : "one") + "|" + std::to_string(e.timeout.count());
  }
  return id;
}

constexpr Seconds kHeartbeatEvery{5};
constexpr Seconds kPruneEvery{3600};

}  // namespace

Monitor::Monitor(storage::StateStore* store, const Clock& clock)
    : store_(store), clock_(clock), snapshot_(std::make_shared<Snapshot>()) {}

Monitor::~Monitor() = default;

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
  concurrency_ = std::max(1, config.concurrency);
  endpoint_prober_ =
      std::make_unique<probers::EndpointProber>(certificates_, verdicts_, *trust_, concurrency_);

  std::map<std::string, UnitState> next;
  const TimePoint now = clock_.now();
  for (ScanUnit unit : unitsFromConfig(config)) {
    const std::string id = unitIdentity(unit);
    if (auto old = units_.find(id); old != units_.end()) {
      UnitState state = std::move(old->second);
      units_.erase(old);
      state.next_run = std::min(state.next_run, now + unit.interval);
      state.scanner->setUnit(std::move(unit));
      next.emplace(id, std::move(state));
      continue;
    }
    UnitState state;
    state.next_run = firstRun(unit.name, now);
    state.scanner = std::make_unique<UnitScanner>(std::move(unit));
    next.emplace(id, std::move(state));
  }
  units_ = std::move(next);
  {
    auto applied = std::make_shared<const config::Config>(config);
    std::lock_guard lock(snapshot_mutex_);
    config_ = std::move(applied);
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
  for (const auto& [id, state] : units_) names.push_back(state.scanner->unit().name);
  Result<size_t> retired = store_->retireUnitsExcept(names, now);
  noteStorage(retired ? Status{Ok{}} : Status{retired.error()}, "retire removed units");
  if (retired && *retired > 0) {
    log::info("retired " + std::to_string(*retired) + " units no longer configured");
  }
}

void Monitor::scanAll() {
  std::vector<UnitState*> endpoints;
  for (auto& [id, state] : units_) {
    if (state.scanner->unit().kind == TargetKind::Endpoint) {
      endpoints.push_back(&state);
    } else {
      scanUnit(state);
    }
  }
  scanEndpoints(endpoints, {});
  publish();
}

void Monitor::scanUnit(UnitState& state) {
  const ScanContext context{certificates_, verdicts_, *trust_, policy_, clock_};
  finishScan(state, state.scanner->scan(context));
}

// Endpoints are probed in one batch (one event loop, `concurrency` in flight), then each unit
// is recorded like a file unit.
void Monitor::scanEndpoints(const std::vector<UnitState*>& due,
                            const std::function<void()>& heartbeat) {
  if (due.empty()) return;
  std::vector<const ScanUnit*> units;
  units.reserve(due.size());
  for (const UnitState* state : due) units.push_back(&state->scanner->unit());
  const ScanContext context{certificates_, verdicts_, *trust_, policy_, clock_};
  std::vector<UnitOutcome> outcomes =
      scanEndpointUnits(units, context, *endpoint_prober_, heartbeat);
  for (size_t i = 0; i < due.size(); ++i) finishScan(*due[i], std::move(outcomes[i]));
}

void Monitor::finishScan(UnitState& state, UnitOutcome outcome) {
  state.last = std::move(outcome);
  state.runs += 1;
  const ScanUnit& unit = state.scanner->unit();
  state.next_run = nextRun(unit.name, state.last.scan.started_at, unit.interval, state.runs);
  if (store_) noteStorage(store_->recordScan(state.last.scan, state.last.results), "record scans");
  ++scans_completed_;
  log::debug("scanned " + unit.name + ": " + std::to_string(state.last.results.size()) +
             " targets, " + std::to_string(state.last.files_read) + " read");
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
                                   [](const auto& entry) { return entry.second.runs > 0; });
  if (all_ran) first_pass_done_ = true;
}

void Monitor::publish() {
  updateFirstPass();
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->generated_at = clock_.now();
  for (const auto& [id, state] : units_) {
    if (state.runs == 0) continue;
    snapshot->scans.push_back(state.last.scan);
    snapshot->targets.insert(snapshot->targets.end(), state.last.results.begin(),
                             state.last.results.end());
  }
  std::sort(snapshot->targets.begin(), snapshot->targets.end(), [](const auto& a, const auto& b) {
    return a->observation.target < b->observation.target;
  });
  std::lock_guard lock(snapshot_mutex_);
  snapshot_ = std::move(snapshot);
}

std::shared_ptr<const config::Config> Monitor::currentConfig() const {
  std::lock_guard lock(snapshot_mutex_);
  return config_;
}

SnapshotPtr Monitor::latest() const {
  std::lock_guard lock(snapshot_mutex_);
  return snapshot_;
}

TimePoint Monitor::nextDue() const {
  TimePoint due = clock_.now() + kHeartbeatEvery;
  for (const auto& [id, state] : units_) due = std::min(due, state.next_run);
  return due;
}

void Monitor::pruneIfDue(TimePoint now) {
  if (now - last_prune_ < kPruneEvery) return;
  last_prune_ = now;
  certificates_.prune();  // certificates no file holds any more
  if (!store_) return;
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
    const TimePoint now = clock_.now();
    bool scanned = false;
    std::vector<UnitState*> endpoints;
    for (auto& [id, state] : units_) {
      if (state.next_run > now || stopRequested()) continue;
      scanned = true;
      if (state.scanner->unit().kind == TargetKind::Endpoint) {
        endpoints.push_back(&state);
        continue;
      }
      scanUnit(state);
      heartbeat();
      publish();
    }
    if (!endpoints.empty() && !stopRequested()) {
      scanEndpoints(endpoints, heartbeat);
      heartbeat();
      publish();
    }
    if (scanned) pruneIfDue(now);
    std::unique_lock lock(request_mutex_);
    const auto wait_for = std::max(nextDue() - clock_.now(), Seconds{0});
    wake_.wait_for(lock, std::min<std::chrono::seconds>(wait_for, kHeartbeatEvery), [this] {
      return stop_requested_ || scan_all_requested_ || pending_config_ != nullptr;
    });
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
    Status st = configure(*config);
    if (done) done(st);
  }
  if (scan_all) {
    for (auto& [id, state] : units_) state.next_run = clock_.now();
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
