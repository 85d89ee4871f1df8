// SPDX-License-Identifier: Apache-2.0
// probers/starttls_xmpp.cpp: see the header. Not an XML parser: the element names of
// RFC 6120 §4.9.3 are found by their tags, which is all a refusal needs; text is bounded and
// reduced to printable ASCII before it reaches a message.
#include "probers/starttls_xmpp.h"

namespace certvigil::probers {
namespace {

constexpr std::size_t kTextMax = 160;

std::string printable(std::string_view words) {
  std::string text;
  for (const char c : words) {
    if (text.size() >= kTextMax) break;
    const auto u = static_cast<unsigned char>(c);
    text += (u >= 0x20 && u < 0x7f) ? c : ' ';
  }
  return text;
}

// The name of the element starting at `open` ("<host-unknown xmlns=.../>" -> "host-unknown").
std::string_view elementName(std::string_view xml, std::size_t open) {
  const std::size_t start = open + 1;
  const std::size_t end = xml.find_first_of(" \t\r\n/>", start);
  return end == std::string_view::npos ? std::string_view{} : xml.substr(start, end - start);
}

// The content of the element starting at `open`, or "" when it is empty or self-closing.
std::string_view elementContent(std::string_view xml, std::size_t open) {
  const std::size_t tag_end = xml.find('>', open);
  if (tag_end == std::string_view::npos || xml[tag_end - 1] == '/') return {};
  const std::size_t close = xml.find("</", tag_end);
  if (close == std::string_view::npos) return {};
  return xml.substr(tag_end + 1, close - tag_end - 1);
}

}  // namespace

bool hasCompleteXmppStreamError(std::string_view buffer) {
  const std::size_t at = buffer.find("<stream:error");
  if (at == std::string_view::npos) return false;
  return buffer.find("</stream:error>", at) != std::string_view::npos ||
         buffer.find("</stream:stream>", at) != std::string_view::npos;
}

std::optional<XmppStreamError> parseXmppStreamError(std::string_view buffer) {
  const std::size_t at = buffer.find("<stream:error");
  if (at == std::string_view::npos) return std::nullopt;
  const std::size_t end = buffer.find("</stream:error>", at);
  const std::string_view error =
      buffer.substr(at, end == std::string_view::npos ? buffer.npos : end - at);
  XmppStreamError out;
  for (std::size_t open = error.find('<', 1); open != std::string_view::npos;
       open = error.find('<', open + 1)) {
    if (error.substr(open, 2) == "</") continue;
    const std::string_view name = elementName(error, open);
    if (name == "text") {
      out.text = printable(elementContent(error, open));
    } else if (out.condition.empty() && !name.empty()) {
      out.condition = printable(name);
      out.content = printable(elementContent(error, open));
    }
  }
  if (out.condition.empty()) out.condition = "undefined-condition";
  return out;
}

std::string describeXmppStreamError(const XmppStreamError& error, const std::string& domain) {
  std::string text = "the XMPP server refused the stream: " + error.condition;
  if (!error.text.empty()) text += " (\"" + error.text + "\")";
  if (error.condition == "host-unknown") {
    text += ": it does not serve the domain '" + printable(domain) +
            "' (the servername, sent as the stream's 'to')";
  } else if (error.condition == "see-other-host" && !error.content.empty()) {
    text += ": it sends clients of '" + printable(domain) + "' to " + error.content;
  } else if (error.condition == "host-gone") {
    text += ": the domain '" + printable(domain) + "' is no longer served there";
  }
  return text;
}

}  // namespace certvigil::probers
