// SPDX-License-Identifier: Apache-2.0
// exporters/http/listen_address.h: the `listen:` setting ("host:port", "[v6addr]:port").
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace certvigil::exporters {

/// The default of the `listen:` key (docs/CONFIGURATION.md).
inline constexpr std::string_view kDefaultListen = "127.0.0.1:9879";

/// Where the HTTP listener binds. Port 0 asks the kernel for an ephemeral port.
struct ListenAddress {
  std::string host;  ///< an IPv4/IPv6 literal or a name; brackets removed
  int port = 0;

  /// "host:port", with brackets around an IPv6 literal.
  std::string toString() const;
};

/// Parses "host:port" or "[v6addr]:port"; the host is required and the port is 0..65535.
Result<ListenAddress> parseListenAddress(std::string_view text);

}  // namespace certvigil::exporters
