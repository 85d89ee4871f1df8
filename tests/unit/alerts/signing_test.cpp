// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/signing_test.cpp: Standard Webhooks signatures against the specification's
// own example, and the whsec_ secret format.
#include "alerts/notifiers/signing.h"

#include <doctest/doctest.h>

#include <vector>

namespace certvigil::alerts {
namespace {

TEST_CASE("the Standard Webhooks example signature") {
  // From the specification (and its reference libraries' tests).
  const auto key = webhookKeyFromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n");
  REQUIRE(key.has_value());
  CHECK(signWebhook(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST_CASE("secrets: whsec_ is base64, anything else is raw bytes, trailing newline dropped") {
  CHECK(webhookKeyFromSecret("plain-secret\n") == std::optional<std::string>("plain-secret"));
  CHECK(webhookKeyFromSecret("whsec_aGVsbG8=") == std::optional<std::string>("hello"));
  CHECK_FALSE(webhookKeyFromSecret("whsec_not base64!").has_value());
  CHECK_FALSE(webhookKeyFromSecret(" \n").has_value());
}

TEST_CASE("base64 round trips") {
  for (const std::string& text :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    CHECK(base64Decode(base64Encode(text)) == std::optional<std::string>(text));
  }
}

}  // namespace
}  // namespace certvigil::alerts
