// SPDX-License-Identifier: Apache-2.0
// storage/stored_crl.h: a CRL fetched from a distribution point as the database keeps it (the
// `crl_cache` table; storage/crl_store.h reads and writes it). Bytes and times only.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"

namespace certvigil::storage {

/// One fetched CRL as stored: bytes and times only.
struct StoredCrl {
  std::string url;
  std::string body;  ///< the CRL as served (DER or PEM)
  std::string etag;
  std::string last_modified;
  TimePoint fetched_at{};
  std::optional<TimePoint> next_update;
};

}  // namespace certvigil::storage
