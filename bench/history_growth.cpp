// SPDX-License-Identifier: Apache-2.0
// bench/history_growth: how large the state database grows over the 30-day default retention.
// Drives storage::StateStore the way the daemon's Monitor does (one recordScan per unit scan,
// pruning every simulated hour) on a simulated clock, with nothing changing between sweeps:
//   endpoints N: N endpoint entries (one unit and one target each: a distinct leaf and a shared
//                intermediate); each sweep hands over new result objects of equal content, as
//                a fresh probe does.
//   files N:     one `files:` entry expanding to N files (100 distinct certificates); each
//                sweep hands back the same result objects, as the file scanner's cache does.
// Prints "key value" lines: the database size after the first sweep, after the last sweep
// simulated, per further sweep, and projected to 30 days (linear; equal to the measured size
// when every sweep of the 30 days is simulated), and the rows of `scans`.
// Put DB_FILE on tmpfs (/dev/shm): the size is the same, and 2,000 fsyncs per sweep do not
// decide how long the simulation takes.
// Usage: history_growth DB_FILE endpoints|files COUNT INTERVAL_SECONDS [SWEEPS]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "storage/history_reader.h"
#include "storage/state_store.h"

namespace {

using namespace certvigil;
using Steady = std::chrono::steady_clock;

constexpr int64_t kDays = 30;
constexpr int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z

CertificateFactsPtr fakeCertificate(int n) {
  auto facts = std::make_shared<CertificateFacts>();
  char hex[65];
  (void)std::snprintf(hex, sizeof(hex), "%064x", n);
  facts->fingerprint_sha256 = hex;
  facts->subject = "CN=cert-" + std::to_string(n);
  facts->issuer = "CN=Bench CA";
  facts->serial = std::to_string(1000 + n);
  facts->not_before = fromUnix(kT0 - 86400);
  facts->not_after = fromUnix(kT0 + 86400 * (200 + n % 165));
  facts->key_type = KeyType::Ec;
  facts->key_bits = 256;
  facts->signature_algorithm = "ecdsa-with-SHA256";
  facts->has_eku = true;
  facts->eku_server_auth = true;
  facts->der = std::string(420, 'x') + hex;  // about the size of an EC P-256 leaf
  return facts;
}

TargetResultPtr makeResult(const std::string& unit, const std::string& target, TargetKind kind,
                           const std::vector<CertificateFactsPtr>& certificates) {
  auto result = std::make_shared<TargetResult>();
  result->unit = unit;
  result->observation.target = target;
  result->observation.kind = kind;
  for (size_t i = 0; i < certificates.size(); ++i) {
    result->observation.certificates.push_back({certificates[i], static_cast<int>(i)});
    result->roles.push_back(i == 0 ? ResolvedRole::Server : ResolvedRole::Ca);
  }
  return result;
}

UnitScan makeScan(const std::string& unit, TargetKind kind, int64_t at, size_t targets) {
  UnitScan scan;
  scan.unit = unit;
  scan.kind = kind;
  scan.started_at = fromUnix(at);
  scan.duration_seconds = 0.05;
  scan.targets = targets;
  return scan;
}

/// One sweep of every unit at `at`.
class Scenario {
 public:
  /// `per_unit`: each endpoint in a transaction of its own, as the daemon recorded them before
  /// sweeps were batched (the figure to compare with, in the same run).
  Scenario(bool endpoints, int count, bool per_unit)
      : endpoints_(endpoints), per_unit_(per_unit), count_(count) {
    intermediate_ = fakeCertificate(1);
    for (int i = 0; i < (endpoints ? count : 100); ++i) leaves_.push_back(fakeCertificate(2 + i));
    if (!endpoints) {
      for (int i = 0; i < count; ++i) {
        files_.push_back(makeResult("/srv/certs", "/srv/certs/" + std::to_string(i) + ".pem",
                                    TargetKind::File, {leaves_[i % 100], intermediate_}));
      }
    }
  }

  Status sweep(storage::StateStore& store, int64_t at) const {
    if (!endpoints_) {
      return store.recordScan(makeScan("/srv/certs", TargetKind::File, at, files_.size()), files_);
    }
    // As the daemon does: one unit per endpoint, the whole sweep in one transaction.
    std::vector<UnitScan> scans;
    std::vector<std::vector<TargetResultPtr>> results;
    scans.reserve(count_);
    results.reserve(count_);
    std::vector<storage::StateStore::ScanToRecord> batch;
    for (int i = 0; i < count_; ++i) {
      const std::string name =
          "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":443";
      results.push_back(
          {makeResult(name, name, TargetKind::Endpoint, {leaves_[i], intermediate_})});
      scans.push_back(makeScan(name, TargetKind::Endpoint, at, 1));
      batch.push_back({&scans.back(), &results.back()});
    }
    if (!per_unit_) return store.recordScans(batch);
    for (const auto& one : batch) {
      if (auto status = store.recordScans({one}); !status) return status;
    }
    return Ok{};
  }

 private:
  bool endpoints_;
  bool per_unit_;
  int count_;
  CertificateFactsPtr intermediate_;
  std::vector<CertificateFactsPtr> leaves_;
  std::vector<TargetResultPtr> files_;
};

/// The database's size as a reader sees it (page_count x page_size, the WAL included): what the
/// file holds once the WAL is checkpointed, measured without closing the writer (a restart
/// would begin new runs of scans and bias the figure).
long long databaseBytes(const std::string& path) {
  sqlite3* db = nullptr;
  long long bytes = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    const char* sql = "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size";
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      bytes = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close_v2(db);
  return bytes;
}

long long scanRows(const std::string& path) {
  auto reader = storage::HistoryReader::open(path);
  if (!reader) return -1;
  auto page = (*reader)->scans("", 1, 0);
  return page ? static_cast<long long>(page->total) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc > 6) {
    (void)std::fprintf(stderr,
                       "usage: history_growth DB_FILE endpoints|files COUNT INTERVAL_SECONDS "
                       "[SWEEPS]\n");
    return 2;
  }
  const std::string path = argv[1];
  const bool endpoints = std::string(argv[2]) == "endpoints";
  const int count = std::atoi(argv[3]);
  const int64_t interval = std::atoll(argv[4]);
  const int64_t in_30_days = kDays * 86400 / interval;
  const int64_t sweeps =
      argc == 6 ? std::min<int64_t>(std::atoll(argv[5]), in_30_days) : in_30_days;
  if (count <= 0 || interval <= 0 || sweeps < 2) return 2;

  const char* per_unit = std::getenv("HISTORY_GROWTH_PER_UNIT");
  Scenario scenario(endpoints, count, per_unit != nullptr && std::string(per_unit) == "1");
  auto opened = storage::StateStore::open(path);
  if (!opened) {
    (void)std::fprintf(stderr, "%s\n", opened.error().describe().c_str());
    return 1;
  }
  std::unique_ptr<storage::StateStore> store = std::move(*opened);
  if (!scenario.sweep(*store, kT0).ok()) return 1;
  const long long first = databaseBytes(path);
  const long long first_rows = scanRows(path);
  const auto start = Steady::now();
  int64_t last_prune = kT0;
  for (int64_t k = 1; k < sweeps; ++k) {
    const int64_t at = kT0 + k * interval;
    if (auto status = scenario.sweep(*store, at); !status) {
      (void)std::fprintf(stderr, "%s\n", status.error().describe().c_str());
      return 1;
    }
    if (at - last_prune >= 3600) {  // the Monitor prunes hourly
      last_prune = at;
      if (!store->pruneBefore(fromUnix(at - kDays * 86400))) return 1;
    }
  }
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  const long long last = databaseBytes(path);
  store.reset();
  const double per_sweep = static_cast<double>(last - first) / static_cast<double>(sweeps - 1);
  const double projected =
      static_cast<double>(first) + per_sweep * static_cast<double>(in_30_days - 1);
  std::printf("scenario %s %d every %llds\n", argv[2], count, static_cast<long long>(interval));
  std::printf("sweeps_simulated %lld of %lld in 30 days\n", static_cast<long long>(sweeps),
              static_cast<long long>(in_30_days));
  std::printf("db_bytes_after_first_sweep %lld\n", first);
  std::printf("db_bytes_after_last_sweep %lld\n", last);
  std::printf("db_bytes_per_sweep %.0f\n", per_sweep);
  std::printf("db_mb_30_days %.2f\n", projected / 1e6);
  const long long rows = scanRows(path);
  const double rows_per_sweep =
      static_cast<double>(rows - first_rows) / static_cast<double>(sweeps - 1);
  std::printf("scan_rows %lld\n", rows);
  std::printf("scan_rows_30_days %.0f\n", static_cast<double>(first_rows) +
                                              rows_per_sweep * static_cast<double>(in_30_days - 1));
  std::printf("seconds_per_sweep %.4f\n", seconds / static_cast<double>(sweeps - 1));
  return 0;
}
