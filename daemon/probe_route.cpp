// SPDX-License-Identifier: Apache-2.0
#include "daemon/probe_route.h"

#include <cstdlib>

#include "core/log.h"
#include "exporters/prometheus/metrics_renderer.h"

namespace certvigil::daemon {
namespace {

std::optional<double> secondsFrom(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(value > 0)) return std::nullopt;
  return value;
}

exporters::HttpResponse refuse(int status, const std::string& why) {
  exporters::HttpResponse res;
  res.status = status;
  res.body = why + "\n";
  return res;
}

exporters::HttpResponse answer(scheduler::ProbeService& service,
                               const exporters::HttpRequest& req) {
  scheduler::ProbeRequest request;
  request.target = req.param("target");
  if (request.target.empty()) return refuse(400, "missing target=host:port");
  request.servername = req.param("servername");
  request.mtls = req.param("mtls");
  request.starttls = req.param("starttls");
  // Prometheus says how long it will wait; answer within it (a little margin for the reply).
  request.timeout_seconds = secondsFrom(req.param("timeout"));
  if (auto scrape = secondsFrom(req.header("X-Prometheus-Scrape-Timeout-Seconds")); scrape) {
    request.timeout_seconds = std::max(0.5, *scrape - 0.5);
  }
  Result<std::vector<TargetResultPtr>> results = service.probe(request);
  if (!results) {
    const bool forbidden = results.error().code == ErrorCode::NotFound;
    return refuse(forbidden ? 403 : 400, results.error().message);
  }
  exporters::HttpResponse res;
  res.content_type = std::string(exporters::kMetricsContentType);
  res.body = exporters::MetricsRenderer::renderTargets(*results);
  return res;
}

}  // namespace

exporters::HttpRoute probeRoute(scheduler::ProbeService& service) {
  return {exporters::HttpMethod::Get, "/probe",
          [&service](const exporters::HttpRequest& req) { return answer(service, req); }};
}

}  // namespace certvigil::daemon
