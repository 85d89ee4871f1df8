// SPDX-License-Identifier: Apache-2.0
// alerts/http_client.h: one HTTP POST through libcurl, for notifiers. TLS verification stays on
// (peer and host name), proxies come from the environment as libcurl reads them (http_proxy,
// https_proxy, no_proxy), redirects are not followed, and every attempt has its own timeout.
// Errors are described without the URL: notifier URLs may carry tokens (Slack).
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
};

struct HttpResponse {
  long status = 0;    ///< 0 when no response arrived
  std::string error;  ///< why no response arrived (libcurl's generic text, no URL)
  std::string body;   ///< at most the first 1 KiB, for diagnostics
  std::optional<std::chrono::seconds> retry_after;  ///< a Retry-After in seconds, if sent
};

/// The seconds of one response header line "Retry-After: 120" (any case, CRLF or not), at most
/// a day; nullopt for other headers and for the HTTP-date form (rare for webhooks, ignored).
std::optional<std::chrono::seconds> parseRetryAfter(std::string_view header_line);

/// Initialises libcurl once per process; call before starting threads that use httpPost.
void initHttpClient();

/// POSTs the request and waits for the answer. `cancel`, when set and true, aborts a transfer
/// in flight (daemon shutdown).
HttpResponse httpPost(const HttpRequest& request, const std::atomic<bool>* cancel = nullptr);

}  // namespace certvigil::alerts
