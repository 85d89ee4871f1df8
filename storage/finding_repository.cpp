// SPDX-License-Identifier: Apache-2.0
#include "storage/finding_repository.h"

#include <string>

#include "storage/codec.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kLoad =
    "SELECT id, target_id, code, severity, fingerprint, position, message, remedy, cause"
    " FROM findings WHERE resolved_at IS NULL";

constexpr std::string_view kInsertHead =
    "INSERT INTO findings (id, target_id, code, severity, fingerprint, position, message, remedy,"
    " cause, first_seen) VALUES";
constexpr int kInsertColumns = 10;

constexpr std::string_view kUpdate =
    "UPDATE findings SET severity = ?2, message = ?3, remedy = ?4, cause = ?5 WHERE id = ?1";

constexpr std::string_view kActive =
    "SELECT t.name, u.name, f.code, f.severity, f.fingerprint, f.position, f.message, f.remedy,"
    "   f.cause, f.first_seen, COALESCE(f.last_seen, u.last_scan_at, f.first_seen)"
    " FROM findings f"
    " JOIN targets t ON t.id = f.target_id"
    " JOIN units u ON u.id = t.unit_id"
    " WHERE f.resolved_at IS NULL"
    " ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
    "   t.name, u.name, f.code, f.position";

Severity severityOrCritical(std::string_view text) {
  return severityFromString(text).value_or(Severity::Critical);
}

FindingState readFindingState(FingerprintPool& pool, const Statement& row) {
  FindingState state;
  state.row = row.columnInt(0);
  if (auto code = findingCodeFromString(row.columnText(2))) state.code = toByte(*code);
  state.severity = toByte(severityOrCritical(row.columnText(3)));
  state.fingerprint = pool.intern(row.columnText(4));
  state.position = static_cast<int32_t>(row.columnInt(5));
  state.content = findingContentDigest(row.columnText(6), row.columnText(7),
                                       rejectCauseFromString(row.columnText(8)));
  return state;
}

}  // namespace

Result<FindingRepository> FindingRepository::create(Database& db) {
  FindingRepository repo(db);
  auto status = prepareAll(
      db, {{&repo.load_, kLoad},
           {&repo.update_, kUpdate},
           {&repo.resolve_, "UPDATE findings SET resolved_at = ?2, last_seen = ?3 WHERE id = ?1"},
           {&repo.prune_, "DELETE FROM findings WHERE resolved_at < ?1"},
           {&repo.active_, kActive}});
  if (!status) return status.error();
  auto many = BatchInsert::prepare(db, kInsertHead, kInsertColumns);
  if (!many) return many.error();
  repo.insert_many_ = std::move(*many);
  return repo;
}

Status FindingRepository::load(FingerprintPool& pool, const LoadIndex& index) {
  return forEachRow(load_, [&](const Statement& row) {
    auto target = index.targets.find(row.columnInt(1));
    if (target == index.targets.end()) return;  // foreign_keys=ON makes this impossible
    target->second->findings.push_back(readFindingState(pool, row));
  });
}

Status FindingRepository::insertMany(const std::vector<NewFinding>& findings) {
  return insert_many_.insert(findings.size(), [&findings](Statement& st, int at, size_t i) {
    const NewFinding& row = findings[i];
    const Finding& f = *row.finding;
    st.bind(at, row.row)
        .bind(at + 1, row.target_row)
        .bind(at + 2, toString(f.code))
        .bind(at + 3, toString(f.severity))
        .bind(at + 4, f.fingerprint)
        .bind(at + 5, f.position)
        .bind(at + 6, f.message)
        .bind(at + 7, f.remedy)
        .bind(at + 9, row.first_seen);
    if (f.cause) {
      st.bind(at + 8, toString(*f.cause));
    } else {
      st.bindNull(at + 8);
    }
  });
}

Status FindingRepository::update(int64_t row, const Finding& finding) {
  update_.bind(1, row)
      .bind(2, toString(finding.severity))
      .bind(3, finding.message)
      .bind(4, finding.remedy);
  if (finding.cause) {
    update_.bind(5, toString(*finding.cause));
  } else {
    update_.bindNull(5);
  }
  return update_.run();
}

Status FindingRepository::resolve(int64_t row, int64_t resolved_at, int64_t last_seen) {
  return resolve_.bind(1, row).bind(2, resolved_at).bind(3, last_seen).run();
}

Result<size_t> FindingRepository::pruneResolved(int64_t cutoff) {
  const int64_t before = db_->totalChanges();
  if (auto status = prune_.bind(1, cutoff).run(); !status) return status.error();
  return static_cast<size_t>(db_->totalChanges() - before);
}

Result<std::vector<StoredFinding>> FindingRepository::active() {
  std::vector<StoredFinding> findings;
  auto status = forEachRow(active_, [&findings](const Statement& row) {
    auto code = findingCodeFromString(row.columnText(2));
    if (!code) return;
    StoredFinding& out = findings.emplace_back();
    out.target = row.columnString(0);
    out.unit = row.columnString(1);
    out.finding.code = *code;
    out.finding.severity = severityOrCritical(row.columnText(3));
    out.finding.fingerprint = row.columnString(4);
    out.finding.position = static_cast<int>(row.columnInt(5));
    out.finding.message = row.columnString(6);
    out.finding.remedy = row.columnString(7);
    out.finding.cause = rejectCauseFromString(row.columnText(8));
    out.first_seen = fromUnix(row.columnInt(9));
    out.last_seen = fromUnix(row.columnInt(10));
  });
  if (!status) return status.error();
  return findings;
}

}  // namespace certvigil::storage
