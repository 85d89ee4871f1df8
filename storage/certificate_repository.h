// SPDX-License-Identifier: Apache-2.0
// storage/certificate_repository.h: the `certificates` table — every certificate seen, stored
// once (DER included) and shared by all the targets that present it.
#pragma once

#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/result.h"
#include "storage/database.h"
#include "storage/state_cache.h"

namespace certvigil::storage {

class CertificateRepository {
 public:
  static Result<CertificateRepository> create(Database& db);

  /// Interns every stored fingerprint into `pool` with its row id.
  Status load(FingerprintPool& pool);
  /// Stores a certificate first seen at `first_seen`; returns its row id.
  Result<int64_t> insert(const CertificateFacts& facts, int64_t first_seen);
  /// Deletes certificates no observation refers to; returns their fingerprints.
  Result<std::vector<std::string>> pruneUnreferenced();

 private:
  explicit CertificateRepository(Database& db) : db_(&db) {}

  Database* db_;
  Statement load_;
  Statement insert_;
  Statement prune_;
};

}  // namespace certvigil::storage
