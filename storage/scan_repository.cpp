// SPDX-License-Identifier: Apache-2.0
#include "storage/scan_repository.h"

#include <algorithm>
#include <limits>

#include "storage/codec.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO scans (unit_id, kind, started_at, duration_seconds, outcome, targets, findings)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

constexpr std::string_view kRecent =
    "SELECT s.id, u.name, s.kind, s.started_at, s.duration_seconds, s.outcome, s.targets,"
    "   s.findings"
    " FROM scans s JOIN units u ON u.id = s.unit_id"
    " ORDER BY s.started_at DESC, s.id DESC LIMIT ?1";

ScanSummary readScanSummary(const Statement& row) {
  ScanSummary out;
  out.id = row.columnInt(0);
  out.unit = row.columnString(1);
  out.kind = targetKindOrFile(row.columnText(2));
  out.started_at = fromUnix(row.columnInt(3));
  out.duration_seconds = row.columnDouble(4);
  out.outcome = row.columnString(5);
  out.targets = static_cast<size_t>(row.columnInt(6));
  out.findings = static_cast<size_t>(row.columnInt(7));
  return out;
}

}  // namespace

Result<ScanRepository> ScanRepository::create(Database& db) {
  ScanRepository repo(db);
  auto status = prepareAll(db, {{&repo.insert_, kInsert},
                                {&repo.recent_, kRecent},
                                {&repo.prune_, "DELETE FROM scans WHERE started_at < ?1"}});
  if (!status) return status.error();
  return repo;
}

Status ScanRepository::insert(int64_t unit_row, const UnitScan& scan, size_t targets,
                              size_t findings) {
  return insert_.bind(1, unit_row)
      .bind(2, toString(scan.kind))
      .bind(3, toUnix(scan.started_at))
      .bind(4, scan.duration_seconds)
      .bind(5, std::string_view(scan.success ? "ok" : "failed"))
      .bind(6, static_cast<int64_t>(targets))
      .bind(7, static_cast<int64_t>(findings))
      .run();
}

Result<std::vector<ScanSummary>> ScanRepository::recent(size_t limit) {
  constexpr auto kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  std::vector<ScanSummary> rows;
  auto status = forEachRow(recent_.bind(1, static_cast<int64_t>(std::min(limit, kMax))),
                           [&rows](const Statement& row) { rows.push_back(readScanSummary(row)); });
  if (!status) return status.error();
  return rows;
}

Result<size_t> ScanRepository::pruneBefore(int64_t cutoff) {
  const int64_t before = db_->totalChanges();
  if (auto status = prune_.bind(1, cutoff).run(); !status) return status.error();
  return static_cast<size_t>(db_->totalChanges() - before);
}

}  // namespace certvigil::storage
