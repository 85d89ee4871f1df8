// SPDX-License-Identifier: Apache-2.0
// exporters/http/listen_address.cpp: parsing of the listen string, with errors that say which
// part is wrong.
#include "exporters/http/listen_address.h"

#include <charconv>

namespace certvigil::exporters {
namespace {

constexpr int kMaxPort = 65535;

Error listenError(std::string_view text, std::string message) {
  return makeError(ErrorCode::Config, std::move(message), "listen '" + std::string(text) + "'");
}

}  // namespace

std::string ListenAddress::toString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parseListenAddress(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return listenError(text, "expected host:port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return listenError(text, "an IPv6 address must be written in brackets: [::1]:9879");
  }
  if (host.empty()) return listenError(text, "the host is missing (e.g. 127.0.0.1:9879)");
  int port = -1;
  const auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || parsed.ec != std::errc() ||
      parsed.ptr != port_text.data() + port_text.size() || port < 0 || port > kMaxPort) {
    return listenError(text, "the port must be a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), port};
}

}  // namespace certvigil::exporters
