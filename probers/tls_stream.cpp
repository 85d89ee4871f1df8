// SPDX-License-Identifier: Apache-2.0
#include "probers/tls_stream.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>

#include <openssl/err.h>
#include <asio/redirect_error.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>

namespace certvigil::probers {
namespace {

// OpenSSL writes to the socket with write(2): a server that has reset the connection must give
// us EPIPE (a failed probe), not SIGPIPE (the end of the process). Asio's own sends use
// MSG_NOSIGNAL; the daemon and the CLI install no SIGPIPE handler of their own.
void ignoreBrokenPipes() {
  static const bool ignored = [] { return std::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignored;
}

// The error of a failed OpenSSL call, as asio::ssl::stream maps it.
std::error_code errorOf(int ssl_error, int saved_errno) {
  switch (ssl_error) {
    case SSL_ERROR_ZERO_RETURN:
      return asio::error::eof;
    case SSL_ERROR_SYSCALL:
      // Asio's own category for errno values, so that asio::error::connection_reset matches.
      if (saved_errno != 0) return {saved_errno, asio::error::get_system_category()};
      if (const unsigned long e = ERR_get_error(); e != 0) {
        return {static_cast<int>(e), asio::error::get_ssl_category()};
      }
      return asio::ssl::error::stream_truncated;
    case SSL_ERROR_SSL:
      return {static_cast<int>(ERR_get_error()), asio::error::get_ssl_category()};
    default:
      return asio::ssl::error::unexpected_result;
  }
}

}  // namespace

TlsStream::TlsStream(const asio::any_io_executor& executor, SSL* ssl)
    : socket_(executor), ssl_(ssl) {
  ignoreBrokenPipes();
}

bool TlsStream::attach(std::error_code& ec) {
  if (attached_) return true;
  socket_.non_blocking(true, ec);
  if (ec) return false;
  if (SSL_set_fd(ssl_.get(), static_cast<int>(socket_.native_handle())) != 1) {
    ec = {static_cast<int>(ERR_get_error()), asio::error::get_ssl_category()};
    return false;
  }
  attached_ = true;
  return true;
}

int TlsStream::perform(Call call, void* data, int length) {
  switch (call) {
    case Call::Handshake:
      return SSL_connect(ssl_.get());
    case Call::Read:
      return SSL_read(ssl_.get(), data, length);
    case Call::Write:
      return SSL_write(ssl_.get(), data, length);
    case Call::Shutdown:
      // 0: our close_notify is sent and the server's not yet read; calling again reads it.
      if (const int sent = SSL_shutdown(ssl_.get()); sent != 0) return sent;
      return SSL_shutdown(ssl_.get());
  }
  return -1;
}

asio::awaitable<int> TlsStream::drive(Call call, void* data, int length, std::error_code& ec) {
  ec.clear();
  if (!attach(ec)) co_return 0;
  for (;;) {
    // A socket the deadline closed may already carry another connection's descriptor number:
    // OpenSSL must not touch it again.
    if (!socket_.is_open()) {
      ec = asio::error::operation_aborted;
      co_return 0;
    }
    ERR_clear_error();
    errno = 0;
    const int result = perform(call, data, length);
    const int saved_errno = errno;
    if (result > 0) co_return result;
    const int ssl_error = SSL_get_error(ssl_.get(), result);
    if (ssl_error != SSL_ERROR_WANT_READ && ssl_error != SSL_ERROR_WANT_WRITE) {
      ec = errorOf(ssl_error, saved_errno);
      co_return 0;
    }
    const auto wait = ssl_error == SSL_ERROR_WANT_READ ? asio::ip::tcp::socket::wait_read
                                                       : asio::ip::tcp::socket::wait_write;
    co_await socket_.async_wait(wait, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return 0;
  }
}

asio::awaitable<void> TlsStream::handshake(std::error_code& ec) {
  co_await drive(Call::Handshake, nullptr, 0, ec);
}

asio::awaitable<std::size_t> TlsStream::readSome(asio::mutable_buffer buffer, std::error_code& ec) {
  const int length = static_cast<int>(std::min<std::size_t>(buffer.size(), INT_MAX));
  const int n = co_await drive(Call::Read, buffer.data(), length, ec);
  co_return static_cast<std::size_t>(n);
}

asio::awaitable<void> TlsStream::writeAll(asio::const_buffer buffer, std::error_code& ec) {
  // SSL_write without partial writes returns only when all of it is written; a retry after
  // WANT_WRITE must pass the same buffer, which drive() does.
  if (buffer.size() == 0) co_return;
  const int length = static_cast<int>(std::min<std::size_t>(buffer.size(), INT_MAX));
  co_await drive(Call::Write, const_cast<void*>(buffer.data()), length, ec);
}

asio::awaitable<void> TlsStream::shutdown(std::error_code& ec) {
  co_await drive(Call::Shutdown, nullptr, 0, ec);
}

}  // namespace certvigil::probers
