// SPDX-License-Identifier: Apache-2.0
#include "storage/crl_store.h"

namespace certvigil::storage {

Result<std::vector<StoredCrl>> loadCrls(Database& db) {
  Result<Statement> select =
      db.prepare("SELECT url, body, etag, last_modified, fetched_at, next_update FROM crl_cache");
  if (!select) return select.error();
  std::vector<StoredCrl> out;
  Status read = forEachRow(*select, [&](const Statement& row) {
    StoredCrl crl;
    crl.url = row.columnString(0);
    crl.body = row.columnString(1);
    crl.etag = row.columnString(2);
    crl.last_modified = row.columnString(3);
    crl.fetched_at = fromUnix(row.columnInt(4));
    if (auto next = row.columnOptionalInt(5)) crl.next_update = fromUnix(*next);
    out.push_back(std::move(crl));
  });
  if (!read) return read.error();
  return out;
}

Status saveCrls(Database& db, const std::vector<StoredCrl>& crls) {
  if (crls.empty()) return Ok{};
  Result<Statement> upsert = db.prepare(
      "INSERT OR REPLACE INTO crl_cache (url, body, etag, last_modified, fetched_at, next_update) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!upsert) return upsert.error();
  auto tx = db.begin();
  if (!tx) return tx.error();
  for (const StoredCrl& crl : crls) {
    std::optional<int64_t> next;
    if (crl.next_update) next = toUnix(*crl.next_update);
    upsert->bind(1, crl.url).bindBlob(2, crl.body).bind(3, crl.etag).bind(4, crl.last_modified);
    if (Status run = upsert->bind(5, toUnix(crl.fetched_at)).bind(6, next).run(); !run) return run;
  }
  return tx->commit();
}

}  // namespace certvigil::storage
