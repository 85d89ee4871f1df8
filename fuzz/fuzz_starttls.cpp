// SPDX-License-Identifier: Apache-2.0
// fuzz/fuzz_starttls.cpp: the STARTTLS dialogues (probers/starttls.h) and LDAP's BER
// (probers/starttls_ber.h). The BER readers are pure and get the bytes directly. The dialogues
// read from a socket, so the server's side is played from the fuzzer's bytes through a
// socketpair: the first byte picks the protocol, the rest is everything the "server" says,
// then it half-closes. What certvigil sends goes unread into the pair's buffer.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_input.h"
#include "probers/starttls.h"
#include "probers/starttls_ber.h"

namespace probers = certvigil::probers;
using certvigil::config::StartTls;

namespace {

constexpr StartTls kProtocols[] = {StartTls::Smtp, StartTls::Imap, StartTls::Pop3,
                                   StartTls::Ftp,  StartTls::Ldap, StartTls::Postgres,
                                   StartTls::Xmpp};

void berOnly(std::string_view bytes) {
  const size_t size = probers::berMessageSize(bytes);
  const probers::LdapResult result = probers::parseLdapExtendedResponse(bytes.substr(0, size));
  if (!result.parsed && result.code != -1) __builtin_trap();
}

asio::awaitable<void> negotiate(asio::ip::tcp::socket& socket, StartTls protocol) {
  const certvigil::Status status =
      co_await probers::negotiateStartTls(socket, protocol, "xmpp.example");
  if (!status) (void)status.error().describe();
}

// Plays `server_words` to one dialogue of `protocol`.
void dialogue(StartTls protocol, std::string_view server_words) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) __builtin_trap();
  fcntl(fds[1], F_SETFL, O_NONBLOCK);  // what does not fit is cut: the dialogue stops earlier
  const ssize_t written = write(fds[1], server_words.data(), server_words.size());
  (void)written;
  shutdown(fds[1], SHUT_WR);
  {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.assign(asio::ip::tcp::v4(), fds[0]);  // asio reads and writes any stream socket
    asio::co_spawn(io, negotiate(socket, protocol), asio::detached);
    io.run();
  }
  close(fds[1]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input = certvigil::fuzz::asText(data, size);
  const unsigned char selector = certvigil::fuzz::takeSelector(input);
  berOnly(input);
  dialogue(kProtocols[selector % std::size(kProtocols)], input);
  return 0;
}
