// SPDX-License-Identifier: Apache-2.0
// storage/crl_store.h: the `crl_cache` table — the last good CRL fetched from each distribution
// point URL, with its ETag and Last-Modified, read back at start.
#pragma once

#include <vector>

#include "core/result.h"
#include "storage/database.h"
#include "storage/stored_crl.h"

namespace certvigil::storage {

/// Every stored CRL.
Result<std::vector<StoredCrl>> loadCrls(Database& db);
/// Inserts or replaces each CRL (by URL), in one transaction.
Status saveCrls(Database& db, const std::vector<StoredCrl>& crls);

}  // namespace certvigil::storage
