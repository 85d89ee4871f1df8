// SPDX-License-Identifier: Apache-2.0
#include "core/time.h"

#include <ctime>

namespace certvigil {

std::string formatRfc3339(TimePoint t) {
  const std::time_t secs = static_cast<std::time_t>(toUnix(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf, n);
}

namespace {

/// Reads exactly `width` digits at `pos`; nullopt if any is not a digit.
std::optional<int> digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::optional<std::chrono::sys_days> parseDate(std::string_view text) {
  const auto y = digits(text, 0, 4);
  const auto m = digits(text, 5, 2);
  const auto d = digits(text, 8, 2);
  if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*y},
                                         std::chrono::month{static_cast<unsigned>(*m)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

/// "Z", "+HH:MM" or "-HH:MM" at the end: the offset east of UTC; nullopt if malformed.
std::optional<Seconds> parseOffset(std::string_view zone) {
  if (zone == "Z" || zone == "z") return Seconds{0};
  const auto h = digits(zone, 1, 2);
  const auto m = digits(zone, 4, 2);
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || !h || !m ||
      *h > 23 || *m > 59) {
    return std::nullopt;
  }
  const Seconds offset{*h * 3600 + *m * 60};
  return zone[0] == '+' ? offset : -offset;
}

}  // namespace

std::optional<TimePoint> parseRfc3339(std::string_view text) {
  const auto date = parseDate(text);
  if (!date) return std::nullopt;
  if (text.size() == 10) return TimePoint{*date};
  const auto hh = digits(text, 11, 2);
  const auto mm = digits(text, 14, 2);
  const auto ss = digits(text, 17, 2);
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !hh || !mm || !ss ||
      text[13] != ':' || text[16] != ':' || *hh > 23 || *mm > 59 || *ss > 60) {
    return std::nullopt;
  }
  size_t zone = 19;
  if (zone < text.size() && text[zone] == '.') {
    do ++zone;
    while (zone < text.size() && text[zone] >= '0' && text[zone] <= '9');
  }
  const auto offset = parseOffset(text.substr(std::min(zone, text.size())));
  if (!offset) return std::nullopt;
  return TimePoint{*date} + Seconds{*hh * 3600 + *mm * 60 + *ss} - *offset;
}

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
}

}  // namespace certvigil
