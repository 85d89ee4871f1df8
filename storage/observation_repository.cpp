// SPDX-License-Identifier: Apache-2.0
#include "storage/observation_repository.h"

#include <algorithm>
#include <string>

#include "storage/codec.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kLoad =
    "SELECT o.id, o.target_id, c.fingerprint, o.position, o.role"
    " FROM observations o JOIN certificates c ON c.id = o.certificate_id"
    " WHERE o.ended_at IS NULL";

constexpr std::string_view kInsert =
    "INSERT INTO observations (target_id, certificate_id, position, role, first_seen)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

// Active findings are grouped per (target, certificate) and attached to every position the
// certificate holds at that target.
constexpr std::string_view kInventory =
    "WITH active AS ("
    "  SELECT target_id, fingerprint, group_concat(code, ',') AS codes,"
    "    max(CASE severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END) AS worst"
    "  FROM findings WHERE resolved_at IS NULL AND fingerprint <> ''"
    "  GROUP BY target_id, fingerprint)"
    " SELECT t.name, t.kind, u.name, o.position, o.role, c.fingerprint, c.subject, c.issuer,"
    "   c.serial, c.not_before, c.not_after, o.first_seen,"
    "   COALESCE(o.last_seen, u.last_scan_at, o.first_seen), a.codes, a.worst"
    " FROM observations o"
    " JOIN targets t ON t.id = o.target_id"
    " JOIN units u ON u.id = t.unit_id"
    " JOIN certificates c ON c.id = o.certificate_id"
    " LEFT JOIN active a ON a.target_id = o.target_id AND a.fingerprint = c.fingerprint"
    " WHERE o.ended_at IS NULL"
    " ORDER BY t.name, u.name, o.position";

std::vector<std::string> splitCodes(std::string_view text) {
  std::vector<std::string> codes;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    codes.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

InventoryRow readInventoryRow(const Statement& row) {
  InventoryRow out;
  out.target = row.columnString(0);
  out.kind = targetKindOrFile(row.columnText(1));
  out.unit = row.columnString(2);
  out.position = static_cast<int>(row.columnInt(3));
  out.role = row.columnString(4);
  out.fingerprint = row.columnString(5);
  out.subject = row.columnString(6);
  out.issuer = row.columnString(7);
  out.serial = row.columnString(8);
  out.not_before = fromUnix(row.columnInt(9));
  out.not_after = fromUnix(row.columnInt(10));
  out.first_seen = fromUnix(row.columnInt(11));
  out.last_seen = fromUnix(row.columnInt(12));
  out.finding_codes = splitCodes(row.columnText(13));
  if (!row.columnIsNull(14)) {
    out.worst_severity = std::string(toString(static_cast<Severity>(row.columnInt(14))));
  }
  return out;
}

}  // namespace

Result<ObservationRepository> ObservationRepository::create(Database& db) {
  ObservationRepository repo(db);
  auto status = prepareAll(
      db, {{&repo.load_, kLoad},
           {&repo.insert_, kInsert},
           {&repo.role_, "UPDATE observations SET role = ?2 WHERE id = ?1"},
           {&repo.end_, "UPDATE observations SET ended_at = ?2, last_seen = ?3 WHERE id = ?1"},
           {&repo.prune_, "DELETE FROM observations WHERE ended_at < ?1"},
           {&repo.inventory_, kInventory}});
  if (!status) return status.error();
  auto many = BatchInsert::prepare(db,
                                   "INSERT INTO observations"
                                   " (id, target_id, certificate_id, position, role, first_seen)"
                                   " VALUES",
                                   6);
  if (!many) return many.error();
  repo.insert_many_ = std::move(*many);
  return repo;
}

Status ObservationRepository::load(FingerprintPool& pool, const LoadIndex& index) {
  return forEachRow(load_, [&](const Statement& row) {
    auto target = index.targets.find(row.columnInt(1));
    if (target == index.targets.end()) return;  // foreign_keys=ON makes this impossible
    ObservationState observation;
    observation.row = row.columnInt(0);
    observation.fingerprint = pool.intern(row.columnText(2));
    observation.position = static_cast<int32_t>(row.columnInt(3));
    observation.role = toByte(resolvedRoleFromString(row.columnText(4)));
    target->second->observations.push_back(observation);
  });
}

Result<int64_t> ObservationRepository::insert(int64_t target_row, int64_t certificate_row,
                                              int position, ResolvedRole role, int64_t first_seen) {
  insert_.bind(1, target_row)
      .bind(2, certificate_row)
      .bind(3, position)
      .bind(4, toString(role))
      .bind(5, first_seen);
  if (auto status = insert_.run(); !status) return status.error();
  return db_->lastInsertId();
}

Status ObservationRepository::insertMany(const std::vector<NewObservation>& observations) {
  return insert_many_.insert(observations.size(), [&observations](Statement& st, int at, size_t i) {
    const NewObservation& o = observations[i];
    st.bind(at, o.row)
        .bind(at + 1, o.target_row)
        .bind(at + 2, o.certificate_row)
        .bind(at + 3, o.position)
        .bind(at + 4, toString(o.role))
        .bind(at + 5, o.first_seen);
  });
}

Status ObservationRepository::updateRole(int64_t row, ResolvedRole role) {
  return role_.bind(1, row).bind(2, toString(role)).run();
}

Status ObservationRepository::end(int64_t row, int64_t ended_at, int64_t last_seen) {
  return end_.bind(1, row).bind(2, ended_at).bind(3, last_seen).run();
}

Result<size_t> ObservationRepository::pruneEnded(int64_t cutoff) {
  const int64_t before = db_->totalChanges();
  if (auto status = prune_.bind(1, cutoff).run(); !status) return status.error();
  return static_cast<size_t>(db_->totalChanges() - before);
}

Result<std::vector<InventoryRow>> ObservationRepository::inventory() {
  std::vector<InventoryRow> rows;
  auto status = forEachRow(
      inventory_, [&rows](const Statement& row) { rows.push_back(readInventoryRow(row)); });
  if (!status) return status.error();
  return rows;
}

}  // namespace certvigil::storage
