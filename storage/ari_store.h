// SPDX-License-Identifier: Apache-2.0
// storage/ari_store.h: the `ari_cache` table — the renewal information asked of ACME CAs, by
// directory and certificate identifier, read back at start.
#pragma once

#include <vector>

#include "core/result.h"
#include "storage/database.h"
#include "storage/stored_ari.h"

namespace certvigil::storage {

/// Every stored answer.
Result<std::vector<StoredAri>> loadAri(Database& db);
/// Inserts or replaces each answer (by directory and identifier), in one transaction.
Status saveAri(Database& db, const std::vector<StoredAri>& answers);
/// Deletes the answers last asked for before `cutoff`; returns how many.
Result<size_t> pruneAri(Database& db, TimePoint cutoff);

}  // namespace certvigil::storage
