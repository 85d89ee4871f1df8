// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_summary.cpp: the counts the status page shows at its top, from the latest
// snapshot, as /metrics reads it: no query walks every row of the database (at 10^5 targets the
// three counting queries of /api/v1/certificates took about 0.8 s, each of them for every
// viewer every 30 s). They count what /api/v1/certificates lists: one certificate per target and
// position presented now, by the worst active finding about its fingerprint at that target.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>

#include "exporters/http/api_json.h"

namespace certvigil::exporters::api {
namespace {

// Indexes into the counts: critical, warning, info, ok (none).
constexpr std::array<const char*, 4> kSeverityNames{"critical", "warning", "info", "ok"};

size_t slotOf(std::optional<Severity> worst) {
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

// As the database matches them (storage/history_sql.cpp): by target and fingerprint, whatever
// the position the finding names, so a certificate presented twice counts its findings twice.
std::optional<Severity> worstAbout(const TargetResult& result, const std::string& fingerprint) {
  std::optional<Severity> worst;
  for (const Finding& finding : result.findings) {
    if (finding.fingerprint != fingerprint) continue;
    if (!worst || finding.severity > *worst) worst = finding.severity;
  }
  return worst;
}

// The certificates the database keeps as current rows of this target (scan_recorder.cpp):
// those with a fingerprint, once per fingerprint and position.
template <typename Visit>
void eachRecorded(const Observation& observation, Visit visit) {
  const auto& all = observation.certificates;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!all[i].facts || all[i].facts->fingerprint_sha256.empty()) continue;
    const auto same = [&](const PresentedCertificate& earlier) {
      return earlier.facts && earlier.position == all[i].position &&
             earlier.facts->fingerprint_sha256 == all[i].facts->fingerprint_sha256;
    };
    if (std::any_of(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(i), same)) continue;
    visit(all[i].facts->fingerprint_sha256);
  }
}

}  // namespace

Json snapshotSummary(const Snapshot& snapshot) {
  std::array<int64_t, kSeverityNames.size()> counts{};
  int64_t certificates = 0;
  for (const TargetResultPtr& result : snapshot.targets) {
    if (!result) continue;
    eachRecorded(result->observation, [&](const std::string& fingerprint) {
      ++certificates;
      ++counts[slotOf(worstAbout(*result, fingerprint))];
    });
  }
  Json by_severity = Json::object();
  for (size_t i = 0; i < kSeverityNames.size(); ++i) by_severity[kSeverityNames[i]] = counts[i];
  return {{"targets", snapshot.targets.size()},
          {"certificates", certificates},
          {"certificates_by_severity", std::move(by_severity)}};
}

}  // namespace certvigil::exporters::api
