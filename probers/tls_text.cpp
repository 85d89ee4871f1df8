// SPDX-License-Identifier: Apache-2.0
#include "probers/tls_text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <iterator>
#include <string>
#include <vector>

namespace certvigil::probers {
namespace {

constexpr std::string_view kHeaderEnd = "\r\n\r\n";

bool isPrintable(unsigned char c) { return c >= 0x20 && c < 0x7f; }

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::size_t> contentLength(std::string_view headers) {
  std::string lower(headers);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const std::size_t at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return std::nullopt;
  std::string_view value = trimmed(headers.substr(at + 17, headers.find("\r\n", at + 2) - at - 17));
  std::size_t length = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return length;
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
void truncateUtf8(std::string& text, std::size_t max) {
  if (text.size() <= max) return;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
}

// The length of the character reference ("&amp;", "&#39;") that starts `text`, or 0.
std::size_t entityLength(std::string_view text) {
  if (text.empty() || text[0] != '&') return 0;
  for (std::size_t i = 1; i < text.size() && i < 10; ++i) {
    if (text[i] == ';') return i > 1 ? i + 1 : 0;
    if (std::isalnum(static_cast<unsigned char>(text[i])) == 0 && text[i] != '#') return 0;
  }
  return 0;
}

// The few entities error pages use; any other reads as a space.
char entity(std::string_view name) {
  if (name == "&amp;") return '&';
  if (name == "&lt;") return '<';
  if (name == "&gt;") return '>';
  if (name == "&quot;") return '"';
  if (name == "&#39;" || name == "&apos;") return '\'';
  return ' ';
}

struct Tag {
  std::string name;  ///< lower case, without '/'
  bool closing = false;
  std::size_t end = 0;  ///< the index of its '>' (or the end of the text)
};

// The tag that starts at `at` ('<').
Tag readTag(std::string_view text, std::size_t at) {
  Tag tag;
  std::size_t i = at + 1;
  if (i < text.size() && text[i] == '/') {
    tag.closing = true;
    ++i;
  }
  while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i])) != 0) {
    tag.name += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    ++i;
  }
  const std::size_t end = text.find('>', i);
  tag.end = end == std::string_view::npos ? text.size() : end;
  return tag;
}

bool isHidden(std::string_view name) { return name == "script" || name == "style"; }

// Tags inside a line of text: they separate words, not blocks.
bool isInline(std::string_view name) {
  static constexpr std::string_view kInline[] = {"a",    "b",    "i",    "em",    "strong",
                                                 "span", "code", "u",    "small", "big",
                                                 "tt",   "font", "abbr", "sub",   "sup"};
  return std::find(std::begin(kInline), std::end(kInline), name) != std::end(kInline);
}

}  // namespace

std::string httpRequest(std::string_view host) {
  std::string request = "GET / HTTP/1.1\r\nHost: ";
  const bool ipv6 = host.find(':') != std::string_view::npos;
  request += ipv6 ? "[" + std::string(host) + "]" : std::string(host);
  request += "\r\nUser-Agent: certvigil\r\nConnection: close\r\n\r\n";
  return request;
}

bool httpAnswerComplete(std::string_view raw) {
  if (raw.size() >= kHttpAnswerCap) return true;
  const std::size_t end = raw.find(kHeaderEnd);
  if (end == std::string_view::npos) return false;
  const std::size_t body = raw.size() - end - kHeaderEnd.size();
  const std::size_t wanted =
      std::min(kHttpBodyWanted, contentLength(raw.substr(0, end + 2)).value_or(kHttpBodyWanted));
  return body >= wanted;
}

HttpAnswer parseHttpAnswer(std::string_view raw) {
  HttpAnswer answer;
  if (!raw.starts_with("HTTP/")) return answer;
  const std::size_t space = raw.find(' ');
  int status = 0;
  if (space == std::string_view::npos || raw.size() < space + 4) return answer;
  const char* digits = raw.data() + space + 1;
  const auto [end, ec] = std::from_chars(digits, digits + 3, status);
  if (ec != std::errc() || end != digits + 3 || status < 100 || status > 599) return answer;
  answer.status = status;
  const std::size_t headers_end = raw.find(kHeaderEnd);
  if (headers_end != std::string_view::npos) {
    std::string_view body = raw.substr(headers_end + kHeaderEnd.size());
    answer.excerpt = plainExcerpt(body.substr(0, kHttpBodyWanted));
  }
  return answer;
}

// An error page says its words in the <title>, a heading and a paragraph (nginx: "400 The SSL
// certificate error", "400 Bad Request", "The SSL certificate error"): the excerpt keeps the
// body's text once. The head (title, style) is skipped when there is a body, script and style
// always, and a block of text already said is not said again.
std::string plainExcerpt(std::string_view body, std::size_t max) {
  const bool has_body = body.find("<body") != std::string_view::npos;
  std::vector<std::string> said;
  std::string text;
  std::string block;
  bool pending_space = false;
  auto flush = [&] {
    if (!block.empty() && std::find(said.begin(), said.end(), block) == said.end()) {
      text += (text.empty() ? "" : " ") + block;
      said.push_back(block);
    }
    block.clear();
    pending_space = false;
  };
  auto append = [&](char c) {
    if (pending_space && !block.empty()) block += ' ';
    pending_space = false;
    block += c;
  };
  for (std::size_t i = 0; i < body.size() && text.size() <= max; ++i) {
    const char c = body[i];
    if (c == '<') {
      const Tag tag = readTag(body, i);
      if (!tag.closing && (isHidden(tag.name) || (tag.name == "head" && has_body))) {
        const std::size_t close = body.find("</" + tag.name, tag.end);
        i = close == std::string_view::npos ? body.size() : body.find('>', close);
        if (i == std::string_view::npos) i = body.size();
        flush();
      } else if (isInline(tag.name)) {
        i = tag.end;
        pending_space = true;
      } else {
        i = tag.end;
        flush();
      }
    } else if (const std::size_t length = entityLength(body.substr(i)); length > 0) {
      const char decoded = entity(body.substr(i, length));
      if (decoded == ' ') {
        pending_space = true;
      } else {
        append(decoded);
      }
      i += length - 1;
    } else if (std::isspace(static_cast<unsigned char>(c)) != 0 ||
               static_cast<unsigned char>(c) < 0x20) {
      pending_space = true;
    } else {
      append(c);
    }
  }
  flush();
  truncateUtf8(text, max);
  return text;
}

bool looksLikeTlsRecord(std::string_view header) {
  if (header.size() < 3) return false;
  const auto type = static_cast<unsigned char>(header[0]);
  return type >= 20 && type <= 24 && header[1] == 3;
}

std::string notTlsDetail(std::string_view first_bytes, std::string_view reason) {
  const std::string prefix = "the server does not speak TLS";
  if (first_bytes.starts_with("HTTP/") || first_bytes.starts_with("<")) {
    return prefix + " (it answered like HTTP)";
  }
  const bool printable =
      !first_bytes.empty() && std::all_of(first_bytes.begin(), first_bytes.end(), [](char c) {
        return isPrintable(static_cast<unsigned char>(c));
      });
  if (printable) {
    return prefix + " (it answered in plain text: \"" + std::string(first_bytes) + "\")";
  }
  return prefix + " (" + std::string(reason.empty() ? "not a TLS record" : reason) + ")";
}

}  // namespace certvigil::probers
