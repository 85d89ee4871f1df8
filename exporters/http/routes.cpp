// exporters/http/routes.cpp: handlers. Each reads the latest snapshot once, so a response never
// mixes two scans. Handlers do not throw on purpose; the exception handler is the backstop and
// replaces cpp-httplib's default, which would echo e.what() in an EXCEPTION_WHAT header.
#include "exporters/http/routes.h"

#include <exception>
#include <memory>
#include <string>

#include "core/log.h"
#include "exporters/http/status_page.h"

namespace certvigil::exporters {
namespace {

constexpr const char* kTextPlain = "text/plain; charset=utf-8";
// The status page needs no scripts, frames or remote content; inline styles only.
constexpr const char* kPageSecurityPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

// The latest snapshot, or an empty one before the first scan has been published.
SnapshotPtr latestOrEmpty(const SnapshotSource& source) {
  SnapshotPtr snapshot = source.latest();
  return snapshot ? snapshot : std::make_shared<const Snapshot>();
}

// The exposition is moved into the response, never copied (it is ~100 MB at 10^5
// certificates); cpp-httplib gzips it when the scraper accepts gzip, as Prometheus does.
void serveMetrics(const RouteContext& context, httplib::Response& res) {
  const SnapshotPtr snapshot = latestOrEmpty(context.snapshots);
  res.body = context.renderer.render(*snapshot, context.status.status());
  res.set_header("Content-Type", std::string(kMetricsContentType));
}

void serveHealth(const RouteContext& context, httplib::Response& res) {
  const bool ready = context.status.status().ready;
  res.status = ready ? 200 : 503;
  res.set_content(ready ? "ok\n" : "not ready\n", kTextPlain);
}

void servePage(const RouteContext& context, httplib::Response& res) {
  const SnapshotPtr snapshot = latestOrEmpty(context.snapshots);
  res.set_content(renderStatusPage(*snapshot, SystemClock().now()), "text/html; charset=utf-8");
  res.set_header("Content-Security-Policy", kPageSecurityPolicy);
  res.set_header("Cache-Control", "no-store");
}

httplib::Server::HandlerResponse answerError(const httplib::Request&, httplib::Response& res) {
  if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
  const char* reason = res.status == 404 ? "not found\n" : "request refused\n";
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

}  // namespace

void registerRoutes(httplib::Server& server, RouteContext context) {
  server.Get("/metrics", [context](const httplib::Request&, httplib::Response& res) {
    serveMetrics(context, res);
  });
  server.Get("/healthz", [context](const httplib::Request&, httplib::Response& res) {
    serveHealth(context, res);
  });
  server.Get(
      "/", [context](const httplib::Request&, httplib::Response& res) { servePage(context, res); });
  server.set_error_handler(httplib::Server::HandlerWithResponse(answerError));
  server.set_exception_handler(answerException);
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
}

}  // namespace certvigil::exporters
