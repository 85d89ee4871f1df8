// SPDX-License-Identifier: Apache-2.0
// alerts/curl_library.h: libcurl is not linked, it is loaded at the first request; once loaded
// it stays, and every later caller gets the same functions. No sockets: nothing is sent.
#include "alerts/curl_library.h"

#include <doctest/doctest.h>
#include <link.h>

#include <string>

namespace certvigil::alerts {
namespace {

// Whether a library whose path contains `name` is mapped into this process.
bool mapped(const char* name) {
  bool found = false;
  auto visit = [](dl_phdr_info* info, size_t, void* data) {
    auto* args = static_cast<std::pair<const char*, bool*>*>(data);
    if (std::string(info->dlpi_name).find(args->first) != std::string::npos) *args->second = true;
    return 0;
  };
  std::pair<const char*, bool*> args{name, &found};
  dl_iterate_phdr(visit, &args);
  return found;
}

TEST_CASE("libcurl is loaded once, on first use, with every function the client calls") {
  // Before any request this test binary has not mapped libcurl (it is not linked).
  const bool before = mapped("libcurl");
  std::string error;
  const CurlLibrary* first = curlLibrary(&error);
  REQUIRE_MESSAGE(first != nullptr, error);
  CHECK(error.empty());
  CHECK(mapped("libcurl"));
  CHECK((first->easy_init != nullptr));
  CHECK((first->easy_setopt != nullptr));
  CHECK((first->easy_perform != nullptr));
  CHECK((first->slist_free_all != nullptr));
  CHECK(curlLibrary() == first);  // loaded and initialised once
  CHECK_FALSE(before);
  // The loaded functions work: a handle can be made and freed without a transfer.
  CURL* handle = first->easy_init();
  CHECK(handle != nullptr);
  first->easy_cleanup(handle);
}

}  // namespace
}  // namespace certvigil::alerts
