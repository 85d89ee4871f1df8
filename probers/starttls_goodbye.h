// SPDX-License-Identifier: Apache-2.0
// probers/starttls_goodbye.h (internal to the TLS prober): how a STARTTLS probe takes its leave
// inside TLS, as the protocol's own clients do, so that the server logs no lost connection per
// probe: SMTP, POP3 and FTP QUIT, IMAP LOGOUT, an LDAP unbind, XMPP a closed stream. PostgreSQL
// has no goodbye before its startup message; there the TLS close_notify is the clean end (the
// server then logs nothing, where a reset made it log "could not receive data from client").
// A server that refuses to start TLS gets the same goodbye in the clear. Pure.
#pragma once

#include <string>
#include <string_view>

#include "config/config.h"

namespace certvigil::probers {

/// What to send, and how to tell that the server has answered.
struct StartTlsGoodbye {
  std::string bytes;        ///< sent inside TLS; empty: nothing to say
  std::string marker;       ///< the answer is complete once this and then a line end arrived
  bool line = true;         ///< false: the marker alone completes it (XMPP's closing tag)
  bool wait_close = false;  ///< no answer comes: wait for the server to close (LDAP unbind)
};

/// The goodbye of `protocol` inside TLS (`domain`: the XMPP stream's 'to').
StartTlsGoodbye startTlsGoodbye(config::StartTls protocol, const std::string& domain);
/// The goodbye of `protocol` in the clear, after the server refused to start TLS: the plain
/// session is still open, and leaving it without a word is what servers log as a lost
/// connection (postfix "lost connection after STARTTLS"). XMPP closes the stream it opened.
StartTlsGoodbye startTlsRefusalGoodbye(config::StartTls protocol);
/// Whether `answer` completes `goodbye`'s answer.
bool goodbyeAnswered(const StartTlsGoodbye& goodbye, std::string_view answer);

}  // namespace certvigil::probers
