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

}  // namespace
}  // namespace certvigil
