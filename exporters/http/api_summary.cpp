// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_summary.cpp: the counts the status page shows at its top, from the latest
// snapshot, as /metrics reads it: no query walks every row of the database (at 10^5 targets the
// three counting queries of /api/v1/certificates took about 1.2 s, each of them for every
// viewer every 30 s). They count what /api/v1/certificates lists (snapshot_rows.h).
#include <array>

#include "exporters/http/api_json.h"
#include "exporters/http/snapshot_rows.h"

namespace certvigil::exporters::api {

Json snapshotSummary(const Snapshot& snapshot) {
  std::array<int64_t, kSeveritySlots.size()> counts{};
  int64_t certificates = 0;
  forEachPresented(snapshot, [&](const CertificateFacts&, std::optional<Severity> worst) {
    ++certificates;
    ++counts[severitySlot(worst)];
  });
  Json by_severity = Json::object();
  for (size_t i = 0; i < kSeveritySlots.size(); ++i) by_severity[kSeveritySlots[i]] = counts[i];
  return {{"targets", snapshot.targets.size()},
          {"certificates", certificates},
          {"certificates_by_severity", std::move(by_severity)}};
}

}  // namespace certvigil::exporters::api
