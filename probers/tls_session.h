// SPDX-License-Identifier: Apache-2.0
// probers/tls_session.h (internal to the TLS prober): one connection of a probe, from TCP connect
// through STARTTLS, the TLS handshake and the read after it, under the probe's one deadline.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include "probers/tls_alarm.h"
#include "probers/tls_context.h"
#include "probers/tls_probe.h"
#include "probers/tls_stream.h"

namespace certvigil::probers {

/// How long the read after the handshake waits for the server's verdict on our certificate
/// (TLS 1.3) or for the next bytes of an HTTP answer. A TLS 1.3 server rejects a client
/// certificate one round trip after our Finished; one second covers a distant server's round
/// trip and its chain verification. A server that accepts usually sends a NewSessionTicket,
/// which ends the wait at once, so the window is paid in full only by servers that neither
/// reject nor issue tickets.
inline constexpr std::chrono::milliseconds kVerdictGrace{1000};

/// How long a probe waits for the server's answer to its goodbye (a STARTTLS protocol's QUIT or
/// LOGOUT, then the close_notify). Most servers answer at once; the wait only keeps our socket
/// from being closed (and reset) while the answer is in flight.
inline constexpr std::chrono::milliseconds kGoodbyeGrace{500};

/// The time limits of one probe: when it began and when it must end.
struct ProbeClock {
  SteadyClock::time_point started;
  SteadyClock::time_point deadline;
};

/// "no answer within 10 s during the TLS handshake".
std::string timeoutDetail(ProbeStage stage, std::chrono::milliseconds timeout);

/// One connection attempt sequence and its TLS session. Lives in the coroutine frame of the
/// probe (it is neither copied nor moved), so OpenSSL's callbacks can point into it.
class TlsSession {
 public:
  TlsSession(const asio::any_io_executor& executor, const TlsProbeRequest& request,
             const TlsContextCache::Context& context, ProbeClock clock);
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  /// Connects to the first of `candidates` that accepts (one outcome; the last address tried
  /// on failure), then upgrades, handshakes and reads. Never throws for what the network does.
  asio::awaitable<TlsProbeOutcome> run(const std::vector<asio::ip::tcp::endpoint>& candidates);

 private:
  asio::awaitable<bool> connect(const std::vector<asio::ip::tcp::endpoint>& candidates);
  asio::awaitable<bool> startTls();
  asio::awaitable<bool> handshake();
  asio::awaitable<void> afterHandshake();
  asio::awaitable<void> awaitVerdict();
  asio::awaitable<void> exchangeHttp();
  asio::awaitable<void> sayGoodbye();
  asio::awaitable<void> sayProtocolGoodbye();
  asio::awaitable<void> sayRefusalGoodbye();
  /// The name a STARTTLS dialogue speaks to (the XMPP stream's 'to'): the servername, else the
  /// host dialled.
  const std::string& startTlsDomain() const;

  void fail(ProbeFailure failure, std::string detail);
  bool failIfTimedOut();  ///< records a Timeout at the current stage if the deadline rang
  void extendGrace();
  TlsProbeOutcome finish();

  const TlsProbeRequest& request_;
  DerPool* ders_;  ///< the loop's, for what the server presents
  ProbeClock clock_;
  HandshakeFacts facts_;
  std::optional<TlsStream> stream_;  ///< empty only if OpenSSL could not create the SSL object
  TlsProbeOutcome out_;
  Alarm deadline_;  ///< closes the socket: every pending and later operation fails
  Alarm grace_;     ///< cancels the read after the handshake
};

}  // namespace certvigil::probers
