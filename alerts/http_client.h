// SPDX-License-Identifier: Apache-2.0
// alerts/http_client.h: one HTTP POST or GET through libcurl, for notifiers and for fetching
// what a CA publishes (CRLs, OCSP answers; a library of its own, certvigil_http_client). TLS
// verification stays on (peer and host name), proxies come from the environment as libcurl reads
// them (http_proxy, https_proxy, no_proxy), redirects are not followed, and every attempt has its
// own timeout. Errors are described without the URL: notifier URLs may carry tokens (Slack).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certvigil::alerts {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  ///< "Name: value"
  std::string body;
  std::chrono::milliseconds timeout{10000};
  size_t max_body = 1024;         ///< keep at most this much of the answer
  bool fail_over_max = false;     ///< a longer answer is an error (a fetch), not cut (diagnostics)
  bool follow_redirects = false;  ///< up to 3 redirects, to http or https only
};

struct HttpResponse {
  long status = 0;            ///< 0 when no response arrived
  std::string error;          ///< why no response arrived (libcurl's generic text, no URL)
  std::string body;           ///< at most the first max_body bytes
  std::string etag;           ///< the ETag header's value, if sent
  std::string last_modified;  ///< the Last-Modified header's value, if sent
  std::optional<std::chrono::seconds> retry_after;  ///< a Retry-After in seconds, if sent
};

/// The seconds of one response header line "Retry-After: 120" (any case, CRLF or not), at most
/// a day; nullopt for other headers and for the HTTP-date form (rare for webhooks, ignored).
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view header_line);

/// Loads and initialises libcurl now, once per process (httpPost and httpGet otherwise do it at
/// their first request: alerts/curl_library.h).
void initHttpClient();

/// POSTs the request and waits for the answer. `cancel`, when set and true, aborts a transfer
/// in flight (daemon shutdown).
HttpResponse httpPost(const HttpRequest& request, const std::atomic<bool>* cancel = nullptr);

/// GETs the URL (the request's body is not sent) and waits for the answer.
HttpResponse httpGet(const HttpRequest& request, const std::atomic<bool>* cancel = nullptr);

/// The value of a response header line "Name: value" (name in any case, CRLF trimmed) when
/// its name is `name` (lower case); nullopt for other headers.
std::optional<std::string> headerValue(std::string_view line, std::string_view name);

}  // namespace certvigil::alerts
