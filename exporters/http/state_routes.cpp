// SPDX-License-Identifier: Apache-2.0
// exporters/http/state_routes.cpp: see the header. Why a pre-routing step and not the route's own
// handler: cpp-httplib 0.11 reads (or waits for) the body before any handler runs, so neither a
// body-less POST nor an early 401 can be answered from a handler.
#include "exporters/http/state_routes.h"

#include <utility>

namespace certvigil::exporters {
namespace {

// RFC 9112 §6.3: a request without Content-Length or Transfer-Encoding has no body.
bool announcesBody(const httplib::Request& req) {
  return req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
}

// A refused request's body is never read, so the connection cannot carry another request.
void answerUnread(const httplib::Request& req, httplib::Response& res) {
  if (announcesBody(req)) res.set_header("Connection", "close");
}

}  // namespace

bool StateRoutes::isSafeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

HttpRequest toRequest(const httplib::Request& req) {
  HttpRequest out;
  out.method = req.method;
  out.path = req.path;
  out.params.insert(req.params.begin(), req.params.end());
  out.headers.insert(req.headers.begin(), req.headers.end());
  for (const auto& match : req.matches) out.matches.push_back(match.str());
  out.body = req.body;
  out.remote_addr = req.remote_addr;
  return out;
}

void applyResponse(HttpResponse&& from, httplib::Response& res) {
  res.status = from.status;
  for (const auto& [name, value] : from.headers) res.set_header(name, value);
  res.set_content(std::move(from.body), from.content_type);
}

void StateRoutes::add(HttpRoute route) {
  std::regex pattern(route.pattern);
  routes_.push_back({std::move(pattern), std::move(route)});
}

const StateRoutes::Entry* StateRoutes::find(const std::string& path, std::smatch& matches) const {
  for (const Entry& entry : routes_) {
    if (std::regex_match(path, matches, entry.pattern)) return &entry;
  }
  return nullptr;
}

httplib::Server::HandlerResponse StateRoutes::preRoute(const httplib::Request& req,
                                                       httplib::Response& res) const {
  using Answer = httplib::Server::HandlerResponse;
  if (isSafeMethod(req.method)) return Answer::Unhandled;
  std::smatch matches;
  const Entry* entry = req.method == "POST" ? find(req.path, matches) : nullptr;
  if (entry == nullptr) {
    res.status = 404;
    answerUnread(req, res);
    return Answer::Handled;
  }
  HttpRequest request = toRequest(req);
  for (const auto& match : matches) request.matches.push_back(match.str());
  if (entry->route.authorize) {
    if (std::optional<HttpResponse> refused = entry->route.authorize(request)) {
      applyResponse(std::move(*refused), res);
      answerUnread(req, res);
      return Answer::Handled;
    }
  }
  if (announcesBody(req)) return Answer::Unhandled;  // cpp-httplib reads it, then the handler
  applyResponse(entry->route.handler(request), res);
  return Answer::Handled;
}

}  // namespace certvigil::exporters
