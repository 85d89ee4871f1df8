// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_timeline.cpp: GET /api/v1/timeline, what the status page draws: how many of
// the certificates presented now (under the same filters as /api/v1/certificates) have already
// expired, and how many expire in each of the next 13 weeks, by their worst active severity.
// Each bucket carries its bounds, so a client can ask /api/v1/certificates for exactly its rows
// (not_after_from, not_after_before). Unfiltered (what the status page draws every 30 s), it is
// counted in the latest snapshot as /metrics reads it: at 10^4 endpoints or 10^5 files paging
// through the database's rows took about 0.5 s. With a filter, or before the first scan, it is
// counted from the rows the certificate list returns. Both count the same rows (snapshot_rows.h).
#include <array>

#include "exporters/http/api_handlers.h"
#include "exporters/http/api_json.h"
#include "exporters/http/snapshot_rows.h"

namespace certvigil::exporters::api {
namespace {

constexpr int kWeeks = 13;
constexpr Seconds kWeek{7 * 86400};
constexpr size_t kMaxPages = 100;  // 10^6 certificates within 13 weeks: enough, and bounded

struct Bucket {
  std::string label;
  std::optional<TimePoint> from;
  TimePoint before{};
  std::array<int64_t, kSeveritySlots.size()> counts{};
};

size_t severityIndex(const std::string& severity) {
  for (size_t i = 0; i + 1 < kSeveritySlots.size(); ++i) {
    if (severity == kSeveritySlots[i]) return i;
  }
  return kSeveritySlots.size() - 1;  // none: ok
}

std::vector<Bucket> emptyBuckets(TimePoint now) {
  std::vector<Bucket> buckets{{"expired", std::nullopt, now, {}}};
  for (int week = 1; week <= kWeeks; ++week) {
    buckets.push_back(
        {"week " + std::to_string(week), now + (week - 1) * kWeek, now + week * kWeek, {}});
  }
  return buckets;
}

size_t bucketOf(TimePoint not_after, TimePoint now) {
  if (not_after < now) return 0;
  return 1 + static_cast<size_t>((not_after - now) / kWeek);
}

Json toJson(const Bucket& bucket) {
  Json counts = Json::object();
  int64_t total = 0;
  for (size_t i = 0; i < kSeveritySlots.size(); ++i) {
    counts[kSeveritySlots[i]] = bucket.counts[i];
    total += bucket.counts[i];
  }
  return {{"label", bucket.label},
          {"not_after_from", bucket.from ? Json(formatRfc3339(*bucket.from)) : Json(nullptr)},
          {"not_after_before", formatRfc3339(bucket.before)},
          {"total", total},
          {"counts", std::move(counts)}};
}

// Counts the rows of `query` (bounded to the horizon by the caller) into `buckets`.
Status countInto(const storage::HistoryReader& history, storage::CertificateQuery query,
                 TimePoint now, std::vector<Bucket>& buckets) {
  query.limit = storage::kHistoryMaxLimit;
  for (size_t page = 0; page < kMaxPages; ++page) {
    query.offset = page * query.limit;
    auto rows = history.certificates(query);
    if (!rows) return rows.error();
    for (const storage::PresentedRow& row : rows->items) {
      const size_t at = bucketOf(row.certificate.not_after, now);
      if (at < buckets.size()) ++buckets[at].counts[severityIndex(row.worst_severity)];
    }
    if (rows->items.size() < query.limit) break;
  }
  return Ok{};
}

// Counts the certificates of `snapshot` into `buckets`; returns how many expire after them.
int64_t countSnapshot(const Snapshot& snapshot, TimePoint now, std::vector<Bucket>& buckets) {
  int64_t later = 0;
  forEachPresented(snapshot, [&](const CertificateFacts& facts, std::optional<Severity> worst) {
    const size_t at = bucketOf(facts.not_after, now);
    if (at < buckets.size()) {
      ++buckets[at].counts[severitySlot(worst)];
    } else {
      ++later;
    }
  });
  return later;
}

bool unfiltered(const storage::CertificateQuery& query) {
  return query.target.empty() && query.role.empty() && query.code.empty() && query.severity.empty();
}

HttpResponse timelineResponse(TimePoint now, const std::vector<Bucket>& buckets, int64_t later) {
  Json list = Json::array();
  for (const Bucket& bucket : buckets) list.push_back(toJson(bucket));
  return jsonResponse(
      {{"now", formatRfc3339(now)}, {"buckets", std::move(list)}, {"later", later}});
}

}  // namespace

storage::CertificateQuery certificateFilters(Params& params) {
  storage::CertificateQuery query;
  query.target = params.text("target");
  query.role = params.oneOf("role", {"server", "client", "ca", "any"});
  query.code = params.findingCode("code");
  query.severity = params.oneOf("severity", {"info", "warning", "critical"});
  query.not_after_from = params.time("not_after_from");
  query.not_after_before = params.time("not_after_before");
  return query;
}

HttpResponse serveTimeline(const ApiContext& c, const HttpRequest& request) {
  Params params(request, {"target", "role", "code", "severity"});
  storage::CertificateQuery query = certificateFilters(params);
  if (!params.error().empty()) return errorResponse(400, params.error());
  const TimePoint now = c.clock.now();
  std::vector<Bucket> buckets = emptyBuckets(now);
  if (const SnapshotPtr snapshot = c.snapshots.latest(); snapshot && unfiltered(query)) {
    const int64_t later = countSnapshot(*snapshot, now, buckets);
    return timelineResponse(now, buckets, later);
  }
  query.not_after_before = buckets.back().before;
  Status counted = countInto(c.history, query, now, buckets);
  query.not_after_before.reset();
  query.not_after_from = buckets.back().before;
  query.limit = 1;
  auto later = c.history.certificates(query);
  if (!counted || !later) {
    return errorResponse(500, "the database could not be read");
  }
  return timelineResponse(now, buckets, static_cast<int64_t>(later->total));
}

}  // namespace certvigil::exporters::api
