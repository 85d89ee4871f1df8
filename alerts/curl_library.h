// SPDX-License-Identifier: Apache-2.0
// alerts/curl_library.h: libcurl, loaded when the first request is made (dlopen) instead of at
// start. Why: libcurl brings ~25 libraries of its own (GnuTLS, Kerberos, LDAP, libssh2, RTMP,
// nghttp2, ...) whose start-up alone kept ~4 MB resident in every daemon, although many never
// send a notification nor fetch a CRL (bench/README.md, "Daemon memory with 2,000 endpoints").
// A daemon that does pays it from its first request, as before.
#pragma once

#include <curl/curl.h>

#include <string>

namespace certvigil::alerts {

/// The libcurl functions the HTTP client calls.
struct CurlLibrary {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

/// libcurl, loaded and initialised (curl_global_init) on the first call, once per process and
/// never unloaded; null when it cannot be loaded, and then `error` (if given) says why.
/// Thread-safe.
const CurlLibrary* curlLibrary(std::string* error = nullptr);

}  // namespace certvigil::alerts
