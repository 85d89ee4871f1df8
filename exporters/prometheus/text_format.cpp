// exporters/prometheus/text_format.cpp: escaping and number formatting for the text format.
// std::to_chars gives the shortest representation that parses back to the same double, with no
// locale and no allocation, which is what a renderer that writes ~10^6 values per scrape needs.
#include "exporters/prometheus/text_format.h"

#include <charconv>
#include <cmath>

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

// Calls ascii(c) for each ASCII byte and other(bytes) for each valid multi-byte sequence or
// replacement character.
template <typename Ascii, typename Other>
void forEachUtf8(std::string_view value, Ascii ascii, Other other) {
  size_t i = 0;
  while (i < value.size()) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      ascii(static_cast<char>(c));
      ++i;
      continue;
    }
    const size_t len = utf8SequenceLength(value.substr(i));
    if (len == 0) {
      other(kReplacement);
      ++i;
    } else {
      other(value.substr(i, len));
      i += len;
    }
  }
}

template <typename T>
void appendChars(std::string& out, T value) {
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

}  // namespace

void appendEscapedLabelValue(std::string& out, std::string_view value) {
  forEachUtf8(
      value,
      [&out](char c) {
        switch (c) {
          case '\\':
            out += "\\\\";
            break;
          case '"':
            out += "\\\"";
            break;
          case '\n':
            out += "\\n";
            break;
          default:
            out += c;
        }
      },
      [&out](std::string_view bytes) { out.append(bytes); });
}

std::string sanitizeUtf8(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  forEachUtf8(
      value, [&out](char c) { out += c; }, [&out](std::string_view bytes) { out.append(bytes); });
  return out;
}

void appendLabel(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) out += ',';
  out.append(name);
  out += "=\"";
  appendEscapedLabelValue(out, value);
  out += '"';
}

void appendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    appendChars(out, value);
  }
}

void appendValue(std::string& out, int64_t value) { appendChars(out, value); }

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
