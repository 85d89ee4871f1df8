// SPDX-License-Identifier: Apache-2.0
// core/shared_text.h: reads and compares as the string it holds; copies share one allocation.
#include "core/shared_text.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <string_view>

namespace certvigil {
namespace {

TEST_CASE("SharedText: copies share the text, and it reads and compares as a string") {
  const SharedText unit = std::string("/etc/ssl/**/*.pem");
  const SharedText copy = unit;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.c_str() == unit.c_str());
  CHECK(copy == unit);
  CHECK(unit == std::string("/etc/ssl/**/*.pem"));
  CHECK(unit == std::string_view("/etc/ssl/**/*.pem"));
  CHECK(unit == "/etc/ssl/**/*.pem");
  CHECK_FALSE(unit == "/etc/ssl");
  const std::string& as_string = unit;
  CHECK(as_string.size() == unit.size());
  // Equal text from two sources is equal without being shared.
  const SharedText other = std::string("/etc/ssl/**/*.pem");
  CHECK(other == unit);
  CHECK(other.c_str() != unit.c_str());
  CHECK((SharedText("a") < SharedText("b")));
  std::ostringstream out;
  out << unit;
  CHECK(out.str() == "/etc/ssl/**/*.pem");
}

TEST_CASE("SharedText: empty holds nothing and reads as an empty string") {
  const SharedText none;
  CHECK(none.empty());
  CHECK(none.str().empty());
  CHECK(none == "");
  CHECK(SharedText(std::string()) == none);
}

TEST_CASE("TextPool: equal texts come back as one allocation, up to its capacity") {
  TextPool pool;
  const SharedText first = pool.intern("TLS_AES_256_GCM_SHA384");
  const SharedText again = pool.intern(std::string("TLS_AES_256_GCM_SHA384"));
  CHECK(again == "TLS_AES_256_GCM_SHA384");
  CHECK(again.c_str() == first.c_str());
  CHECK(pool.intern("TLSv1.3").c_str() != first.c_str());
  CHECK(pool.intern("").empty());
  // A pool of many distinct texts stops keeping them, and still answers with the text.
  for (int i = 0; i < 100; ++i) pool.intern("cipher-" + std::to_string(i));
  const SharedText late = pool.intern("cipher-99");
  CHECK(late == "cipher-99");
  CHECK(pool.intern("cipher-99").c_str() != late.c_str());  // beyond capacity: not kept
  CHECK(pool.intern("TLS_AES_256_GCM_SHA384").c_str() == first.c_str());  // kept ones still are
}

}  // namespace
}  // namespace certvigil
