// SPDX-License-Identifier: Apache-2.0
#include "probers/tls_session.h"

#include <algorithm>

#include <openssl/err.h>
#include <asio/redirect_error.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "probers/starttls.h"
#include "probers/starttls_goodbye.h"
#include "probers/tls_text.h"
#include "x509/openssl_util.h"

namespace certvigil::probers {
namespace {

using asio::awaitable;
using asio::ip::tcp;

std::string lowerFirst(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// OpenSSL's reason ("wrong version number") or the system's words ("connection reset by peer").
std::string reasonOf(const std::error_code& ec) {
  if (ec.category() == asio::error::get_ssl_category()) {
    if (const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) {
      return reason;
    }
  }
  if (ec.category() == std::system_category()) return x509::errnoText(ec.value());
  return lowerFirst(ec.message());
}

std::string describeAlert(const TlsAlert& alert) {
  return "the server sent alert " + std::to_string(alert.description) + " (" + alert.text + ")";
}

std::string describeHandshakeError(const std::error_code& ec, const HandshakeFacts& facts) {
  if (facts.alert) return describeAlert(*facts.alert);
  if (!facts.first_bytes.empty() && !looksLikeTlsRecord(facts.first_bytes)) {
    return notTlsDetail(facts.first_bytes, reasonOf(ec));
  }
  const std::string reason = reasonOf(ec);
  if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated ||
      reason == "unexpected eof while reading") {
    return facts.first_bytes.empty()
               ? "the server closed the connection without answering the ClientHello"
               : "the server closed the connection during the handshake";
  }
  if (ec == asio::error::connection_reset) {
    return "the server reset the connection during the handshake";
  }
  return reason;
}

std::string_view stageWords(ProbeStage stage) {
  switch (stage) {
    case ProbeStage::Resolve:
      return "while resolving the name";
    case ProbeStage::Connect:
      return "while connecting";
    case ProbeStage::StartTls:
      return "during the STARTTLS dialogue";
    case ProbeStage::Handshake:
      return "during the TLS handshake";
    case ProbeStage::AfterHandshake:
      return "while reading after the handshake";
    case ProbeStage::Done:
      break;
  }
  return "";
}

// Writing and reading the same way on the plain socket and inside TLS.
awaitable<void> writeAll(tcp::socket& socket, asio::const_buffer data, std::error_code& ec) {
  co_await asio::async_write(socket, data, asio::redirect_error(asio::use_awaitable, ec));
}
awaitable<std::size_t> readSome(tcp::socket& socket, asio::mutable_buffer data,
                                std::error_code& ec) {
  co_return co_await socket.async_read_some(data, asio::redirect_error(asio::use_awaitable, ec));
}
awaitable<void> writeAll(TlsStream& stream, asio::const_buffer data, std::error_code& ec) {
  co_await stream.writeAll(data, ec);
}
awaitable<std::size_t> readSome(TlsStream& stream, asio::mutable_buffer data, std::error_code& ec) {
  co_return co_await stream.readSome(data, ec);
}

// Sends `goodbye` on `stream` (the plain socket or the TLS stream) and reads the server's answer,
// so that closing does not cut it off (unread data makes our close a reset). Bounded by the
// caller's grace alarm, which cancels the socket; nothing of the answer is judged.
template <typename Stream>
awaitable<void> exchangeGoodbye(Stream& stream, const StartTlsGoodbye& goodbye) {
  if (goodbye.bytes.empty()) co_return;
  std::error_code ec;
  co_await writeAll(stream, asio::buffer(goodbye.bytes), ec);
  std::string answer;
  char chunk[1024];
  while (!ec && answer.size() < kStartTlsLineMax && !goodbyeAnswered(goodbye, answer)) {
    const std::size_t n = co_await readSome(stream, asio::buffer(chunk, sizeof chunk), ec);
    answer.append(chunk, n);
  }
}

}  // namespace

std::string timeoutDetail(ProbeStage stage, std::chrono::milliseconds timeout) {
  const auto ms = timeout.count();
  const std::string amount =
      ms % 1000 == 0 ? std::to_string(ms / 1000) + " s" : std::to_string(ms) + " ms";
  return "no answer within " + amount + " " + std::string(stageWords(stage));
}

TlsSession::TlsSession(const asio::any_io_executor& executor, const TlsProbeRequest& request,
                       const TlsContextCache::Context& context, ProbeClock clock)
    : request_(request),
      ders_(context.ders),
      clock_(clock),
      deadline_(executor,
                [this] {
                  grace_.disarm();
                  std::error_code ignored;
                  if (stream_) stream_->socket().close(ignored);
                }),
      grace_(executor, [this] {
        std::error_code ignored;
        if (stream_) stream_->socket().cancel(ignored);
      }) {
  out_.detail = context.problem;
  if (context.ctx == nullptr) return;
  const std::string& servername = request.servername;
  if (SSL* ssl = newProbeSsl(context.ctx, servername, facts_)) stream_.emplace(executor, ssl);
}

awaitable<TlsProbeOutcome> TlsSession::run(const std::vector<tcp::endpoint>& candidates) {
  out_.stage = ProbeStage::Connect;
  if (!stream_) {
    fail(ProbeFailure::Handshake, "cannot create a TLS connection: " + x509::takeOpensslErrors());
    co_return finish();
  }
  deadline_.ringAt(clock_.deadline);
  // One step at a time: GCC 12 miscompiles co_await inside a short-circuit expression.
  bool going = co_await connect(candidates);
  if (going) going = co_await startTls();
  if (going) going = co_await handshake();
  if (going) {
    co_await afterHandshake();
    if (out_.failure == ProbeFailure::None) out_.stage = ProbeStage::Done;
    co_await sayGoodbye();
  }
  co_return finish();
}

awaitable<bool> TlsSession::connect(const std::vector<tcp::endpoint>& candidates) {
  tcp::socket& socket = stream_->socket();
  std::error_code ec = asio::error::host_not_found;
  for (const tcp::endpoint& endpoint : candidates) {
    if (deadline_.rang()) break;
    out_.address = endpoint.address().to_string();
    co_await socket.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);  // small dialogue messages, no Nagle delay
      co_return true;
    }
    std::error_code ignored;
    socket.close(ignored);
  }
  if (!failIfTimedOut()) fail(ProbeFailure::Connect, reasonOf(ec));
  co_return false;
}

awaitable<bool> TlsSession::startTls() {
  if (request_.starttls == config::StartTls::None) co_return true;
  out_.stage = ProbeStage::StartTls;
  Status upgraded =
      co_await negotiateStartTls(stream_->socket(), request_.starttls, startTlsDomain());
  if (upgraded) co_return true;
  if (failIfTimedOut()) co_return false;
  fail(ProbeFailure::StartTls, upgraded.error().message);
  // The server answered and refused (Unsupported): its session is open, so leave it politely.
  // A broken connection or an answer that is not the protocol gets no goodbye.
  if (upgraded.error().code == ErrorCode::Unsupported) co_await sayRefusalGoodbye();
  co_return false;
}

const std::string& TlsSession::startTlsDomain() const {
  return request_.servername.empty() ? request_.host : request_.servername;
}

awaitable<bool> TlsSession::handshake() {
  out_.stage = ProbeStage::Handshake;
  std::error_code ec;
  co_await stream_->handshake(ec);
  facts_.handshake_done = !ec;
  collectPresented(stream_->native_handle(), out_, *ders_);  // what was presented, even on failure
  ERR_clear_error();
  if (!ec) co_return true;
  if (!failIfTimedOut()) fail(ProbeFailure::Handshake, describeHandshakeError(ec, facts_));
  co_return false;
}

awaitable<void> TlsSession::afterHandshake() {
  // TLS 1.2 servers judge our certificate before their Finished: the verdict is known. TLS 1.3
  // servers judge it after ours, so it can only be read from the connection.
  const bool tls13 = SSL_version(stream_->native_handle()) >= TLS1_3_VERSION;
  const bool verdict_pending = tls13 && facts_.certificate_requested && !facts_.alert;
  if (!verdict_pending && !request_.http_request) co_return;
  out_.stage = ProbeStage::AfterHandshake;
  if (request_.http_request) {
    co_await exchangeHttp();
  } else {
    co_await awaitVerdict();
  }
  grace_.disarm();
  facts_.on_verdict = nullptr;
  ERR_clear_error();
}

// Reads until an alert, the end of the connection, a session ticket (the server accepted our
// certificate and Finished) or the grace window. Waiting for a verdict that never comes is our
// choice, not the server's fault: reaching the deadline here is not a timeout.
awaitable<void> TlsSession::awaitVerdict() {
  facts_.on_verdict = [this] { grace_.ringAt(SteadyClock::now()); };
  extendGrace();
  std::error_code ec;
  char discard[4096];
  while (!ec && !grace_.rang() && !deadline_.rang()) {
    co_await stream_->readSome(asio::buffer(discard), ec);
  }
}

// Sends "GET /" and reads the status line and the start of the body: nginx answers a missing
// or rejected client certificate with HTTP 400 instead of an alert.
awaitable<void> TlsSession::exchangeHttp() {
  const std::string request =
      httpRequest(request_.servername.empty() ? request_.host : request_.servername);
  std::error_code ec;
  co_await stream_->writeAll(asio::buffer(request), ec);
  std::string answer;
  char chunk[4096];
  extendGrace();
  while (!ec && !httpAnswerComplete(answer)) {
    const std::size_t want = std::min(sizeof chunk, kHttpAnswerCap - answer.size());
    const std::size_t n = co_await stream_->readSome(asio::buffer(chunk, want), ec);
    answer.append(chunk, n);
    if (n > 0) extendGrace();
  }
  HttpAnswer parsed = parseHttpAnswer(answer);
  out_.http_status = parsed.status;
  out_.http_excerpt = std::move(parsed.excerpt);
  if (!answer.empty() && !httpAnswerComplete(answer) && ec != asio::error::eof) failIfTimedOut();
}

// Ends the session the way the protocol's own clients do, so that the server sees a clean end
// and not a reset or an unexpected EOF (which some log for every probe): a STARTTLS protocol's
// goodbye inside TLS first (starttls_goodbye.h), then a close_notify. TlsStream::shutdown reads the
// server's close_notify; kGoodbyeGrace bounds the whole goodbye, and nothing of it is judged.
awaitable<void> TlsSession::sayGoodbye() {
  if (deadline_.rang()) co_return;
  grace_.ringAt(std::min(SteadyClock::now() + kGoodbyeGrace, clock_.deadline));
  if (request_.starttls != config::StartTls::None) co_await sayProtocolGoodbye();
  std::error_code ec;
  co_await stream_->shutdown(ec);
  grace_.disarm();
  ERR_clear_error();
}

// The protocol's goodbye inside TLS.
awaitable<void> TlsSession::sayProtocolGoodbye() {
  const StartTlsGoodbye goodbye = startTlsGoodbye(request_.starttls, startTlsDomain());
  co_await exchangeGoodbye(*stream_, goodbye);
}

// The protocol's goodbye in the clear, after the server refused to start TLS (postfix logs
// "lost connection after STARTTLS" for a client that leaves without QUIT), under the same grace.
awaitable<void> TlsSession::sayRefusalGoodbye() {
  if (deadline_.rang()) co_return;
  grace_.ringAt(std::min(SteadyClock::now() + kGoodbyeGrace, clock_.deadline));
  const StartTlsGoodbye goodbye = startTlsRefusalGoodbye(request_.starttls);
  co_await exchangeGoodbye(stream_->socket(), goodbye);
  grace_.disarm();
}

void TlsSession::extendGrace() {
  grace_.ringAt(std::min(SteadyClock::now() + kVerdictGrace, clock_.deadline));
}

void TlsSession::fail(ProbeFailure failure, std::string detail) {
  out_.failure = failure;
  out_.detail = std::move(detail);
}

bool TlsSession::failIfTimedOut() {
  if (!deadline_.rang()) return false;
  fail(ProbeFailure::Timeout, timeoutDetail(out_.stage, request_.timeout));
  return true;
}

TlsProbeOutcome TlsSession::finish() {
  deadline_.disarm();
  grace_.disarm();
  if (stream_) {
    std::error_code ignored;
    stream_->socket().close(ignored);
  }
  out_.certificate_requested = facts_.certificate_requested;
  out_.acceptable_ca_names = std::move(facts_.acceptable_ca_names);
  out_.client_certificate_sent = facts_.certificate_sent;
  out_.alert = facts_.alert;
  const std::chrono::duration<double> elapsed = SteadyClock::now() - clock_.started;
  out_.duration_seconds = elapsed.count();
  return std::move(out_);
}

}  // namespace certvigil::probers
