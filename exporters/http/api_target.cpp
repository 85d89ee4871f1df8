// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_target.cpp: GET /api/v1/targets/<id or name> — one target with its chain
// as presented now, its active and recently resolved findings, what it presented over time,
// and what only the latest snapshot knows (chain verdict, names covered, the acceptable client
// CA names of an mTLS endpoint).
#include <charconv>

#include "core/log.h"
#include "exporters/http/api_handlers.h"
#include "exporters/http/api_json.h"
#include "exporters/http/api_params.h"

namespace certvigil::exporters::api {
namespace {

constexpr int64_t kDefaultHistory = 100;
constexpr size_t kResolvedShown = 50;

struct Resolved {
  std::optional<storage::TargetSummary> target;
  std::vector<int64_t> same_name;  ///< other targets with the same name (other units)
};

std::optional<int64_t> asId(const std::string& text) {
  int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// An all-digit key is an id first; a name otherwise (or when no target has that id). A name
// listed by several units resolves to the present one with the lowest id.
Result<Resolved> resolve(const storage::HistoryReader& history, const std::string& key) {
  if (const auto id = asId(key)) {
    auto byId = history.target(*id);
    if (!byId) return byId.error();
    if (*byId) return Resolved{std::move(*byId), {}};
  }
  auto named = history.targetsNamed(key);
  if (!named) return named.error();
  Resolved out;
  for (auto& t : *named) {
    if (!out.target) {
      out.target = std::move(t);
    } else {
      out.same_name.push_back(t.id);
    }
  }
  return out;
}

const TargetResult* findLive(const Snapshot& snapshot, const storage::TargetSummary& target) {
  for (const TargetResultPtr& result : snapshot.targets) {
    if (result && result->unit == target.unit && result->observation.target == target.name) {
      return result.get();
    }
  }
  return nullptr;
}

HttpResponse databaseError(const Error& error) {
  log::error("api: " + error.describe());
  return errorResponse(500, "the database could not be read");
}

Result<Json> findingsOf(const storage::HistoryReader& history, int64_t id, bool active,
                        size_t limit) {
  storage::FindingQuery query;
  query.active = active;
  query.target_id = id;
  query.limit = limit;
  auto page = history.findings(query);
  if (!page) return page.error();
  Json list = Json::array();
  for (const auto& f : page->items) list.push_back(toJson(f));
  return list;
}

void addLive(const ApiContext& context, const storage::TargetSummary& target, Json& body) {
  const SnapshotPtr snapshot = context.snapshots.latest();
  const TargetResult* live = snapshot ? findLive(*snapshot, target) : nullptr;
  body["live"] = live ? liveDetail(*live) : Json(nullptr);
  // Only present for an endpoint that asked for a client certificate, so the page can hide the
  // section for everything else. An empty list there means "any CA the server trusts".
  const EndpointFacts* endpoint = live ? live->observation.endpoint.get() : nullptr;
  if (endpoint != nullptr && endpoint->client->certificate_requested) {
    body["acceptable_ca_names"] = endpoint->client->acceptable_ca_names;
  }
}

}  // namespace

HttpResponse serveTarget(const ApiContext& context, const HttpRequest& request) {
  Params params(request, {"history_limit"});
  const auto history_limit = static_cast<size_t>(params.integer(
      "history_limit", kDefaultHistory, 1, static_cast<int64_t>(storage::kHistoryMaxLimit)));
  if (!params.error().empty()) return errorResponse(400, params.error());
  const std::string key = request.matches.size() > 1 ? request.matches[1] : std::string();
  auto resolved = resolve(context.history, key);
  if (!resolved) return databaseError(resolved.error());
  if (!resolved->target) return errorResponse(404, "no such target");
  const storage::TargetSummary& target = *resolved->target;

  auto chain = context.history.chainOf(target.id);
  if (!chain) return databaseError(chain.error());
  auto served = context.history.servedHistory(target.id, history_limit);
  if (!served) return databaseError(served.error());
  auto active = findingsOf(context.history, target.id, true, storage::kHistoryMaxLimit);
  if (!active) return databaseError(active.error());
  auto resolved_findings = findingsOf(context.history, target.id, false, kResolvedShown);
  if (!resolved_findings) return databaseError(resolved_findings.error());

  const TimePoint now = context.clock.now();
  Json certificates = Json::array();
  for (const auto& row : *chain) certificates.push_back(toJson(row, now));
  Json history = Json::array();
  for (const auto& row : *served) history.push_back(toJson(row, now));
  Json body = {{"target", toJson(target)},
               {"same_name_ids", resolved->same_name},
               {"certificates", std::move(certificates)},
               {"findings", std::move(*active)},
               {"resolved_findings", std::move(*resolved_findings)},
               {"history", std::move(history)},
               {"now", formatRfc3339(now)}};
  addLive(context, target, body);
  return jsonResponse(body);
}

}  // namespace certvigil::exporters::api
