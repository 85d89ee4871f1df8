// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_routes.h: the JSON API under /api/v1 (docs/API.md). GET routes read the
// database through a read-only HistoryReader (its own connection) and the latest snapshot;
// they never touch the scheduler. The POST routes (scan, reload) need the bearer token and only
// hand a request to the daemon: they never wait for a scan.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/snapshot.h"
#include "core/time.h"
#include "exporters/http/bearer_token.h"
#include "exporters/http/handler.h"
#include "exporters/prometheus/daemon_status.h"
#include "storage/history_reader.h"

namespace certvigil::exporters {

/// What the POST routes ask of the daemon. Each may be empty (the route then answers 503).
struct ApiActions {
  /// Scan every unit at the next opportunity (Monitor::requestScanAll).
  std::function<void()> scan_all;
  /// Load and validate the config file, then apply it asynchronously (as SIGHUP does). An
  /// error means the file was refused and the running config stays; its message goes to the
  /// log, the API says only that it failed.
  std::function<Status()> reload;
};

/// Everything the API reads; all references must outlive the routes.
struct ApiContext {
  const storage::HistoryReader& history;
  const SnapshotSource& snapshots;
  const StatusProvider& status;
  const BearerToken& token;
  const Clock& clock;
  ApiActions actions;
};

/// The routes, in registration order. Register them all with HttpServer::addRoute.
std::vector<HttpRoute> apiRoutes(const ApiContext& context);

/// The paths every GET route answers on (for tests and docs): "/api/v1/targets", ...
std::vector<std::string> apiGetPaths();

}  // namespace certvigil::exporters
