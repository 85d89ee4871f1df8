// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/text_format.cpp: escaping and number formatting for the text format.
// std::to_chars gives the shortest representation that parses back to the same double, with no
// locale and no allocation, which is what a renderer that writes ~10^6 values per scrape needs.
#include "exporters/prometheus/text_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace certvigil::exporters {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting a non-ASCII `s`, or 0 when it is invalid
// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
size_t utf8SequenceLength(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (!isContinuation(static_cast<unsigned char>(s[i]))) return 0;
  }
  return len;
}

// True when none of the 8 bytes of `word` is non-ASCII or (when Escape) reserved: a
// word-at-a-time test, since almost every label byte is plain ASCII.
template <bool Escape>
bool plainWord(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const auto has = [word](uint64_t byte) {
    const uint64_t x = word ^ (kOnes * byte);
    return (x - kOnes) & ~x & kHigh;
  };
  uint64_t hits = word & kHigh;
  if constexpr (Escape) hits |= has('\\') | has('"') | has('\n');
  return hits == 0;
}

// Appends `value` with invalid UTF-8 replaced and, when Escape, the three characters the
// label value syntax reserves escaped. Plain runs are appended in bulk: this runs for every
// label of 10^5 certificates on a cold cache.
template <bool Escape>
void appendClean(std::string& out, std::string_view value) {
  size_t run = 0;  // start of the pending plain run
  size_t i = 0;
  while (i < value.size()) {
    uint64_t word = 0;
    if (i + sizeof word <= value.size()) {
      std::memcpy(&word, value.data() + i, sizeof word);
      if (plainWord<Escape>(word)) {
        i += sizeof word;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(value[i]);
    const bool reserved = Escape && (c == '\\' || c == '"' || c == '\n');
    if (c < 0x80 && !reserved) {
      ++i;
      continue;
    }
    out.append(value.data() + run, i - run);
    if (reserved) {
      out += '\\';
      out += c == '\n' ? 'n' : static_cast<char>(c);
      ++i;
    } else if (const size_t len = utf8SequenceLength(value.substr(i)); len > 0) {
      out.append(value.data() + i, len);
      i += len;
    } else {
      out.append(kReplacement);
      ++i;
    }
    run = i;
  }
  out.append(value.data() + run, value.size() - run);
}

}  // namespace

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  appendClean<true>(out, value);
}

std::string sanitizeUtf8(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  appendClean<false>(out, value);
  return out;
}

char* formatValue(char* at, double value) {
  if (std::isnan(value)) return std::copy_n("NaN", 3, at);
  if (std::isinf(value)) return std::copy_n(value > 0 ? "+Inf" : "-Inf", 4, at);
  return std::to_chars(at, at + kMaxValueChars, value).ptr;
}

char* formatValue(char* at, int64_t value) {
  return std::to_chars(at, at + kMaxValueChars, value).ptr;
}

void appendValue(std::string& out, double value) {
  char buf[kMaxValueChars];
  out.append(buf, formatValue(buf, value));
}

void appendValue(std::string& out, int64_t value) {
  char buf[kMaxValueChars];
  out.append(buf, formatValue(buf, value));
}

void appendFamilyHeader(std::string& out, const FamilyDescriptor& family) {
  out += "# HELP ";
  out.append(family.name);
  out += ' ';
  // Help texts are our own constants, but escape them anyway: a backslash or a newline in one
  // would corrupt the exposition.
  for (char c : family.help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "\n# TYPE ";
  out.append(family.name);
  out += ' ';
  out.append(toString(family.type));
  out += '\n';
}

}  // namespace certvigil::exporters
