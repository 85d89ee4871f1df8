// SPDX-License-Identifier: Apache-2.0
#include "storage/state_store.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "storage/ari_store.h"
#include "storage/crl_store.h"
#include "storage/database.h"
#include "storage/migrations.h"
#include "storage/repositories.h"
#include "storage/scan_recorder.h"
#include "storage/state_cache.h"

namespace certvigil::storage {

// Member order is teardown order in reverse: the cache and the prepared statements go before
// the connection closes.
struct StateStore::Impl {
  std::unique_ptr<Database> db;
  Repositories repos;
  StateCache cache;
  UuidGenerator ids;  ///< alert event ids
  int version = 0;
  bool read_only = false;
  bool cache_valid = false;

  /// An Error for a write attempted through a read-only store.
  Status writable() const;

  /// Replaces the cache with the database's current state, read in one snapshot.
  Status reload();
  /// Reloads the cache if a failed write left it out of step with the database.
  Status ensureCache();
  /// Runs `write()` in one transaction; on failure rolls back and reloads the cache.
  template <typename F>
  Status inTransaction(F&& write);
  /// inTransaction with a recorder whose writes happen at `now`.
  template <typename F>
  Status writeWith(int64_t now, F&& write) {
    return inTransaction([&] {
      ScanRecorder recorder(repos, cache, now, ids);
      return write(recorder);
    });
  }
  /// Records one scan through a recorder of its own (its start is when its writes happen).
  Status recordOne(const UnitScan& scan, const std::vector<TargetResultPtr>& results) {
    ScanRecorder recorder(repos, cache, toUnix(scan.started_at), ids);
    return recorder.record(scan, results);
  }
  /// Drops pruned targets and certificates from the cache.
  void forget(const std::vector<std::pair<int64_t, std::string>>& targets,
              const std::vector<std::string>& fingerprints);
};

Status StateStore::Impl::reload() {
  cache_valid = false;
  auto tx = db->beginRead();
  if (!tx) return tx.error();
  if (auto status = repos.load(cache); !status) {
    cache.clear();
    return status;
  }
  if (auto status = tx->commit(); !status) return status;
  cache_valid = true;
  return Ok{};
}

Status StateStore::Impl::writable() const {
  if (!read_only) return Ok{};
  return makeError(ErrorCode::Unsupported, "the state database was opened read-only",
                   db->path().string());
}

Status StateStore::Impl::ensureCache() { return cache_valid ? Status(Ok{}) : reload(); }

template <typename F>
Status StateStore::Impl::inTransaction(F&& write) {
  if (auto status = writable(); !status) return status;
  if (auto status = ensureCache(); !status) return status;
  Status status = [&]() -> Status {
    auto tx = db->begin();
    if (!tx) return tx.error();
    if (auto written = write(); !written) return written;  // tx rolls back
    return tx->commit();
  }();
  repos.releaseBatchStatements();
  db->releaseCache();
  // The recorder updates the cache as it writes: after a rollback it no longer matches the
  // database. Reload now; if that fails too, the next write retries before diffing.
  if (!status) (void)reload();
  return status;
}

void StateStore::Impl::forget(const std::vector<std::pair<int64_t, std::string>>& targets,
                              const std::vector<std::string>& fingerprints) {
  std::unordered_map<int64_t, UnitState*> units;
  for (auto& [name, unit] : cache.units) units[unit.row] = &unit;
  for (const auto& [unit_row, name] : targets) {
    auto it = units.find(unit_row);
    if (it == units.end()) continue;
    it->second->targets.erase(name);
    // Only gone targets are pruned, and the last scan listed none of them; but never keep a
    // pointer to an erased target on a "should not happen".
    it->second->last_results.clear();
    it->second->last_results_known = false;
  }
  for (const auto& fingerprint : fingerprints) {
    if (auto id = cache.fingerprints.find(fingerprint))
      cache.fingerprints.setCertificateRow(*id, 0);
  }
}

StateStore::StateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StateStore::~StateStore() = default;

Result<std::unique_ptr<StateStore>> StateStore::open(const std::filesystem::path& path) {
  auto db = Database::open(path);
  if (!db) return db.error();
  auto version = migrate(**db);
  if (!version) return version.error();
  auto repos = Repositories::create(**db);
  if (!repos) return repos.error();
  auto impl = std::make_unique<Impl>(Impl{std::move(*db), std::move(*repos), {}, {}, *version});
  if (auto status = impl->reload(); !status) return status.error();
  return std::unique_ptr<StateStore>(new StateStore(std::move(impl)));
}

Result<std::unique_ptr<StateStore>> StateStore::openReadOnly(const std::filesystem::path& path) {
  auto db = Database::open(path, OpenMode::ReadOnly);
  if (!db) return db.error();
  auto version = checkCurrent(**db);
  if (!version) return version.error();
  auto repos = Repositories::create(**db);
  if (!repos) return repos.error();
  auto impl = std::make_unique<Impl>(Impl{std::move(*db), std::move(*repos), {}, {}, *version});
  impl->read_only = true;
  return std::unique_ptr<StateStore>(new StateStore(std::move(impl)));
}

Status StateStore::recordScan(const UnitScan& scan, const std::vector<TargetResultPtr>& results) {
  if (scan.unit.empty()) return makeError(ErrorCode::Invalid, "a scan needs a unit name");
  return impl_->inTransaction([&] { return impl_->recordOne(scan, results); });
}

Status StateStore::recordScans(const std::vector<ScanToRecord>& scans) {
  for (const ScanToRecord& s : scans) {
    if (s.scan == nullptr || s.results == nullptr || s.scan->unit.empty()) {
      return makeError(ErrorCode::Invalid, "a scan needs a unit name");
    }
  }
  Status batch = impl_->inTransaction([&]() -> Status {
    for (const ScanToRecord& s : scans) {
      if (auto recorded = impl_->recordOne(*s.scan, *s.results); !recorded) return recorded;
    }
    return Ok{};
  });
  if (batch || scans.size() == 1) return batch;
  // The batch rolled back as a whole: keep every scan that can be kept, one by one. Two scans
  // in a row failing as the batch did point at the database (a full disk, a lost file), not
  // at a unit: stop there rather than fail, and reload the cache, once per unit. The scans
  // left are recorded by their units' next scan.
  Status first = Ok{};
  int same_in_a_row = 0;
  for (const ScanToRecord& s : scans) {
    Status one = recordScan(*s.scan, *s.results);
    if (one) {
      same_in_a_row = 0;
      continue;
    }
    if (first) first = one;
    same_in_a_row = one.error().message == batch.error().message ? same_in_a_row + 1 : 0;
    if (same_in_a_row == 2) break;
  }
  return first;
}

Result<size_t> StateStore::retireUnitsExcept(const std::vector<std::string>& configured,
                                             TimePoint at) {
  const std::unordered_set<std::string> keep(configured.begin(), configured.end());
  size_t retired = 0;
  auto status = impl_->writeWith(toUnix(at), [&](ScanRecorder& recorder) -> Status {
    for (auto& [name, unit] : impl_->cache.units) {
      if (keep.contains(name)) continue;
      const int64_t before = impl_->db->totalChanges();
      if (auto done = recorder.retire(unit); !done) return done;
      if (impl_->db->totalChanges() != before) ++retired;
    }
    return Ok{};
  });
  if (!status) return status.error();
  return retired;
}

Result<std::vector<StoredFinding>> StateStore::activeFindings() const {
  return impl_->repos.findings.active();
}

Result<std::vector<InventoryRow>> StateStore::inventory() const {
  return impl_->repos.observations.inventory();
}

Result<std::vector<ScanSummary>> StateStore::recentScans(size_t limit) const {
  return impl_->repos.scans.recent(limit);
}

Result<size_t> StateStore::pruneBefore(TimePoint cutoff) {
  if (auto status = impl_->writable(); !status) return status.error();
  if (auto status = impl_->ensureCache(); !status) return status.error();
  const int64_t at = toUnix(cutoff);
  Repositories& repos = impl_->repos;
  size_t scans = 0;
  std::vector<std::pair<int64_t, std::string>> targets;
  std::vector<std::string> fingerprints;
  // Children before parents: ended observations and resolved findings, then gone targets
  // (their remaining history cascades), then certificates nothing refers to any more.
  Status status = [&]() -> Status {
    auto tx = impl_->db->begin();
    if (!tx) return tx.error();
    auto pruned = repos.scans.pruneBefore(at);
    if (!pruned) return pruned.error();
    scans = *pruned;
    if (auto ended = repos.observations.pruneEnded(at); !ended) return ended.error();
    if (auto resolved = repos.findings.pruneResolved(at); !resolved) return resolved.error();
    auto gone = repos.targets.pruneGone(at);
    if (!gone) return gone.error();
    targets = std::move(*gone);
    auto unreferenced = repos.certificates.pruneUnreferenced();
    if (!unreferenced) return unreferenced.error();
    fingerprints = std::move(*unreferenced);
    // Alert events are history too; any still undelivered are long past max_age. Pruning
    // changes no finding's state: it writes no event.
    const std::string events = "DELETE FROM events WHERE created_at < " + std::to_string(at);
    if (auto deleted = impl_->db->exec(events); !deleted) return deleted;
    return tx->commit();
  }();
  if (!status) return status.error();
  impl_->forget(targets, fingerprints);
  (void)impl_->db->exec("PRAGMA optimize");  // refreshes planner statistics; best effort
  return scans;
}

Status StateStore::integrityCheck() const {
  Database& db = *impl_->db;
  auto integrity = db.prepare("PRAGMA integrity_check(20)");
  if (!integrity) return integrity.error();
  std::string problems;
  auto status = forEachRow(*integrity, [&problems](const Statement& row) {
    if (row.columnText(0) == "ok") return;
    if (!problems.empty()) problems += "; ";
    problems += row.columnText(0);
  });
  if (!status) return status;
  auto foreign = db.prepare("PRAGMA foreign_key_check");
  if (!foreign) return foreign.error();
  status = forEachRow(*foreign, [&problems](const Statement& row) {
    if (!problems.empty()) problems += "; ";
    problems += "dangling reference in " + row.columnString(0) + " row " + row.columnString(1);
  });
  if (!status) return status;
  if (!problems.empty()) {
    return makeError(ErrorCode::Database, "integrity check failed: " + problems,
                     db.path().string());
  }
  return Ok{};
}

int StateStore::schemaVersion() const { return impl_->version; }

Result<std::vector<StoredCrl>> StateStore::storedCrls() const { return loadCrls(*impl_->db); }

Status StateStore::saveCrls(const std::vector<StoredCrl>& crls) {
  if (auto status = impl_->writable(); !status) return status;
  return storage::saveCrls(*impl_->db, crls);
}

Result<std::vector<StoredAri>> StateStore::storedAri() const { return loadAri(*impl_->db); }

Status StateStore::saveAri(const std::vector<StoredAri>& answers) {
  if (auto status = impl_->writable(); !status) return status;
  return storage::saveAri(*impl_->db, answers);
}

Result<size_t> StateStore::pruneAri(TimePoint cutoff) {
  if (auto status = impl_->writable(); !status) return status.error();
  return storage::pruneAri(*impl_->db, cutoff);
}

int64_t StateStore::rowsWritten() const { return impl_->db->totalChanges(); }

}  // namespace certvigil::storage
