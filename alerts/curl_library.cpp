// SPDX-License-Identifier: Apache-2.0
#include "alerts/curl_library.h"

#include <dlfcn.h>

#include <mutex>

namespace certvigil::alerts {
namespace {

// The SONAME of libcurl's ABI since 7.16 (2006): what the linker would have recorded.
constexpr const char* kSoname = "libcurl.so.4";

struct Loaded {
  CurlLibrary library;
  std::string error;  ///< set when the library or one of its functions is missing
};

template <typename F>
void resolve(void* handle, const char* name, F& function, std::string& error) {
  // POSIX guarantees that a data pointer from dlsym converts to a function pointer.
  function = reinterpret_cast<F>(dlsym(handle, name));
  if (function == nullptr && error.empty()) error = std::string(kSoname) + " lacks " + name;
}

Loaded load() {
  Loaded out;
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = "cannot load " + std::string(kSoname) + ": " + (why ? why : "unknown error");
    return out;
  }
  CurlLibrary& c = out.library;
  std::string& e = out.error;
  resolve(handle, "curl_global_init", c.global_init, e);
  resolve(handle, "curl_easy_init", c.easy_init, e);
  resolve(handle, "curl_easy_cleanup", c.easy_cleanup, e);
  resolve(handle, "curl_easy_setopt", c.easy_setopt, e);
  resolve(handle, "curl_easy_perform", c.easy_perform, e);
  resolve(handle, "curl_easy_getinfo", c.easy_getinfo, e);
  resolve(handle, "curl_easy_strerror", c.easy_strerror, e);
  resolve(handle, "curl_slist_append", c.slist_append, e);
  resolve(handle, "curl_slist_free_all", c.slist_free_all, e);
  // Under the call_once below: our threads never run it concurrently, and libcurl >= 7.84 (Debian
  // 12 has 7.88) makes it thread-safe against other users too.
  if (e.empty() && c.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) e = "curl_global_init failed";
  return out;
}

}  // namespace

const CurlLibrary* curlLibrary(std::string* error) {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = load(); });
  if (!loaded.error.empty()) {
    if (error != nullptr) *error = loaded.error;
    return nullptr;
  }
  return &loaded.library;
}

}  // namespace certvigil::alerts
