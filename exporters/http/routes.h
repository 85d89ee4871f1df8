// SPDX-License-Identifier: Apache-2.0
// exporters/http/routes.h: the GET routes of the listener and the error handling shared by all
// of them. Internal header: it includes cpp-httplib, which certvigil_exporters links privately.
#pragma once

#include <httplib.h>

#include "core/snapshot.h"
#include "exporters/http/handler.h"
#include "exporters/http/state_routes.h"
#include "exporters/http/web_config_source.h"
#include "exporters/prometheus/daemon_status.h"
#include "exporters/prometheus/metrics_renderer.h"

namespace certvigil::exporters {

/// Everything a handler reads; all of it must outlive the server.
struct RouteContext {
  const SnapshotSource& snapshots;
  const StatusProvider& status;
  MetricsRenderer& renderer;
  WebConfigSource& web;  ///< basic auth and extra headers, read per request
};

/// Registers GET /metrics, /healthz and /, the pre-routing step (basic auth for reads when the
/// web config lists users, then `state_routes`, which must outlive the server), the web
/// config's extra headers on every response, and error and exception handlers that answer with
/// a short plain-text reason and never with internal details.
void registerRoutes(httplib::Server& server, RouteContext context, const StateRoutes& state_routes);

/// Registers one extension route (see handler.h); a POST route also goes to `state_routes`.
void registerExtraRoute(httplib::Server& server, StateRoutes& state_routes, HttpRoute route);

}  // namespace certvigil::exporters
