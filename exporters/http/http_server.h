// SPDX-License-Identifier: Apache-2.0
// exporters/http/http_server.h: the one HTTP listener (docs/API.md), on cpp-httplib.
// Routes: GET /metrics (Prometheus text format), GET /healthz (200 "ok" once the daemon is
// ready, 503 before), GET / (the status page, which reads /api/v1). Handlers read the latest
// snapshot and the daemon status at request time and never hold daemon state. Requests run on a
// bounded pool of worker threads with read/write timeouts and a small payload limit; errors never
// reveal internals. With a TLS web configuration (HttpServerOptions::web_config, or ::tls) it
// serves HTTPS only, optionally requiring client certificates; basic auth guards the reads.
// Lifecycle: bind() (reports the port; port 0 = ephemeral), start() (accept loop in its own
// thread), stop() (joins). One HttpServer serves once: it cannot be restarted.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "core/snapshot.h"
#include "exporters/http/handler.h"
#include "exporters/http/listen_address.h"
#include "exporters/http/listener_tls.h"
#include "exporters/http/web_config_source.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/metrics_renderer.h"

namespace certvigil::exporters {

class ListeningServer;  // httplib::Server or SSLServer, kept out of this header
class StateRoutes;      // the POST routes, answered before cpp-httplib reads a body

/// Limits and the listen address.
struct HttpServerOptions {
  std::string listen{kDefaultListen};             ///< "host:port" or "[v6addr]:port"
  size_t threads = 4;                             ///< worker threads serving requests
  size_t payload_max_length = size_t{64} * 1024;  ///< request bodies beyond this are refused (413)
  std::chrono::seconds read_timeout{5};           ///< per socket read
  std::chrono::seconds write_timeout{30};         ///< per socket write (a large /metrics body)
  std::chrono::seconds keep_alive_timeout{2};     ///< an idle connection holds a worker this long
  HttpTlsOptions tls{};                           ///< HTTPS when tls.cert_file is set
  /// The web configuration (exporter-toolkit format: TLS, basic auth, headers), re-read when
  /// its files change; when set, `tls` is ignored (the loader folds the `tls:` short form in).
  WebConfigLoader web_config{};
};

/// The HTTP listener. The snapshot source and status provider must outlive it.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, const SnapshotSource& snapshots,
             const StatusProvider& status);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Adds a route served beside the built-in ones (/metrics, /healthz, /). Call before start();
  /// the first pattern that matches a path wins, so a built-in path cannot be taken over.
  void addRoute(HttpRoute route);

  /// Binds the listen address; returns the bound port. Errors name the address and the cause
  /// (invalid address, unknown host, address in use, permission denied), or the TLS file that
  /// could not be used.
  [[nodiscard]] Result<int> bind();
  /// Starts the accept loop in its own thread; returns once it accepts. Requires bind().
  [[nodiscard]] Status start();
  /// Stops accepting, lets running requests finish and joins the thread. Idempotent.
  void stop();

  /// The bound port, or -1 before bind().
  int port() const { return port_; }
  /// The renderer behind /metrics.
  MetricsRenderer& renderer() { return renderer_; }
  /// The live web configuration (reset it when the main config is reloaded).
  WebConfigSource& webConfig() { return *web_; }

 private:
  void configure();
  void registerRoutes();

  HttpServerOptions options_;
  const SnapshotSource& snapshots_;
  const StatusProvider& status_;
  MetricsRenderer renderer_;
  std::string tls_error_;  ///< why the TLS context could not be set up; reported by bind()
  std::unique_ptr<StateRoutes> state_routes_;  ///< before server_: its handlers point here
  std::unique_ptr<WebConfigSource> web_;       ///< before server_: its TLS callback reads it
  std::unique_ptr<ListeningServer> server_;    ///< after tls_error_: its constructor may set it
  std::thread thread_;
  std::atomic<bool> loop_exited_{false};
  int port_ = -1;
};

}  // namespace certvigil::exporters
