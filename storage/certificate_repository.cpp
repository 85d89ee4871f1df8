// SPDX-License-Identifier: Apache-2.0
#include "storage/certificate_repository.h"

namespace certvigil::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO certificates (fingerprint, subject, issuer, serial, not_before, not_after, key,"
    " signature_algorithm, is_ca, eku, der, first_seen)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

constexpr std::string_view kPrune =
    "DELETE FROM certificates WHERE NOT EXISTS"
    " (SELECT 1 FROM observations o WHERE o.certificate_id = certificates.id)"
    " RETURNING fingerprint";

}  // namespace

Result<CertificateRepository> CertificateRepository::create(Database& db) {
  CertificateRepository repo(db);
  auto status = prepareAll(db, {{&repo.load_, "SELECT id, fingerprint FROM certificates"},
                                {&repo.insert_, kInsert},
                                {&repo.prune_, kPrune}});
  if (!status) return status.error();
  return repo;
}

Status CertificateRepository::load(FingerprintPool& pool) {
  return forEachRow(load_, [&pool](const Statement& row) {
    pool.setCertificateRow(pool.intern(row.columnText(1)), row.columnInt(0));
  });
}

Result<int64_t> CertificateRepository::insert(const CertificateFacts& facts, int64_t first_seen) {
  const std::string key = facts.keyText();
  const std::string eku = facts.ekuText();
  insert_.bind(1, facts.fingerprint_sha256)
      .bind(2, facts.subject)
      .bind(3, facts.issuer)
      .bind(4, facts.serial)
      .bind(5, toUnix(facts.not_before))
      .bind(6, toUnix(facts.not_after))
      .bind(7, key)
      .bind(8, facts.signature_algorithm)
      .bind(9, facts.is_ca ? 1 : 0)
      .bind(10, eku)
      .bindBlob(11, facts.der)
      .bind(12, first_seen);
  if (auto status = insert_.run(); !status) return status.error();
  return db_->lastInsertId();
}

Result<std::vector<std::string>> CertificateRepository::pruneUnreferenced() {
  std::vector<std::string> fingerprints;
  auto status = forEachRow(
      prune_, [&](const Statement& row) { fingerprints.push_back(row.columnString(0)); });
  if (!status) return status.error();
  return fingerprints;
}

}  // namespace certvigil::storage
