// SPDX-License-Identifier: Apache-2.0
#include "storage/scan_repository.h"

#include <algorithm>
#include <limits>

#include "storage/codec.h"
#include "storage/history_sql.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO scans (unit_id, kind, started_at, last_started_at, scan_count, duration_seconds,"
    "   outcome, targets, findings)"
    " VALUES (?1, ?2, ?3, ?3, 1, ?4, ?5, ?6, ?7)";

constexpr std::string_view kExtend =
    "UPDATE scans SET last_started_at = max(last_started_at, ?2), duration_seconds = ?3,"
    "   scan_count = scan_count + 1"
    " WHERE id = ?1";

}  // namespace

Result<ScanRepository> ScanRepository::create(Database& db) {
  ScanRepository repo(db);
  const std::string recent = std::string("SELECT ") + history::kScanColumns + history::kScanJoins +
                             " ORDER BY s.started_at DESC, s.id DESC LIMIT ?1";
  auto status = prepareAll(db, {{&repo.insert_, kInsert},
                                {&repo.extend_, kExtend},
                                {&repo.recent_, recent},
                                {&repo.prune_, "DELETE FROM scans WHERE last_started_at < ?1"}});
  if (!status) return status.error();
  return repo;
}

Result<int64_t> ScanRepository::insert(int64_t unit_row, const UnitScan& scan, size_t targets,
                                       size_t findings) {
  auto status = insert_.bind(1, unit_row)
                    .bind(2, toString(scan.kind))
                    .bind(3, toUnix(scan.started_at))
                    .bind(4, scan.duration_seconds)
                    .bind(5, std::string_view(scan.success ? "ok" : "failed"))
                    .bind(6, static_cast<int64_t>(targets))
                    .bind(7, static_cast<int64_t>(findings))
                    .run();
  if (!status) return status.error();
  return db_->lastInsertId();
}

Result<bool> ScanRepository::extend(int64_t row, const UnitScan& scan) {
  const int64_t before = db_->totalChanges();
  auto status =
      extend_.bind(1, row).bind(2, toUnix(scan.started_at)).bind(3, scan.duration_seconds).run();
  if (!status) return status.error();
  return db_->totalChanges() != before;
}

Result<std::vector<ScanSummary>> ScanRepository::recent(size_t limit) {
  constexpr auto kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  std::vector<ScanSummary> rows;
  auto status =
      forEachRow(recent_.bind(1, static_cast<int64_t>(std::min(limit, kMax))),
                 [&rows](const Statement& row) { rows.push_back(history::readScan(row)); });
  if (!status) return status.error();
  return rows;
}

Result<size_t> ScanRepository::pruneBefore(int64_t cutoff) {
  const int64_t before = db_->totalChanges();
  if (auto status = prune_.bind(1, cutoff).run(); !status) return status.error();
  return static_cast<size_t>(db_->totalChanges() - before);
}

}  // namespace certvigil::storage
