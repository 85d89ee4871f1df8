// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/listen_address_test.cpp: parsing the listen string.
#include "exporters/http/listen_address.h"

#include <doctest/doctest.h>

namespace certvigil::exporters {
namespace {

TEST_CASE("valid listen strings") {
  const auto v4 = parseListenAddress(kDefaultListen);
  REQUIRE(v4.ok());
  CHECK(v4->host == "127.0.0.1");
  CHECK(v4->port == 9879);
  const auto v6 = parseListenAddress("[::1]:0");
  REQUIRE(v6.ok());
  CHECK(v6->host == "::1");
  CHECK(v6->port == 0);
  CHECK(v6->toString() == "[::1]:0");
  const auto name = parseListenAddress("localhost:65535");
  REQUIRE(name.ok());
  CHECK(name->toString() == "localhost:65535");
}

TEST_CASE("invalid listen strings say what is wrong") {
  struct Case {
    const char* text;
    const char* says;
  };
  for (const Case& c : {Case{"127.0.0.1", "host:port"}, Case{":9879", "host is missing"},
                        Case{"127.0.0.1:", "port must be"}, Case{"127.0.0.1:65536", "port must be"},
                        Case{"127.0.0.1:-1", "port must be"}, Case{"127.0.0.1:80x", "port must be"},
                        Case{"::1:9879", "brackets"}}) {
    CAPTURE(c.text);
    const auto parsed = parseListenAddress(c.text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().describe().find(c.says) != std::string::npos);
    CHECK(parsed.error().describe().find(c.text) != std::string::npos);
  }
}

}  // namespace
}  // namespace certvigil::exporters
