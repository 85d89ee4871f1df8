// SPDX-License-Identifier: Apache-2.0
// storage/endpoint_repository.h: the endpoint_facts table (003_endpoints.sql): one row per
// endpoint target, upserted only when a fact changed.
#pragma once

#include <string>
#include <vector>

#include "core/endpoint.h"
#include "core/result.h"
#include "storage/database.h"

namespace certvigil::storage {

class EndpointRepository {
 public:
  static Result<EndpointRepository> create(Database& db);

  /// Writes the facts of the target's last probe; a no-op (no row written) when unchanged.
  Status upsert(int64_t target_row, const EndpointFacts& facts, int64_t now);

 private:
  EndpointRepository() = default;
  Statement upsert_;
};

/// A JSON array of strings, for acceptable_ca_names (no JSON library in storage).
std::string jsonStringArray(const std::vector<std::string>& items);

}  // namespace certvigil::storage
