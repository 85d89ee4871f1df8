// SPDX-License-Identifier: Apache-2.0
// storage/stored_ari.h: ACME renewal information as the database keeps it (the `ari_cache`
// table; storage/ari_store.h reads and writes it). Times and text only.
#pragma once

#include <optional>
#include <string>

#include "core/time.h"

namespace certvigil::storage {

/// What a CA last said about one certificate, as stored.
struct StoredAri {
  std::string directory;
  std::string cert_id;
  std::string url;
  std::optional<TimePoint> window_start;  ///< with window_end: the last good answer
  std::optional<TimePoint> window_end;
  std::string explanation_url;
  TimePoint fetched_at{};
  TimePoint attempted_at{};
  TimePoint next_poll{};
  std::string error;
};

}  // namespace certvigil::storage
