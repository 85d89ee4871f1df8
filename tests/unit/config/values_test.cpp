// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/values_test.cpp: durations, addresses and enum spellings.
#include <doctest/doctest.h>

#include "config/config.h"

namespace certvigil::config {
namespace {

TEST_CASE("parseDuration reads units and bare seconds") {
  CHECK(parseDuration("90s") == Seconds{90});
  CHECK(parseDuration("15m") == Seconds{900});
  CHECK(parseDuration("1h") == Seconds{3600});
  CHECK(parseDuration("7d") == Seconds{7 * 86400});
  CHECK(parseDuration("2w") == Seconds{14 * 86400});
  CHECK(parseDuration("3600") == Seconds{3600});
  CHECK(parseDuration("0") == Seconds{0});
  CHECK(parseDuration("0s") == Seconds{0});
  CHECK(parseDuration("1h30m") == Seconds{5400});
  CHECK(parseDuration("1w2d3h4m5s") == Seconds{7 * 86400 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5});
  CHECK(parseDuration(" 5m ") == Seconds{300});
}

TEST_CASE("parseDuration rejects garbage") {
  for (const char* bad :
       {"", " ", "soon", "h", "-5s", "+5s", "1.5h", "5 m", "5ms", "5M", "5y", "30m1h", "1h1h",
        "1h30", "5s ago", "99999999999999999999", "999999999999w"}) {
    CAPTURE(bad);
    CHECK_FALSE(parseDuration(bad).has_value());
  }
}

TEST_CASE("formatDuration is the inverse of parseDuration") {
  CHECK(formatDuration(Seconds{0}) == "0s");
  CHECK(formatDuration(Seconds{90}) == "1m30s");
  CHECK(formatDuration(Seconds{3600}) == "1h");
  CHECK(formatDuration(Seconds{28 * 86400}) == "28d");  // as thresholds are written
  CHECK(formatDuration(Seconds{8 * 86400 + 60}) == "8d1m");
  for (int64_t s : {1, 59, 61, 3599, 86399, 86401, 1234567}) {
    CHECK(parseDuration(formatDuration(Seconds{s})) == Seconds{s});
  }
}

TEST_CASE("parseHostPort") {
  auto hp = parseHostPort("api.internal:443");
  REQUIRE(hp);
  CHECK(hp->host == "api.internal");
  CHECK(hp->port == 443);
  hp = parseHostPort("[::1]:8443");
  REQUIRE(hp);
  CHECK(hp->host == "::1");
  CHECK(hp->port == 8443);
  CHECK(parseHostPort("10.0.0.1:1"));
  CHECK_FALSE(parseHostPort("a:0"));
  CHECK(parseHostPort("a:0", /*allow_port_zero=*/true));
  std::string why;
  CHECK_FALSE(parseHostPort("::1:443", false, &why));
  CHECK(why.find("brackets") != std::string::npos);
  CHECK_FALSE(parseHostPort("[::1", false, &why));
  CHECK(why.find("']'") != std::string::npos);
  CHECK_FALSE(parseHostPort("", false, &why));
  CHECK_FALSE(parseHostPort("a:-1"));
  CHECK_FALSE(parseHostPort("a:+1"));
  CHECK_FALSE(parseHostPort("a:1x"));
}

TEST_CASE("enum spellings round-trip") {
  for (MtlsMode m : {MtlsMode::None, MtlsMode::Optional, MtlsMode::Required}) {
    CHECK((mtlsModeFromString(toString(m)) == m));
  }
  for (StartTls s : {StartTls::None, StartTls::Smtp, StartTls::Imap, StartTls::Pop3, StartTls::Ftp,
                     StartTls::Ldap, StartTls::Postgres, StartTls::Xmpp}) {
    CHECK((startTlsFromString(toString(s)) == s));
  }
  for (NotifierType t : {NotifierType::Webhook, NotifierType::Slack, NotifierType::Alertmanager}) {
    CHECK((notifierTypeFromString(toString(t)) == t));
  }
  CHECK(std::string(toString(MtlsMode::Required)) == "required");
  CHECK(std::string(toString(StartTls::Postgres)) == "postgres");
  CHECK(std::string(toString(NotifierType::Alertmanager)) == "alertmanager");
  CHECK_FALSE(mtlsModeFromString("Required").has_value());
  CHECK_FALSE(startTlsFromString("").has_value());
}

}  // namespace
}  // namespace certvigil::config
