// SPDX-License-Identifier: Apache-2.0
// exporters/http/state_routes.h: the routes that change state (POST), answered before cpp-httplib
// reads a body. cpp-httplib 0.11 reads the body of every POST first, and a POST with neither
// Content-Length nor Transfer-Encoding (what `curl -X POST` sends) is read until the client closes
// or the read timeout fires, then refused with 400. RFC 9112 §6.3 says such a request has no body,
// so the pre-routing step here answers it at once. It also checks each route's `authorize` before
// anything else of the request (query, body, size limit): a request without a valid token gets 401
// with WWW-Authenticate, never 400 or 413. Internal header: it includes cpp-httplib.
#pragma once

#include <httplib.h>

#include <regex>
#include <vector>

#include "exporters/http/handler.h"

namespace certvigil::exporters {

/// The state-changing routes of one listener. Filled before the server starts, read-only after.
class StateRoutes {
 public:
  /// Adds a POST route; `route.authorize` (if set) runs before its body is read.
  void add(HttpRoute route);
  /// cpp-httplib's pre-routing handler: answers a state-changing request that is refused or has
  /// no body; leaves the rest (a GET, or an authorized POST with a body) to cpp-httplib.
  httplib::Server::HandlerResponse preRoute(const httplib::Request& req,
                                            httplib::Response& res) const;
  /// GET, HEAD and OPTIONS: methods that never change state.
  static bool isSafeMethod(const std::string& method);

 private:
  struct Entry {
    std::regex pattern;
    HttpRoute route;
  };
  const Entry* find(const std::string& path, std::smatch& matches) const;

  std::vector<Entry> routes_;
};

/// The request as handlers see it (matches from the route's pattern).
HttpRequest toRequest(const httplib::Request& req);
/// Copies a handler's response into cpp-httplib's.
void applyResponse(HttpResponse&& from, httplib::Response& res);

}  // namespace certvigil::exporters
