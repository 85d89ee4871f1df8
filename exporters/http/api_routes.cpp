// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_routes.cpp: the GET routes of /api/v1. Each validates its query string
// first (400 naming the parameter), then reads one page from the HistoryReader. A database error
// is logged with its detail and answered 500 with a generic message.
#include "exporters/http/api_routes.h"

#include <cstdint>
#include <memory>

#include "core/finding.h"
#include "core/log.h"
#include "exporters/http/api_handlers.h"
#include "exporters/http/api_json.h"
#include "exporters/http/api_params.h"

namespace certvigil::exporters {

namespace {

using api::Json;
using api::Params;

constexpr int64_t kDefaultLimit = 1000;
constexpr int64_t kMaxLimit = static_cast<int64_t>(storage::kHistoryMaxLimit);
constexpr int64_t kMaxOffset = int64_t{1} << 40;

using Context = std::shared_ptr<const ApiContext>;

HttpResponse badRequest(const std::string& message) { return api::errorResponse(400, message); }

HttpResponse databaseError(const Error& error) {
  // A cursor (`after`) the reader cannot use is the client's mistake, not the database's.
  if (error.code == ErrorCode::Invalid) return badRequest(error.message);
  log::error("api: " + error.describe());
  return api::errorResponse(500, "the database could not be read");
}

size_t limitOf(Params& params) {
  return static_cast<size_t>(params.integer("limit", kDefaultLimit, 1, kMaxLimit));
}
size_t offsetOf(Params& params) {
  return static_cast<size_t>(params.integer("offset", 0, 0, kMaxOffset));
}

template <typename Page, typename Render>
Json pageJson(const char* key, const Page& page, size_t limit, size_t offset, Render render) {
  Json items = Json::array();
  for (const auto& item : page.items) items.push_back(render(item));
  return {{"total", page.total},
          {"limit", limit},
          {"offset", offset},
          {"next", page.next.empty() ? Json(nullptr) : Json(page.next)},
          {key, std::move(items)}};
}

HttpResponse serveStatus(const ApiContext& c) {
  const DaemonStatus status = c.status.status();
  const SnapshotPtr snapshot = c.snapshots.latest();
  const Result<bool> events = c.history.hasEvents();
  Json codes = Json::array();
  for (FindingCode code : allFindingCodes()) codes.push_back(toString(code));
  return api::jsonResponse(
      {{"version", status.version},
       {"ready", status.ready},
       {"now", formatRfc3339(c.clock.now())},
       {"snapshot_generated_at",
        snapshot ? Json(formatRfc3339(snapshot->generated_at)) : Json(nullptr)},
       // From the snapshot, never a query over every row; null before the first scan.
       {"summary", snapshot ? api::snapshotSummary(*snapshot) : Json(nullptr)},
       {"config_last_reload_successful", status.config_reload_ok},
       {"post_enabled", c.token.enabled()},
       {"events_available", events.ok() && *events},
       {"finding_codes", std::move(codes)},
       {"refresh_seconds", 30}});
}

HttpResponse serveTargets(const ApiContext& c, const HttpRequest& request) {
  Params params(request, {"name", "kind", "include_gone", "limit", "offset", "after"});
  storage::TargetQuery query;
  query.name = params.text("name");
  query.kind = params.oneOf("kind", {"endpoint", "file", "bundle"});
  query.include_gone = params.tristate("include_gone", false).value_or(true);
  query.limit = limitOf(params);
  query.offset = offsetOf(params);
  query.after = params.text("after");
  if (!params.error().empty()) return badRequest(params.error());
  auto page = c.history.targets(query);
  if (!page) return databaseError(page.error());
  return api::jsonResponse(pageJson("targets", *page, query.limit, query.offset,
                                    [](const auto& t) { return api::toJson(t); }));
}

HttpResponse serveCertificates(const ApiContext& c, const HttpRequest& request) {
  Params params(request, {"target", "role", "code", "severity", "not_after_from",
                          "not_after_before", "limit", "offset", "after"});
  storage::CertificateQuery query = api::certificateFilters(params);
  query.limit = limitOf(params);
  query.offset = offsetOf(params);
  query.after = params.text("after");
  if (!params.error().empty()) return badRequest(params.error());
  auto page = c.history.certificates(query);
  if (!page) return databaseError(page.error());
  const TimePoint now = c.clock.now();
  Json body = pageJson("certificates", *page, query.limit, query.offset,
                       [now](const auto& row) { return api::toJson(row, now); });
  body["now"] = formatRfc3339(now);
  return api::jsonResponse(body);
}

HttpResponse serveFindings(const ApiContext& c, const HttpRequest& request) {
  Params params(request,
                {"active", "target", "target_id", "code", "severity", "limit", "offset", "after"});
  storage::FindingQuery query;
  query.active = params.tristate("active", true);
  query.target = params.text("target");
  if (!params.text("target_id").empty()) {
    query.target_id = params.integer("target_id", 0, 1, INT64_MAX);
  }
  query.code = params.findingCode("code");
  query.severity = params.oneOf("severity", {"info", "warning", "critical"});
  query.limit = limitOf(params);
  query.offset = offsetOf(params);
  query.after = params.text("after");
  if (!params.error().empty()) return badRequest(params.error());
  auto page = c.history.findings(query);
  if (!page) return databaseError(page.error());
  return api::jsonResponse(pageJson("findings", *page, query.limit, query.offset,
                                    [](const auto& f) { return api::toJson(f); }));
}

HttpResponse serveScans(const ApiContext& c, const HttpRequest& request) {
  Params params(request, {"unit", "limit", "offset", "after"});
  const std::string unit = params.text("unit");
  const size_t limit = static_cast<size_t>(params.integer("limit", 100, 1, kMaxLimit));
  const size_t offset = offsetOf(params);
  const std::string after = params.text("after");
  if (!params.error().empty()) return badRequest(params.error());
  auto page = c.history.scans(unit, limit, offset, after);
  if (!page) return databaseError(page.error());
  return api::jsonResponse(
      pageJson("scans", *page, limit, offset, [](const auto& s) { return api::toJson(s); }));
}

HttpResponse serveEvents(const ApiContext& c, const HttpRequest& request) {
  Params params(request, {"limit", "after_id"});
  const size_t limit = static_cast<size_t>(params.integer("limit", 100, 1, kMaxLimit));
  std::optional<int64_t> after;
  if (!params.text("after_id").empty()) after = params.integer("after_id", 0, 0, INT64_MAX);
  if (!params.error().empty()) return badRequest(params.error());
  auto available = c.history.hasEvents();
  if (!available) return databaseError(available.error());
  auto rows = c.history.events(limit, after);
  if (!rows) return databaseError(rows.error());
  Json events = Json::array();
  for (const auto& row : *rows) events.push_back(api::toJson(row));
  return api::jsonResponse({{"available", *available}, {"events", std::move(events)}});
}

}  // namespace

std::vector<std::string> apiGetPaths() {
  return {"/api/v1/status",   "/api/v1/targets", "/api/v1/certificates", "/api/v1/timeline",
          "/api/v1/findings", "/api/v1/scans",   "/api/v1/events"};
}

std::vector<HttpRoute> apiRoutes(const ApiContext& context) {
  const Context c = std::make_shared<const ApiContext>(context);
  auto get = [c](std::string pattern,
                 HttpResponse (*serve)(const ApiContext&, const HttpRequest&)) {
    return HttpRoute{HttpMethod::Get, std::move(pattern),
                     [c, serve](const HttpRequest& request) { return serve(*c, request); }};
  };
  std::vector<HttpRoute> routes;
  routes.push_back({HttpMethod::Get, "/api/v1/status", [c](const HttpRequest& request) {
                      Params params(request, {});
                      if (!params.error().empty()) return badRequest(params.error());
                      return serveStatus(*c);
                    }});
  routes.push_back(get("/api/v1/targets", serveTargets));
  routes.push_back(get(R"(/api/v1/targets/(.+))", api::serveTarget));
  routes.push_back(get("/api/v1/certificates", serveCertificates));
  routes.push_back(get("/api/v1/timeline", api::serveTimeline));
  routes.push_back(get("/api/v1/findings", serveFindings));
  routes.push_back(get("/api/v1/scans", serveScans));
  routes.push_back(get("/api/v1/events", serveEvents));
  auto post = [c](std::string pattern, const char* action,
                  HttpResponse (*serve)(const ApiContext&, const HttpRequest&)) {
    return HttpRoute{
        HttpMethod::Post, std::move(pattern),
        [c, serve](const HttpRequest& request) { return serve(*c, request); },
        [c, action](const HttpRequest& request) { return api::authorize(*c, request, action); }};
  };
  routes.push_back(post("/api/v1/scan", "scan", api::serveScan));
  routes.push_back(post("/api/v1/reload", "reload", api::serveReload));
  return routes;
}

}  // namespace certvigil::exporters
