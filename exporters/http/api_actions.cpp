// SPDX-License-Identifier: Apache-2.0
// exporters/http/api_actions.cpp: POST /api/v1/scan and POST /api/v1/reload. Both need the
// bearer token; without a configured token file they are disabled and say so. Refusals are
// logged with the peer address (never with what it sent) so that probing shows in the journal.
#include "core/log.h"
#include "exporters/http/api_handlers.h"
#include "exporters/http/api_json.h"
#include "exporters/http/api_params.h"

namespace certvigil::exporters::api {
namespace {

HttpResponse unauthorized(AuthOutcome outcome) {
  std::string message;
  std::string challenge = "Bearer realm=\"certvigil\"";
  switch (outcome) {
    case AuthOutcome::Disabled:
      message = "POST routes are disabled: no api.token_file is configured";
      break;
    case AuthOutcome::Missing:
      message = "this route needs 'Authorization: Bearer <token>' (the token in api.token_file)";
      break;
    case AuthOutcome::WrongToken:
    case AuthOutcome::Allowed:
      message = "invalid token";
      challenge += ", error=\"invalid_token\"";
      break;
  }
  HttpResponse response = errorResponse(401, message);
  response.headers.emplace("WWW-Authenticate", challenge);
  return response;
}

// Checks the (empty) query string of an authorized request.
std::optional<HttpResponse> refuse(const ApiContext& context, const HttpRequest& request,
                                   std::string_view action) {
  if (auto refused = authorize(context, request, action)) return refused;
  Params params(request, {});
  if (!params.error().empty()) return errorResponse(400, params.error());
  return std::nullopt;
}

HttpResponse accepted(std::string_view action) {
  return jsonResponse(Json{{"status", "accepted"}, {"action", action}}, 202);
}

}  // namespace

std::optional<HttpResponse> authorize(const ApiContext& context, const HttpRequest& request,
                                      std::string_view action) {
  const AuthOutcome outcome = context.token.check(request.header("Authorization"));
  if (outcome == AuthOutcome::Allowed) return std::nullopt;
  log::warning(
      "api: refused POST " + std::string(action) + " from " + request.remote_addr +
      (outcome == AuthOutcome::Disabled ? " (no token configured)" : " (missing or wrong token)"));
  return unauthorized(outcome);
}

HttpResponse serveScan(const ApiContext& context, const HttpRequest& request) {
  if (auto refused = refuse(context, request, "scan")) return *refused;
  if (!context.actions.scan_all) return errorResponse(503, "scans cannot be requested here");
  log::notice("api: scan of every unit requested from " + request.remote_addr);
  context.actions.scan_all();
  return accepted("scan");
}

HttpResponse serveReload(const ApiContext& context, const HttpRequest& request) {
  if (auto refused = refuse(context, request, "reload")) return *refused;
  if (!context.actions.reload) return errorResponse(503, "reload is not available here");
  log::notice("api: reload requested from " + request.remote_addr);
  if (Status status = context.actions.reload(); !status) {
    return errorResponse(422,
                         "the configuration was refused and the running one stays; the "
                         "daemon's log says why");
  }
  return accepted("reload");
}

}  // namespace certvigil::exporters::api
