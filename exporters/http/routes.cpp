// SPDX-License-Identifier: Apache-2.0
// exporters/http/routes.cpp: handlers. Each reads the latest snapshot once, so a response never
// mixes two scans. Handlers do not throw on purpose; the exception handler is the backstop and
// replaces cpp-httplib's default, which would echo e.what() in an EXCEPTION_WHAT header.
#include "exporters/http/routes.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <memory>
#include <string>

#include "core/log.h"
#include "exporters/http/status_page.h"

namespace certvigil::exporters {
namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";

// The latest snapshot, or an empty one before the first scan has been published.
SnapshotPtr latestOrEmpty(const SnapshotSource& source) {
  SnapshotPtr snapshot = source.latest();
  return snapshot ? snapshot : std::make_shared<const Snapshot>();
}

// The exposition is streamed in chunks of ~128 KB (it is ~70 MB at 10^5 certificates, and
// holding it whole doubled the daemon's peak memory); cpp-httplib gzips each chunk when the
// scraper accepts gzip, as Prometheus does. The stream owns what it writes from, so the
// snapshot may change while a slow scraper reads.
void serveMetrics(const RouteContext& context, httplib::Response& res) {
  const SnapshotPtr snapshot = latestOrEmpty(context.snapshots);
  std::shared_ptr<MetricsStream> stream =
      context.renderer.stream(*snapshot, context.status.status());
  auto piece = std::make_shared<std::string>();
  res.set_chunked_content_provider(
      std::string(kMetricsContentType),
      [stream = std::move(stream), piece](size_t, httplib::DataSink& sink) {
        piece->clear();
        if (!stream->next(*piece)) {
          sink.done();
          return true;
        }
        return sink.write(piece->data(), piece->size());
      });
}

// 503 until ready; then 200, "ok" or "degraded" with the reasons: a degraded daemon still
// scans and serves, so a liveness probe must not restart it (the metric and its alert rule
// page someone instead).
void serveHealth(const RouteContext& context, httplib::Response& res) {
  const DaemonStatus status = context.status.status();
  res.status = status.ready ? 200 : 503;
  if (!status.ready) {
    res.set_content("not ready\n", kTextPlain);
    return;
  }
  std::string body = status.degraded.empty() ? "ok\n" : "degraded\n";
  for (const std::string& reason : status.degraded) body += "- " + reason + "\n";
  res.set_content(body, kTextPlain);
}

// The page is static; its script reads /api/v1. The policy admits only its own inline code.
void servePage(httplib::Response& res) {
  res.set_content(std::string(statusPageHtml()), "text/html; charset=utf-8");
  res.set_header("Content-Security-Policy", statusPageSecurityPolicy());
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

const char* errorReason(int status) {
  if (status == 404) return "not found\n";
  return "request refused\n";
}

httplib::Server::HandlerResponse answerError(const httplib::Request&, httplib::Response& res) {
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  const char* reason = errorReason(res.status);
  res.set_content(reason, kTextPlain);
  return httplib::Server::HandlerResponse::Handled;
}

void answerException(const httplib::Request& req, httplib::Response& res,
                     const std::exception_ptr& error) {
  std::string what = "unknown exception";
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the default text above is the answer
  }
  log::error("http: " + req.method + " " + req.path + " failed: " + what);
  res.status = 500;
  res.headers.clear();
  res.set_content("internal error\n", kTextPlain);
}

// Reads (GET, HEAD, OPTIONS) need basic auth when the web config lists users, as with
// exporter-toolkit; writes are guarded by the API's bearer token instead (a request carries one
// Authorization header), in StateRoutes.
bool refuseUnauthenticated(WebConfigSource& web, const httplib::Request& req,
                           httplib::Response& res) {
  if (!StateRoutes::isSafeMethod(req.method)) return false;
  const std::shared_ptr<const WebState> state = web.current();
  if (!state || web.authorize(*state, req.get_header_value("Authorization"))) return false;
  res.status = 401;
  res.set_header("WWW-Authenticate", R"(Basic realm="certvigil", charset="UTF-8")");
  res.set_content("unauthorized\n", kTextPlain);
  return true;
}

// The web config's headers replace ours of the same name (its CSP replaces the page's).
void addConfiguredHeaders(WebConfigSource& web, httplib::Response& res) {
  const std::shared_ptr<const WebState> state = web.current();
  if (!state) return;
  for (const auto& [name, value] : state->config.http.headers) {
    res.headers.erase(name);
    res.headers.emplace(name, value);
  }
}

}  // namespace

std::string HttpRequest::param(const std::string& name, const std::string& fallback) const {
  const auto it = params.find(name);
  return it == params.end() ? fallback : it->second;
}

std::string HttpRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return {};
}

void registerExtraRoute(httplib::Server& server, StateRoutes& state_routes, HttpRoute route) {
  if (route.method == HttpMethod::Post) state_routes.add(route);
  auto handler = [h = std::move(route.handler)](const httplib::Request& req,
                                                httplib::Response& res) {
    applyResponse(h(toRequest(req)), res);
  };
  if (route.method == HttpMethod::Post) {
    server.Post(route.pattern, std::move(handler));
  } else {
    server.Get(route.pattern, std::move(handler));
  }
}

void registerRoutes(httplib::Server& server, RouteContext context,
                    const StateRoutes& state_routes) {
  WebConfigSource& web = context.web;
  server.set_pre_routing_handler(
      [&state_routes, &web](const httplib::Request& req, httplib::Response& res) {
        if (refuseUnauthenticated(web, req, res)) return httplib::Server::HandlerResponse::Handled;
        return state_routes.preRoute(req, res);
      });
  server.set_post_routing_handler(
      [&web](const httplib::Request&, httplib::Response& res) { addConfiguredHeaders(web, res); });
  server.Get("/metrics", [context](const httplib::Request&, httplib::Response& res) {
    serveMetrics(context, res);
  });
  server.Get("/healthz", [context](const httplib::Request&, httplib::Response& res) {
    serveHealth(context, res);
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& res) { servePage(res); });
  server.set_error_handler(httplib::Server::HandlerWithResponse(answerError));
  server.set_exception_handler(answerException);
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
}

}  // namespace certvigil::exporters
