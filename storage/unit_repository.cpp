// SPDX-License-Identifier: Apache-2.0
#include "storage/unit_repository.h"

#include "storage/codec.h"

namespace certvigil::storage {

Result<UnitRepository> UnitRepository::create(Database& db) {
  UnitRepository repo(db);
  auto status = prepareAll(
      db, {{&repo.load_, "SELECT id, name, kind, last_scan_at FROM units"},
           {&repo.insert_, "INSERT INTO units (name, kind) VALUES (?1, ?2)"},
           {&repo.touch_, "UPDATE units SET last_scan_at = ?2, kind = ?3 WHERE id = ?1"}});
  if (!status) return status.error();
  return repo;
}

Status UnitRepository::load(StateCache& cache, LoadIndex& index) {
  return forEachRow(load_, [&](const Statement& row) {
    UnitState& unit = cache.units[row.columnString(1)];
    unit.row = row.columnInt(0);
    unit.kind = toByte(targetKindOrFile(row.columnText(2)));
    unit.last_scan_at = row.columnOptionalInt(3).value_or(0);
    index.units[unit.row] = &unit;
  });
}

Result<int64_t> UnitRepository::insert(std::string_view name, TargetKind kind) {
  insert_.bind(1, name).bind(2, toString(kind));
  if (auto status = insert_.run(); !status) return status.error();
  return db_->lastInsertId();
}

Status UnitRepository::touch(int64_t row, int64_t scanned_at, TargetKind kind) {
  return touch_.bind(1, row).bind(2, scanned_at).bind(3, toString(kind)).run();
}

}  // namespace certvigil::storage
