// SPDX-License-Identifier: Apache-2.0
// probers/starttls_xmpp.h (internal to the TLS prober): reading an XMPP server's refusal. A
// server that will not talk to us answers the stream header with <stream:error> (RFC 6120
// §4.9): a defined condition element (host-unknown, see-other-host, ...) and an optional <text>.
// The condition is the cause a person needs; the raw stream header is not. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certvigil::probers {

/// A <stream:error>: its condition and, if given, its text (and a see-other-host's target).
struct XmppStreamError {
  std::string condition;  ///< "host-unknown", "see-other-host", ...
  std::string text;       ///< the <text> element's content, or ""
  std::string content;    ///< the condition element's content (see-other-host: the host)
};

/// Whether `buffer` holds a complete <stream:error> element (or the stream's end after one).
bool hasCompleteXmppStreamError(std::string_view buffer);
/// The <stream:error> in `buffer`, or nullopt when there is none.
std::optional<XmppStreamError> parseXmppStreamError(std::string_view buffer);
/// One line for a refused stream: the condition, its text, and what it means for `domain`
/// (the servername sent as the stream's 'to').
std::string describeXmppStreamError(const XmppStreamError& error, const std::string& domain);

}  // namespace certvigil::probers
