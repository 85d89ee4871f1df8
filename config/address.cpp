// SPDX-License-Identifier: Apache-2.0
// config/address.cpp: "host:port" and "[v6]:port" as endpoints and the listener are written.
// Purely lexical: no DNS, so a config can be checked on a machine that cannot resolve its names.
#include <arpa/inet.h>

#include <cctype>
#include <charconv>

#include "config/config.h"

namespace certvigil::config {
namespace {

std::optional<HostPort> failWith(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

/// True for an IPv6 literal, optionally with a zone ("fe80::1%eth0").
bool isIpv6(std::string_view text) {
  const std::string address(text.substr(0, text.find('%')));
  in6_addr parsed{};
  return inet_pton(AF_INET6, address.c_str(), &parsed) == 1;
}

/// A DNS name or IPv4 address: letters, digits, '-', '.', '_' (internal names use '_').
std::optional<char> badHostChar(std::string_view host) {
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') {
      return c;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<HostPort> parseHostPort(std::string_view text, bool allow_port_zero,
                                      std::string* why) {
  if (text.empty()) return failWith(why, "empty address (write host:port)");
  HostPort out;
  std::string_view port_text;
  if (text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return failWith(why, "missing ']' after IPv6 address");
    out.host = std::string(text.substr(1, close - 1));
    if (!isIpv6(out.host)) return failWith(why, "'" + out.host + "' is not an IPv6 address");
    if (close + 1 >= text.size() || text[close + 1] != ':') {
      return failWith(why, "missing :port after ']' (write [" + out.host + "]:443)");
    }
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return failWith(why, "missing :port (write host:port, e.g. " + std::string(text) + ":443)");
    }
    out.host = std::string(text.substr(0, colon));
    if (out.host.find(':') != std::string::npos) {
      return failWith(why, "an IPv6 address needs brackets: [" + out.host + "]:port");
    }
    if (out.host.empty()) return failWith(why, "missing host before ':'");
    if (auto c = badHostChar(out.host)) {
      return failWith(why, std::string("invalid character '") + *c + "' in host name");
    }
    port_text = text.substr(colon + 1);
  }
  const char* end = port_text.data() + port_text.size();
  const auto [ptr, ec] = std::from_chars(port_text.data(), end, out.port);
  const int min_port = allow_port_zero ? 0 : 1;
  if (port_text.empty() || ec != std::errc() || ptr != end || out.port < min_port ||
      out.port > 65535) {
    return failWith(why, "port must be a number from " + std::to_string(min_port) +
                             " to 65535, got '" + std::string(port_text) + "'");
  }
  return out;
}

}  // namespace certvigil::config
