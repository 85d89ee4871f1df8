// SPDX-License-Identifier: Apache-2.0
// tests/unit/exporters/text_format_test.cpp: escaping, UTF-8 repair, number formatting and the
// staging appender.
#include "exporters/prometheus/text_format.h"

#include <doctest/doctest.h>

#include <limits>

#include "exporters/prometheus/block_appender.h"

namespace certvigil::exporters {
namespace {

std::string escaped(std::string_view value) {
  std::string out;
  appendEscapedLabelValue(out, value);
  return out;
}

std::string value(double v) {
  std::string out;
  appendValue(out, v);
  return out;
}

TEST_CASE("label values escape backslash, double quote and line feed only") {
  CHECK(escaped("plain") == "plain");
  CHECK(escaped("a\"b") == "a\\\"b");
  CHECK(escaped("a\\b") == "a\\\\b");
  CHECK(escaped("a\nb") == "a\\nb");
  CHECK(escaped("\\n") == "\\\\n");  // a literal backslash-n stays two characters
  CHECK(escaped("tab\tcr\r") == "tab\tcr\r");
  CHECK(escaped("") == "");
}

TEST_CASE("label values keep valid UTF-8 and replace invalid bytes with U+FFFD") {
  CHECK(escaped("CN=Jos\xC3\xA9") == "CN=Jos\xC3\xA9");      // é
  CHECK(escaped("\xE2\x82\xAC") == "\xE2\x82\xAC");          // €
  CHECK(escaped("\xF0\x9F\x94\x92") == "\xF0\x9F\x94\x92");  // U+1F512
  CHECK(escaped("a\xFF"
                "b") ==
        "a\xEF\xBF\xBD"
        "b");                                                                // never valid
  CHECK(escaped("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  CHECK(escaped("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  CHECK(escaped("\xE2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
  CHECK(escaped("\xF4\x90\x80\x80").find('\xF4') == std::string::npos);      // above U+10FFFF
  CHECK(sanitizeUtf8("x\xFE\"") == "x\xEF\xBF\xBD\"");  // sanitize does not escape
}

// Byte-at-a-time escaping (valid UTF-8 input), to check the word-at-a-time scanner against.
std::string simpleEscape(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

TEST_CASE("special bytes are found at every offset of the word-at-a-time scan") {
  for (const std::string_view special : {"\\", "\"", "\n", "\xC3\xA9", "\xFF"}) {
    for (size_t length = 0; length <= 24; ++length) {
      for (size_t at = 0; at <= length; ++at) {
        std::string value(length, 'a');
        value.insert(at, special);
        CAPTURE(value);
        const std::string expected = special == "\xFF" ? std::string(at, 'a') + "\xEF\xBF\xBD" +
                                                             std::string(length - at, 'a')
                                                       : simpleEscape(value);
        CHECK(escaped(value) == expected);
      }
    }
  }
}

TEST_CASE("values use the shortest round-trip form and Prometheus spellings") {
  CHECK(value(0) == "0");
  CHECK(value(1) == "1");
  CHECK(value(0.1) == "0.1");
  CHECK(value(0.25) == "0.25");
  CHECK(value(1767225600) == "1767225600");
  CHECK(value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(value(-std::numeric_limits<double>::infinity()) == "-Inf");
  std::string out;
  appendValue(out, int64_t{-42});
  CHECK(out == "-42");
}

TEST_CASE("a family header is HELP then TYPE") {
  std::string out;
  appendFamilyHeader(out, {"x_total", "Counts\\things\nhere.", MetricType::Counter});
  CHECK(out == "# HELP x_total Counts\\\\things\\nhere.\n# TYPE x_total counter\n");
}

TEST_CASE("BlockAppender copies pieces of every length across block boundaries") {
  std::string expected;
  std::string out;
  {
    BlockAppender appender(out);
    std::string piece;
    for (size_t round = 0; round < 40; ++round) {
      for (size_t length = 0; length <= 300; ++length) {
        piece.assign(length, static_cast<char>('a' + (length + round) % 26));
        if (length > 0) piece.back() = '|';
        appender.put(piece);
        expected += piece;
      }
      appender.putValue(int64_t{-1234567890123});
      expected += "-1234567890123";
      appender.putValue(0.5);
      expected += "0.5";
    }
    const std::string big(size_t{200} * 1024, 'z');  // larger than a block
    appender.put(big);
    expected += big;
  }
  CHECK(out.size() == expected.size());
  CHECK(out == expected);
}

}  // namespace
}  // namespace certvigil::exporters
