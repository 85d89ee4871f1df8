// SPDX-License-Identifier: Apache-2.0
#include "storage/ari_store.h"

namespace certvigil::storage {
namespace {

std::optional<int64_t> unixOf(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return toUnix(*t);
}

}  // namespace

Result<std::vector<StoredAri>> loadAri(Database& db) {
  Result<Statement> select = db.prepare(
      "SELECT directory, cert_id, url, window_start, window_end, explanation_url, fetched_at, "
      "attempted_at, next_poll, error FROM ari_cache");
  if (!select) return select.error();
  std::vector<StoredAri> out;
  Status read = forEachRow(*select, [&](const Statement& row) {
    StoredAri ari;
    ari.directory = row.columnString(0);
    ari.cert_id = row.columnString(1);
    ari.url = row.columnString(2);
    if (auto start = row.columnOptionalInt(3)) ari.window_start = fromUnix(*start);
    if (auto end = row.columnOptionalInt(4)) ari.window_end = fromUnix(*end);
    ari.explanation_url = row.columnString(5);
    ari.fetched_at = fromUnix(row.columnInt(6));
    ari.attempted_at = fromUnix(row.columnInt(7));
    ari.next_poll = fromUnix(row.columnInt(8));
    ari.error = row.columnString(9);
    out.push_back(std::move(ari));
  });
  if (!read) return read.error();
  return out;
}

Status saveAri(Database& db, const std::vector<StoredAri>& answers) {
  if (answers.empty()) return Ok{};
  Result<Statement> upsert = db.prepare(
      "INSERT OR REPLACE INTO ari_cache (directory, cert_id, url, window_start, window_end, "
      "explanation_url, fetched_at, attempted_at, next_poll, error) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (!upsert) return upsert.error();
  auto tx = db.begin();
  if (!tx) return tx.error();
  for (const StoredAri& a : answers) {
    upsert->bind(1, a.directory).bind(2, a.cert_id).bind(3, a.url);
    upsert->bind(4, unixOf(a.window_start)).bind(5, unixOf(a.window_end));
    upsert->bind(6, a.explanation_url).bind(7, toUnix(a.fetched_at));
    upsert->bind(8, toUnix(a.attempted_at)).bind(9, toUnix(a.next_poll)).bind(10, a.error);
    if (Status run = upsert->run(); !run) return run;
  }
  return tx->commit();
}

Result<size_t> pruneAri(Database& db, TimePoint cutoff) {
  Result<Statement> prune = db.prepare("DELETE FROM ari_cache WHERE attempted_at < ?1");
  if (!prune) return prune.error();
  const int64_t before = db.totalChanges();
  if (Status run = prune->bind(1, toUnix(cutoff)).run(); !run) return run.error();
  return static_cast<size_t>(db.totalChanges() - before);
}

}  // namespace certvigil::storage
