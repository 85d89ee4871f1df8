// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_handlers.h: handlers of /api/v1 defined outside api_routes.cpp: the target
// detail (api_target.cpp), the timeline (api_timeline.cpp) and the token-guarded POST routes
// (api_actions.cpp). Internal header.
#pragma once

#include <optional>
#include <string_view>

#include "exporters/http/api_params.h"
#include "exporters/http/api_routes.h"
#include "exporters/http/handler.h"

namespace certvigil::exporters::api {

/// The certificate filters shared by /api/v1/certificates and /api/v1/timeline: target, role,
/// code, severity, not_after_from, not_after_before.
storage::CertificateQuery certificateFilters(Params& params);
/// GET /api/v1/timeline: how many certificates expire when (api_timeline.cpp).
HttpResponse serveTimeline(const ApiContext& context, const HttpRequest& request);
/// GET /api/v1/targets/<id or name>.
HttpResponse serveTarget(const ApiContext& context, const HttpRequest& request);
/// The bearer-token check of the POST routes, run before anything else of the request: a 401
/// response (with WWW-Authenticate) when the token is missing, wrong or not configured. Refusals
/// are logged with the peer address, never with what it sent.
std::optional<HttpResponse> authorize(const ApiContext& context, const HttpRequest& request,
                                      std::string_view action);
/// POST /api/v1/scan.
HttpResponse serveScan(const ApiContext& context, const HttpRequest& request);
/// POST /api/v1/reload.
HttpResponse serveReload(const ApiContext& context, const HttpRequest& request);

}  // namespace certvigil::exporters::api
