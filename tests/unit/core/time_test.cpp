// SPDX-License-Identifier: Apache-2.0
// core/time.h: RFC 3339 parsing (zones, fractions, dates, calendar validity) and formatting,
// and the fixed and fake clocks.
#include "core/time.h"

#include <doctest/doctest.h>

namespace certvigil {
namespace {

// 2027-01-01T00:00:00Z.
constexpr int64_t kNewYear2027 = 1798761600;

int64_t unixOf(std::string_view text) {
  const auto t = parseRfc3339(text);
  REQUIRE_MESSAGE(t.has_value(), text);
  return toUnix(*t);
}

TEST_CASE("parseRfc3339 reads UTC date-times") {
  CHECK(unixOf("1970-01-01T00:00:00Z") == 0);
  CHECK(unixOf("2027-01-01T00:00:00Z") == kNewYear2027);
  CHECK(unixOf("2027-01-01T09:30:15Z") == kNewYear2027 + 9 * 3600 + 30 * 60 + 15);
  CHECK(unixOf("2027-01-01t00:00:00z") == kNewYear2027);
  CHECK(unixOf("2027-01-01 00:00:00Z") == kNewYear2027);
}

TEST_CASE("parseRfc3339 applies offsets east and west of UTC") {
  // 09:30 at +02:00 is 07:30 UTC.
  CHECK(unixOf("2027-01-01T09:30:00+02:00") == kNewYear2027 + 7 * 3600 + 30 * 60);
  // 00:00 at -05:30 is 05:30 UTC.
  CHECK(unixOf("2027-01-01T00:00:00-05:30") == kNewYear2027 + 5 * 3600 + 30 * 60);
  // An offset that moves the instant across midnight into the previous year.
  CHECK(unixOf("2027-01-01T01:00:00+02:00") == kNewYear2027 - 3600);
  CHECK(unixOf("2027-01-01T00:00:00+00:00") == kNewYear2027);
  CHECK(unixOf("2027-01-01T00:00:00-00:00") == kNewYear2027);
}

TEST_CASE("parseRfc3339 drops fractions of a second") {
  CHECK(unixOf("2027-01-01T00:00:00.999Z") == kNewYear2027);
  CHECK(unixOf("2027-01-01T00:00:05.5+01:00") == kNewYear2027 - 3600 + 5);
  CHECK(unixOf("2027-01-01T00:00:00.123456789Z") == kNewYear2027);
}

TEST_CASE("parseRfc3339 reads a full date as midnight UTC") {
  CHECK(unixOf("2027-01-01") == kNewYear2027);
  CHECK(unixOf("2027-01-02") == kNewYear2027 + 86400);
}

TEST_CASE("parseRfc3339 rejects dates that are not in the calendar") {
  CHECK_FALSE(parseRfc3339("2027-13-01").has_value());
  CHECK_FALSE(parseRfc3339("2027-00-10").has_value());
  CHECK_FALSE(parseRfc3339("2027-04-31").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-00").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-32T00:00:00Z").has_value());
  SUBCASE("29 February only in a leap year") {
    CHECK_FALSE(parseRfc3339("2027-02-29").has_value());
    CHECK_FALSE(parseRfc3339("2027-02-29T12:00:00Z").has_value());
    CHECK(unixOf("2028-02-29") == unixOf("2028-02-28") + 86400);
    CHECK(unixOf("2028-03-01T00:00:00Z") == unixOf("2028-02-29T00:00:00Z") + 86400);
    CHECK_FALSE(parseRfc3339("2100-02-29").has_value());  // not a leap year (century)
    CHECK(parseRfc3339("2000-02-29").has_value());        // a leap year (400)
  }
}

TEST_CASE("parseRfc3339 rejects out-of-range times and malformed zones") {
  CHECK_FALSE(parseRfc3339("2027-01-01T24:00:00Z").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T23:60:00Z").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T23:59:61Z").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00").has_value());  // no zone
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00+0200").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00+02").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00+24:00").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00+02:60").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00ZZ").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00Z ").has_value());
  CHECK_FALSE(parseRfc3339("2027-01-01T00:00:00.Q").has_value());
}

TEST_CASE("parseRfc3339 rejects garbage") {
  for (const char* text : {"", "now", "+30d", "2027", "2027-01", "2027-1-1", "27-01-01",
                           "2027/01/01", "2027-01-01T", "2027-01-01T00:00", "2027-01-01X00:00:00Z",
                           "2027-01-01T0a:00:00Z", "abcd-ef-ghT00:00:00Z", "2027-01-01junk"}) {
    CAPTURE(text);
    CHECK_FALSE(parseRfc3339(text).has_value());
  }
}

TEST_CASE("formatRfc3339 writes UTC with Z, and parseRfc3339 reads it back") {
  CHECK(formatRfc3339(fromUnix(0)) == "1970-01-01T00:00:00Z");
  CHECK(formatRfc3339(fromUnix(kNewYear2027)) == "2027-01-01T00:00:00Z");
  CHECK(formatRfc3339(fromUnix(1795358499)) == "2026-11-22T14:41:39Z");
  for (int64_t s :
       {int64_t{0}, kNewYear2027, int64_t{1795358499}, int64_t{1835395199}, int64_t{951782400}}) {
    CAPTURE(s);
    CHECK(unixOf(formatRfc3339(fromUnix(s))) == s);
  }
  // An offset time formats as the same instant in UTC.
  CHECK(formatRfc3339(*parseRfc3339("2027-06-30T23:30:00-01:00")) == "2027-07-01T00:30:00Z");
}

TEST_CASE("toUnix and fromUnix are inverses") {
  CHECK(toUnix(fromUnix(1795348800)) == 1795348800);
  CHECK(toUnix(fromUnix(-86400)) == -86400);
}

TEST_CASE("FixedClock always says the same instant; FakeClock moves when told") {
  const TimePoint t = fromUnix(kNewYear2027);
  const FixedClock fixed(t);
  const Clock& clock = fixed;
  CHECK(clock.now() == t);
  CHECK(clock.now() == t);

  FakeClock fake(t);
  CHECK(fake.now() == t);
  fake.advance(Seconds{90});
  CHECK(toUnix(fake.now()) == kNewYear2027 + 90);
  fake.set(fromUnix(5));
  CHECK(toUnix(fake.now()) == 5);
}

TEST_CASE("SystemClock says a time after this test was written") {
  CHECK(toUnix(SystemClock().now()) > 1700000000);
}

}  // namespace
}  // namespace certvigil
