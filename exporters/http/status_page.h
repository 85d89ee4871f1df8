// exporters/http/status_page.h: the placeholder status page at "/": certificates by days left
// and targets that yielded none, as plain server-side HTML (no scripts). A full page with
// findings and remedies comes later; this one already escapes everything it prints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/snapshot.h"
#include "core/time.h"

namespace certvigil::exporters {

/// Rows shown per table at most; the page says how many were left out.
inline constexpr size_t kStatusPageMaxRows = 1000;

/// Appends `text` with &, <, >, " and ' replaced by entities.
void appendHtmlEscaped(std::string& out, std::string_view text);

/// Whole days from `now` until `not_after`, rounded down (negative once expired).
int64_t daysLeft(TimePoint not_after, TimePoint now);

/// The page for `snapshot` as seen at `now`.
std::string renderStatusPage(const Snapshot& snapshot, TimePoint now,
                             size_t max_rows = kStatusPageMaxRows);

}  // namespace certvigil::exporters
