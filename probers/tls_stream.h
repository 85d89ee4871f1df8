// SPDX-License-Identifier: Apache-2.0
// probers/tls_stream.h (internal to the TLS prober): OpenSSL speaking straight to the probe's
// TCP socket, driven by Asio's readiness waits.
//
// Why not asio::ssl::stream: it runs OpenSSL over a memory BIO pair and copies every record
// through two 17 KiB buffers of its own plus the pair's two 17 KiB buffers, ~68 KiB per
// connection before OpenSSL's own. At 64 probes in flight that was ~4.3 MB of a `check` of
// 2,000 endpoints and of the daemon's sweep peak. Here OpenSSL reads and writes the socket
// itself (SSL_set_fd) and a probe waits for readability or writability when OpenSSL asks.
#pragma once

#include <cstddef>
#include <memory>
#include <system_error>

#include <openssl/ssl.h>
#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>

namespace certvigil::probers {

class TlsStream {
 public:
  /// Takes ownership of `ssl` (a client SSL object, see newProbeSsl).
  TlsStream(const asio::any_io_executor& executor, SSL* ssl);
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  /// The TCP socket: connect it (and speak a STARTTLS dialogue on it) before the handshake.
  /// Closing or cancelling it ends every pending and later operation with an error.
  asio::ip::tcp::socket& socket() { return socket_; }
  SSL* native_handle() { return ssl_.get(); }

  /// Errors as asio::ssl::stream reported them: OpenSSL's reason in Asio's SSL category, the
  /// system's errno (connection reset), asio::error::eof after the server's close_notify, and
  /// asio::ssl::error::stream_truncated when the connection ends without one.
  asio::awaitable<void> handshake(std::error_code& ec);
  asio::awaitable<std::size_t> readSome(asio::mutable_buffer buffer, std::error_code& ec);
  asio::awaitable<void> writeAll(asio::const_buffer buffer, std::error_code& ec);
  /// Sends our close_notify and reads the server's.
  asio::awaitable<void> shutdown(std::error_code& ec);

 private:
  struct SslFree {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
  };
  enum class Call { Handshake, Read, Write, Shutdown };

  /// Calls OpenSSL until it succeeds or fails, waiting on the socket whenever it wants to read
  /// or write. Returns OpenSSL's positive result, or 0 with `ec` set.
  asio::awaitable<int> drive(Call call, void* data, int length, std::error_code& ec);
  int perform(Call call, void* data, int length);
  bool attach(std::error_code& ec);

  asio::ip::tcp::socket socket_;
  std::unique_ptr<SSL, SslFree> ssl_;
  bool attached_ = false;
};

}  // namespace certvigil::probers
