// SPDX-License-Identifier: Apache-2.0
#include "storage/target_repository.h"

#include "storage/codec.h"

namespace certvigil::storage {

Result<TargetRepository> TargetRepository::create(Database& db) {
  TargetRepository repo(db);
  auto status = prepareAll(
      db, {{&repo.load_,
            "SELECT t.id, t.unit_id, t.name, t.kind, t.gone_at IS NOT NULL, o.origin, o.source"
            " FROM targets t LEFT JOIN target_origins o ON o.target_id = t.id"},
           {&repo.set_origin_,
            "INSERT INTO target_origins (target_id, origin, source) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (target_id) DO UPDATE SET origin = ?2, source = ?3"},
           {&repo.clear_origin_, "DELETE FROM target_origins WHERE target_id = ?1"},
           {&repo.insert_,
            "INSERT INTO targets (unit_id, name, kind, first_seen) VALUES (?1, ?2, ?3, ?4)"},
           {&repo.present_,
            "UPDATE targets SET gone_at = NULL, last_seen = NULL, kind = ?2 WHERE id = ?1"},
           {&repo.gone_, "UPDATE targets SET gone_at = ?2, last_seen = ?3 WHERE id = ?1"},
           {&repo.prune_, "DELETE FROM targets WHERE gone_at < ?1 RETURNING unit_id, name"}});
  if (!status) return status.error();
  auto many = BatchInsert::prepare(
      db, "INSERT INTO targets (id, unit_id, name, kind, first_seen) VALUES", 5);
  if (!many) return many.error();
  repo.insert_many_ = std::move(*many);
  return repo;
}

Status TargetRepository::load(LoadIndex& index) {
  return forEachRow(load_, [&index](const Statement& row) {
    auto unit = index.units.find(row.columnInt(1));
    if (unit == index.units.end()) return;  // foreign_keys=ON makes this impossible
    TargetState& target = unit->second->targets[row.columnString(2)];
    target.row = row.columnInt(0);
    target.kind = toByte(targetKindOrFile(row.columnText(3)));
    target.gone = row.columnInt(4) != 0;
    target.origin_digest = originDigest(row.columnText(5), row.columnText(6));
    if (!target.gone) ++unit->second->present;
    index.targets[target.row] = &target;
  });
}

Result<int64_t> TargetRepository::insert(int64_t unit_row, std::string_view name, TargetKind kind,
                                         int64_t first_seen) {
  insert_.bind(1, unit_row).bind(2, name).bind(3, toString(kind)).bind(4, first_seen);
  if (auto status = insert_.run(); !status) return status.error();
  return db_->lastInsertId();
}

Status TargetRepository::insertMany(const std::vector<NewTarget>& targets) {
  return insert_many_.insert(targets.size(), [&targets](Statement& st, int at, size_t i) {
    const NewTarget& t = targets[i];
    st.bind(at, t.row)
        .bind(at + 1, t.unit_row)
        .bind(at + 2, t.name)
        .bind(at + 3, toString(t.kind))
        .bind(at + 4, t.first_seen);
  });
}

uint64_t originDigest(std::string_view origin, std::string_view source) {
  if (origin.empty() && source.empty()) return 0;
  const uint64_t digest =
      std::hash<std::string>{}(std::string(origin) + '\n' + std::string(source));
  return digest == 0 ? 1 : digest;
}

Status TargetRepository::setOrigin(int64_t row, std::string_view origin, std::string_view source) {
  if (origin.empty() && source.empty()) return clear_origin_.bind(1, row).run();
  return set_origin_.bind(1, row).bind(2, origin).bind(3, source).run();
}

Status TargetRepository::markPresent(int64_t row, TargetKind kind) {
  return present_.bind(1, row).bind(2, toString(kind)).run();
}

Status TargetRepository::markGone(int64_t row, int64_t gone_at, int64_t last_seen) {
  return gone_.bind(1, row).bind(2, gone_at).bind(3, last_seen).run();
}

Result<std::vector<std::pair<int64_t, std::string>>> TargetRepository::pruneGone(int64_t cutoff) {
  std::vector<std::pair<int64_t, std::string>> pruned;
  auto status = forEachRow(prune_.bind(1, cutoff), [&pruned](const Statement& row) {
    pruned.emplace_back(row.columnInt(0), row.columnString(1));
  });
  if (!status) return status.error();
  return pruned;
}

}  // namespace certvigil::storage
