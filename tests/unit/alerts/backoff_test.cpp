// SPDX-License-Identifier: Apache-2.0
// tests/unit/alerts/backoff_test.cpp: the retry waits: about 1 s first, doubling, jittered in
// [half, whole), capped at 5 minutes, Retry-After honoured up to the cap (and read at most a day).
#include "alerts/backoff.h"

#include <doctest/doctest.h>

#include "alerts/http_client.h"

namespace certvigil::alerts {
namespace {

using std::chrono::milliseconds;

TEST_CASE("waits double from about a second, with jitter in the upper half") {
  const BackoffPolicy policy;
  CHECK(policy.delay(1, 0.0) == milliseconds(500));
  CHECK(policy.delay(1, 0.999) >= milliseconds(999));
  CHECK(policy.delay(1, 0.999) < milliseconds(1000));
  CHECK(policy.delay(2, 0.0) == milliseconds(1000));
  CHECK(policy.delay(3, 0.0) == milliseconds(2000));
  CHECK(policy.delay(9, 0.0) == milliseconds(128000));
}

TEST_CASE("waits never exceed the cap, however many failures") {
  const BackoffPolicy policy;
  for (int failures : {10, 11, 20, 1000, 1 << 30}) {
    CAPTURE(failures);
    CHECK(policy.delay(failures, 0.999) <= milliseconds(300000));
    CHECK(policy.delay(failures, 0.0) == milliseconds(150000));
  }
}

TEST_CASE("a receiver's Retry-After wins when longer, up to the cap") {
  const BackoffPolicy policy;
  CHECK(policy.delay(1, 0.0, milliseconds(30000)) == milliseconds(30000));
  CHECK(policy.delay(1, 0.0, milliseconds(100)) == milliseconds(500));
  CHECK(policy.delay(1, 0.0, milliseconds(3600000)) == milliseconds(300000));
}

TEST_CASE("Retry-After headers are read in seconds, at most a day") {
  using std::chrono::seconds;
  CHECK(parseRetryAfter("Retry-After: 120\r\n") == seconds(120));
  CHECK(parseRetryAfter("retry-after:5") == seconds(5));
  CHECK_FALSE(parseRetryAfter("Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n"));
  CHECK_FALSE(parseRetryAfter("Retry-After: -1\r\n"));
  CHECK_FALSE(parseRetryAfter("Content-Type: text/plain\r\n"));
  // fuzz/regressions/receiver: converted to milliseconds, this once overflowed.
  const auto huge = parseRetryAfter("Retry-After:      004343155586439338974\r\n");
  REQUIRE(huge);
  CHECK(*huge == seconds(86400));
  CHECK(BackoffPolicy().delay(1, 0.0, std::chrono::duration_cast<Millis>(*huge)) ==
        BackoffPolicy().cap);
}

}  // namespace
}  // namespace certvigil::alerts
