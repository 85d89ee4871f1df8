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
  constexpr std::array<const char*, 4> kSlots{"critical", "warning", "info", "ok"};
  std::array<int64_t, kSlots.size()> counts{};
  int64_t certificates = 0;
  forEachPresented(snapshot, [&](const CertificateFacts&, std::optional<Severity> worst) {
    ++certificates;
    ++counts[severitySlot(worst)];
  });
  Json by_severity = Json::object();
  for (size_t i = 0; i < kSlots.size(); ++i) by_severity[kSlots[i]] = counts[i];
  return {{"targets", snapshot.targets.size()},
          {"certificates", certificates},
          {"certificates_by_severity", std::move(by_severity)}};
}

}  // namespace certvigil::exporters::api
