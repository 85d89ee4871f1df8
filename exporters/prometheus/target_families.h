// exporters/prometheus/target_families.h: the per-target families — probe_success,
// probe_duration_seconds, cert_not_after/not_before_timestamp_seconds, cert_info and finding —
// written straight from the snapshot at scrape time. Nothing is cached between scrapes: a
// certificate that is gone simply is not written, and the renderer holds no memory while idle.
// Writing is fast enough without a cache (10^5 certificates in well under 50 ms) because every
// label is appended in place, escaping scans a word at a time, and nothing is allocated per
// series. This file is the one definition of every per-target label set (docs/METRICS.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::exporters {

/// The targets of `snapshot` that make series, in order: not null, and not repeating the
/// (kind, name) of an earlier target (the snapshot is ordered by name, so repeats are
/// adjacent), so no series is ever written twice.
std::vector<const TargetResult*> seriesTargets(const Snapshot& snapshot);

/// Certificate series of `targets`: certificates with facts.
size_t countCertificates(const std::vector<const TargetResult*>& targets);

/// Appends every per-target family with at least one series: HELP and TYPE once, then one line
/// per series, families in the order listed above.
void appendTargetFamilies(std::string& out, const std::vector<const TargetResult*>& targets);

}  // namespace certvigil::exporters
