// SPDX-License-Identifier: Apache-2.0
// exporters/http/snapshot_rows.h: the rows of /api/v1/certificates as the latest snapshot holds
// them, for the counts the status page shows (api_summary.cpp, api_timeline.cpp) without a query
// over every row. They must count what the database lists for the same scan (the recorder,
// storage/scan_recorder.cpp, and the listing, storage/history_sql.cpp), so this follows both:
// a certificate without a fingerprint is not recorded; the same certificate twice at one
// position is one row; its severity is the worst active finding of the target that names its
// fingerprint, whatever the position the finding names. Internal header.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>

#include "core/snapshot.h"

namespace certvigil::exporters::api {

/// The worst finding of `result` about the certificate with this fingerprint, or nullopt.
inline std::optional<Severity> worstAbout(const TargetResult& result,
                                          const std::string& fingerprint) {
  std::optional<Severity> worst;
  for (const Finding& finding : result.findings) {
    if (finding.fingerprint != fingerprint) continue;
    if (!worst || finding.severity > *worst) worst = finding.severity;
  }
  return worst;
}

/// Calls visit(const CertificateFacts&, std::optional<Severity> worst) once per row the database
/// keeps for the snapshot's targets: each target's certificates presented now.
template <typename Visit>
void forEachPresented(const Snapshot& snapshot, Visit visit) {
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    const auto& all = result->observation.certificates;
    for (size_t i = 0; i < all.size(); ++i) {
      if (!all[i].facts || all[i].facts->fingerprint_sha256.empty()) continue;
      const auto same = [&](const PresentedCertificate& earlier) {
        return earlier.facts && earlier.position == all[i].position &&
               earlier.facts->fingerprint_sha256 == all[i].facts->fingerprint_sha256;
      };
      if (std::any_of(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), same)) continue;
      visit(*all[i].facts, worstAbout(*result, all[i].facts->fingerprint_sha256));
    }
  }
}

/// The slots counts by worst severity go to, in the order the API lists them ("ok": none).
inline constexpr std::array<const char*, 4> kSeveritySlots{"critical", "warning", "info", "ok"};

/// Where a worst severity is counted: its index in kSeveritySlots.
inline size_t severitySlot(std::optional<Severity> worst) {
  if (!worst) return 3;
  switch (*worst) {
    case Severity::Critical:
      return 0;
    case Severity::Warning:
      return 1;
    case Severity::Info:
      return 2;
  }
  return 3;
}

}  // namespace certvigil::exporters::api
