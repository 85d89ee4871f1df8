// SPDX-License-Identifier: Apache-2.0
// probers/starttls.h (internal to the TLS prober): the plain-text dialogues that ask a server to
// start TLS on a connection it opened in the clear (SMTP, IMAP, POP3, FTP, LDAP, PostgreSQL,
// XMPP). Every read is bounded in size; time is bounded by the probe's deadline, which closes
// the socket under the dialogue.
#pragma once

#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "config/config.h"
#include "core/result.h"

namespace certvigil::probers {

/// The longest line, and the most bytes in all, a dialogue reads before giving up.
inline constexpr std::size_t kStartTlsLineMax = 4096;
inline constexpr std::size_t kStartTlsTotalMax = std::size_t{64} * 1024;

/// Runs the dialogue of `protocol` (not None) on a connected socket. Ok when the server agreed
/// and the next byte on the socket belongs to the TLS handshake; otherwise an Error whose
/// message quotes the server ("the server refused STARTTLS: 454 TLS not available"). A socket
/// error (including the deadline closing the socket) is an Error too; the caller tells them
/// apart. `servername` names the XMPP domain.
asio::awaitable<Status> negotiateStartTls(asio::ip::tcp::socket& socket, config::StartTls protocol,
                                          const std::string& servername);

}  // namespace certvigil::probers
