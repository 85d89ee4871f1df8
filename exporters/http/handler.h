// SPDX-License-Identifier: Apache-2.0
// exporters/http/handler.h: how modules outside exporters/http add routes to the one listener
// (/probe, /api/v1/..., the status page) without seeing cpp-httplib. A handler gets a parsed
// request and returns a complete response; it runs on one of the listener's worker threads, so
// it must be thread-safe and bounded in time.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace certvigil::exporters {

enum class HttpMethod { Get, Post };

struct HttpRequest {
  std::string method;
  std::string path;                                 ///< without the query string
  std::multimap<std::string, std::string> params;   ///< query parameters, decoded
  std::multimap<std::string, std::string> headers;  ///< names as sent (compare case-insensitively)
  std::vector<std::string> matches;                 ///< the pattern's capture groups, [0] = path
  std::string body;
  std::string remote_addr;

  /// The first value of a query parameter, or `fallback`.
  std::string param(const std::string& name, const std::string& fallback = {}) const;
  /// The first value of a header (case-insensitive name), or "".
  std::string header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::multimap<std::string, std::string> headers;  ///< extra headers
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;
/// Checks a request before anything else of it is looked at (its body is not read yet): a
/// response refuses it (401 with WWW-Authenticate for a missing token), nullopt lets it through.
using HttpAuthorizer = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

/// One route: a method and a pattern, an ECMAScript regex that must match the whole path
/// (cpp-httplib 0.11): "/api/v1/targets", R"(/api/v1/targets/(\d+))".
struct HttpRoute {
  HttpMethod method = HttpMethod::Get;
  std::string pattern;
  HttpHandler handler;
  HttpAuthorizer authorize{};  ///< POST routes only; empty = no check
};

}  // namespace certvigil::exporters
