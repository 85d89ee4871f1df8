// SPDX-License-Identifier: Apache-2.0
// config/duration.cpp: durations as operators write them ("90s", "1h30m", "7d", "3600").
// Whole seconds only, no negatives, and at most a century, so that adding a duration to a
// TimePoint can never overflow.
#include <cctype>
#include <cstdint>
#include <string_view>

#include "config/config.h"

namespace certvigil::config {
namespace {

constexpr int64_t kMaxSeconds = int64_t{100} * 366 * 86400;

struct Unit {
  char suffix;
  int64_t seconds;
};
// Largest first: compound durations must be written in this order ("1h30m", not "30m1h").
constexpr Unit kUnits[] = {
    {'w', int64_t{7} * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

/// Reads leading digits into *value; false on none or on overflow past kMaxSeconds.
bool readNumber(std::string_view& text, int64_t* value) {
  size_t n = 0;
  *value = 0;
  while (n < text.size() && std::isdigit(static_cast<unsigned char>(text[n]))) {
    *value = *value * 10 + (text[n] - '0');
    if (*value > kMaxSeconds) return false;
    ++n;
  }
  text.remove_prefix(n);
  return n > 0;
}

}  // namespace

std::optional<Seconds> parseDuration(const std::string& input) {
  std::string_view text = trim(input);
  if (text.empty()) return std::nullopt;
  int64_t total = 0;
  size_t next_unit = 0;  // units must come largest first, each at most once
  bool bare_allowed = true;
  while (!text.empty()) {
    int64_t number = 0;
    if (!readNumber(text, &number)) return std::nullopt;
    if (text.empty()) {
      if (!bare_allowed) return std::nullopt;  // "1h30" is ambiguous
      total = number;
      break;
    }
    size_t u = next_unit;
    while (u < std::size(kUnits) && kUnits[u].suffix != text.front()) ++u;
    if (u == std::size(kUnits)) return std::nullopt;
    if (number > kMaxSeconds / kUnits[u].seconds) return std::nullopt;
    total += number * kUnits[u].seconds;
    if (total > kMaxSeconds) return std::nullopt;
    text.remove_prefix(1);
    next_unit = u + 1;
    bare_allowed = false;
  }
  return Seconds{total};
}

std::string formatDuration(Seconds duration) {
  int64_t left = duration.count();
  if (left == 0) return "0s";
  std::string out;
  if (left < 0) {
    out = "-";
    left = -left;
  }
  for (const Unit& unit : kUnits) {
    if (unit.suffix == 'w') continue;  // "28d" reads better than "4w" in messages
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds) + unit.suffix;
      left %= unit.seconds;
    }
  }
  return out;
}

}  // namespace certvigil::config
