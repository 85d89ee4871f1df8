// SPDX-License-Identifier: Apache-2.0
#include "alerts/http_client.h"

#include "alerts/curl_library.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <string_view>
#include <vector>

namespace certvigil::alerts {
namespace {

// A longer Retry-After is read as this: the backoff caps every wait far below it anyway, and an
// unbounded value overflowed when converted to milliseconds (found by fuzz/fuzz_receiver).
constexpr long kMaxRetryAfterSeconds = 86400;

struct Transfer {
  HttpResponse* response;
  const std::atomic<bool>* cancel;
  const HttpRequest* request;
  bool over_max = false;
};

size_t onBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::string& body = transfer->response->body;
  const size_t n = size * count;
  const size_t max = transfer->request->max_body;
  if (transfer->request->fail_over_max && body.size() + n > max) {
    transfer->over_max = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  if (body.size() < max) body.append(data, std::min(n, max - body.size()));
  return n;
}

size_t onHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  HttpResponse& response = *transfer->response;
  if (auto seconds = parseRetryAfter(line)) response.retry_after = seconds;
  if (auto etag = headerValue(line, "etag")) response.etag = std::move(*etag);
  if (auto modified = headerValue(line, "last-modified")) {
    response.last_modified = std::move(*modified);
  }
  return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* transfer = static_cast<const Transfer*>(user);
  return transfer->cancel != nullptr && transfer->cancel->load() ? 1 : 0;
}

struct CurlDeleter {
  decltype(&curl_easy_cleanup) cleanup;
  void operator()(CURL* curl) const { cleanup(curl); }
};
struct SlistDeleter {
  decltype(&curl_slist_free_all) free_all;
  void operator()(curl_slist* list) const { free_all(list); }
};

void setOptions(const CurlLibrary& lib, CURL* curl, const HttpRequest& request, curl_slist* headers,
                Transfer& transfer, bool get) {
  lib.easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
  lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  lib.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  lib.easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  lib.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  lib.easy_setopt(curl, CURLOPT_USERAGENT, "certvigil");
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  if (get) {
    lib.easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                    static_cast<curl_off_t>(request.body.size()));
  }
  lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &onBody);
  lib.easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, &onHeader);
  lib.easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  lib.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &onProgress);
  lib.easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  lib.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

}  // namespace

std::optional<std::chrono::seconds> parseRetryAfter(std::string_view line) {
  constexpr std::string_view kName = "retry-after:";
  if (line.size() <= kName.size()) return std::nullopt;
  for (size_t i = 0; i < kName.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != kName[i]) return std::nullopt;
  }
  std::string_view value = line.substr(kName.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end == value.data() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(std::min(seconds, kMaxRetryAfterSeconds));
}

std::optional<std::string> headerValue(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return std::nullopt;
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return std::nullopt;
  }
  std::string_view value = line.substr(name.size() + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
    value.remove_suffix(1);
  }
  return std::string(value);
}

void initHttpClient() { (void)curlLibrary(); }

namespace {

HttpResponse perform(const HttpRequest& request, const std::atomic<bool>* cancel, bool get) {
  HttpResponse response;
  const CurlLibrary* lib = curlLibrary(&response.error);
  if (lib == nullptr) return response;
  std::unique_ptr<CURL, CurlDeleter> curl(lib->easy_init(), CurlDeleter{lib->easy_cleanup});
  if (!curl) {
    response.error = "cannot initialise libcurl";
    return response;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(nullptr, SlistDeleter{lib->slist_free_all});
  // "Expect:" turns off libcurl's 100-continue wait for bodies over 1 KiB, which receivers
  // that do not answer it (many webhook endpoints) would turn into a one-second stall.
  std::vector<std::string> all = request.headers;
  all.emplace_back("Expect:");
  for (const auto& header : all) {
    curl_slist* appended = lib->slist_append(headers.get(), header.c_str());
    if (appended == nullptr) {
      response.error = "out of memory";
      return response;
    }
    (void)headers.release();  // curl_slist_append returns the same list, now longer
    headers.reset(appended);
  }
  Transfer transfer{&response, cancel, &request};
  setOptions(*lib, curl.get(), request, headers.get(), transfer, get);
  const CURLcode rc = lib->easy_perform(curl.get());
  if (rc != CURLE_OK) {
    // curl_easy_strerror is generic ("Couldn't connect to server"): it never holds the URL.
    response.error = transfer.over_max ? "the answer is larger than " +
                                             std::to_string(request.max_body) + " bytes"
                                       : lib->easy_strerror(rc);
    response.body.clear();
    return response;
  }
  lib->easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

}  // namespace

HttpResponse httpPost(const HttpRequest& request, const std::atomic<bool>* cancel) {
  return perform(request, cancel, false);
}

HttpResponse httpGet(const HttpRequest& request, const std::atomic<bool>* cancel) {
  return perform(request, cancel, true);
}

}  // namespace certvigil::alerts
