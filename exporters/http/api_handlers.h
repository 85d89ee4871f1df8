// exporters/http/api_handlers.h: handlers of /api/v1 defined outside api_routes.cpp: the target
// detail (api_target.cpp) and the token-guarded POST routes (api_actions.cpp). Internal header.
#pragma once

#include "exporters/http/api_routes.h"
#include "exporters/http/handler.h"

namespace certvigil::exporters::api {

/// GET /api/v1/targets/<id or name>.
HttpResponse serveTarget(const ApiContext& context, const HttpRequest& request);
/// POST /api/v1/scan.
HttpResponse serveScan(const ApiContext& context, const HttpRequest& request);
/// POST /api/v1/reload.
HttpResponse serveReload(const ApiContext& context, const HttpRequest& request);

}  // namespace certvigil::exporters::api
