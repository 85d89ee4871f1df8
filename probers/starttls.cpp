// SPDX-License-Identifier: Apache-2.0
#include "probers/starttls.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string_view>

#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "probers/starttls_ber.h"
#include "probers/starttls_xmpp.h"

namespace certvigil::probers {
namespace {

using asio::awaitable;
using asio::ip::tcp;

constexpr std::size_t kQuoteMax = 160;  // how much of the server's words a detail quotes
constexpr int kReplyLinesMax = 200;     // lines of one multi-line SMTP/FTP reply

// One line of the server's words for a message: printable ASCII only, bounded.
std::string quote(std::string_view words) {
  std::string text;
  for (const char c : words) {
    if (text.size() >= kQuoteMax) break;
    const auto u = static_cast<unsigned char>(c);
    text += (u >= 0x20 && u < 0x7f) ? c : ' ';
  }
  return text;
}

Error refused(std::string_view what, std::string_view words) {
  return makeError(ErrorCode::Unsupported, std::string(what) + ": \"" + quote(words) + "\"");
}

// A numbered reply (SMTP, FTP): its code and its lines joined by spaces.
struct Reply {
  int code = 0;
  std::string text;
};

// The plain-text side of a STARTTLS connection: bounded reads into one buffer.
class PlainDialogue {
 public:
  explicit PlainDialogue(tcp::socket& socket) : socket_(socket) {}

  awaitable<Status> send(std::string_view bytes) {
    asio::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return brokenConnection(ec);
    co_return Ok{};
  }

  /// Reads until `done(buffer)` holds.
  awaitable<Status> readUntil(const std::function<bool(std::string_view)>& done) {
    while (!done(buffer_)) {
      if (Status more = co_await fill(); !more) co_return more.error();
    }
    co_return Ok{};
  }

  /// One line without its CRLF (or LF).
  awaitable<Result<std::string>> readLine() {
    auto has_line = [](std::string_view b) {
      return b.find('\n') != std::string_view::npos || b.size() > kStartTlsLineMax;
    };
    if (Status read = co_await readUntil(has_line); !read) co_return read.error();
    const std::size_t end = buffer_.find('\n');
    if (end == std::string::npos) co_return makeError(ErrorCode::Parse, "a line too long");
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    co_return line;
  }

  /// A numbered reply, following "250-" continuation lines to the final "250 " line.
  awaitable<Result<Reply>> readReply() {
    Reply reply;
    for (int lines = 0; lines < kReplyLinesMax; ++lines) {
      Result<std::string> line = co_await readLine();
      if (!line) co_return line.error();
      if (lines == 0) reply.code = codeOf(*line);
      reply.text += (lines == 0 ? "" : " ") + *line;
      const bool last = line->size() <= 3 || (*line)[3] != '-';
      if (last && codeOf(*line) == reply.code) co_return reply;
    }
    co_return makeError(ErrorCode::Parse, "a reply longer than 200 lines");
  }

  std::string& buffer() { return buffer_; }

 private:
  static int codeOf(std::string_view line) {
    if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3, [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return 0;
    }
    return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  }

  static Error brokenConnection(const asio::error_code& ec) {
    if (ec == asio::error::eof) {
      return makeError(ErrorCode::Io, "the server closed the connection during STARTTLS");
    }
    return makeError(ErrorCode::Io, "the connection broke during STARTTLS: " + ec.message());
  }

  awaitable<Status> fill() {
    if (total_ >= kStartTlsTotalMax) {
      co_return makeError(ErrorCode::Parse, "the server sent too much before starting TLS");
    }
    char chunk[2048];
    const std::size_t want = std::min(sizeof chunk, kStartTlsTotalMax - total_);
    asio::error_code ec;
    const std::size_t n = co_await socket_.async_read_some(
        asio::buffer(chunk, want), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return brokenConnection(ec);
    total_ += n;
    buffer_.append(chunk, n);
    co_return Ok{};
  }

  tcp::socket& socket_;
  std::string buffer_;
  std::size_t total_ = 0;
};

awaitable<Status> expectReply(PlainDialogue& d, int code, std::string_view what) {
  Result<Reply> reply = co_await d.readReply();
  if (!reply) co_return reply.error();
  if (reply->code != code) co_return refused(what, reply->text);
  co_return Ok{};
}

awaitable<Status> commandReply(PlainDialogue& d, std::string_view command, int code,
                               std::string_view what) {
  if (Status sent = co_await d.send(command); !sent) co_return sent;
  co_return co_await expectReply(d, code, what);
}

awaitable<Status> smtp(PlainDialogue& d) {
  if (Status s = co_await expectReply(d, 220, "unexpected SMTP greeting"); !s) co_return s;
  if (Status s = co_await commandReply(d, "EHLO certvigil.invalid\r\n", 250, "EHLO refused"); !s) {
    co_return s;
  }
  co_return co_await commandReply(d, "STARTTLS\r\n", 220, "the server refused STARTTLS");
}

awaitable<Status> ftp(PlainDialogue& d) {
  if (Status s = co_await expectReply(d, 220, "unexpected FTP greeting"); !s) co_return s;
  co_return co_await commandReply(d, "AUTH TLS\r\n", 234, "the server refused AUTH TLS");
}

// A line that must start with `prefix`.
awaitable<Status> expectLine(PlainDialogue& d, std::string_view prefix, std::string_view what) {
  Result<std::string> line = co_await d.readLine();
  if (!line) co_return line.error();
  if (!line->starts_with(prefix)) co_return refused(what, *line);
  co_return Ok{};
}

awaitable<Status> pop3(PlainDialogue& d) {
  if (Status s = co_await expectLine(d, "+OK", "unexpected POP3 greeting"); !s) co_return s;
  if (Status s = co_await d.send("STLS\r\n"); !s) co_return s;
  co_return co_await expectLine(d, "+OK", "the server refused STLS");
}

awaitable<Status> imap(PlainDialogue& d) {
  if (Status s = co_await expectLine(d, "* OK", "unexpected IMAP greeting"); !s) co_return s;
  if (Status s = co_await d.send("a1 STARTTLS\r\n"); !s) co_return s;
  for (int lines = 0; lines < kReplyLinesMax; ++lines) {  // skip untagged "* ..." lines
    Result<std::string> line = co_await d.readLine();
    if (!line) co_return line.error();
    if (line->starts_with("a1 ")) {
      if (line->starts_with("a1 OK")) co_return Ok{};
      co_return refused("the server refused STARTTLS", *line);
    }
  }
  co_return makeError(ErrorCode::Parse, "no answer to STARTTLS among 200 lines");
}

awaitable<Status> ldap(PlainDialogue& d) {
  if (Status s = co_await d.send(ldapStartTlsRequest()); !s) co_return s;
  std::size_t size = 0;
  auto whole_message = [&size](std::string_view b) {
    size = berMessageSize(b);
    return size != 0 && b.size() >= size;
  };
  if (Status s = co_await d.readUntil(whole_message); !s) co_return s;
  const LdapResult result = parseLdapExtendedResponse(std::string_view(d.buffer()).substr(0, size));
  if (!result.parsed)
    co_return makeError(ErrorCode::Parse, "the LDAP answer is not an ExtendedResponse");
  if (result.code == 0) co_return Ok{};
  co_return refused("the server refused StartTLS with LDAP result " + std::to_string(result.code),
                    result.message);
}

awaitable<Status> postgres(PlainDialogue& d) {
  static constexpr char kSslRequest[] = {0, 0, 0, 8, 0x04, static_cast<char>(0xd2), 0x16, 0x2f};
  if (Status s = co_await d.send(std::string_view(kSslRequest, sizeof kSslRequest)); !s) {
    co_return s;
  }
  if (Status s = co_await d.readUntil([](std::string_view b) { return !b.empty(); }); !s) {
    co_return s;
  }
  if (d.buffer()[0] == 'S') co_return Ok{};
  if (d.buffer()[0] == 'N') {
    co_return makeError(ErrorCode::Unsupported, "the PostgreSQL server does not accept TLS (N)");
  }
  co_return refused("unexpected answer to the PostgreSQL SSLRequest", d.buffer());
}

std::string xmlAttribute(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'')
      out += "&apos;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else
      out += c;
  }
  return out;
}

awaitable<Status> xmpp(PlainDialogue& d, const std::string& domain) {
  const std::string header =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
      "xmlns:stream='http://etherx.jabber.org/streams' to='" +
      xmlAttribute(domain) + "' version='1.0'>";
  if (Status s = co_await d.send(header); !s) co_return s;
  auto features_or_error = [](std::string_view b) {
    return b.find("features>") != b.npos || b.find("features/>") != b.npos ||
           hasCompleteXmppStreamError(b) || b.find("</stream:stream>") != b.npos;
  };
  if (Status s = co_await d.readUntil(features_or_error); !s) co_return s;
  if (const auto error = parseXmppStreamError(d.buffer())) {
    co_return makeError(ErrorCode::Unsupported, describeXmppStreamError(*error, domain));
  }
  if (d.buffer().find("<starttls") == std::string::npos) {
    co_return refused("the XMPP server does not offer STARTTLS", d.buffer());
  }
  d.buffer().clear();
  if (Status s = co_await d.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"); !s) {
    co_return s;
  }
  auto answered = [](std::string_view b) {  // the whole <proceed .../> element, or a refusal
    const std::size_t at = b.find("<proceed");
    return (at != b.npos && b.find('>', at) != b.npos) || b.find("<failure") != b.npos ||
           hasCompleteXmppStreamError(b) || b.find("</stream:stream>") != b.npos;
  };
  if (Status s = co_await d.readUntil(answered); !s) co_return s;
  if (d.buffer().find("<proceed") != std::string::npos) co_return Ok{};
  if (const auto error = parseXmppStreamError(d.buffer())) {
    co_return makeError(ErrorCode::Unsupported, describeXmppStreamError(*error, domain));
  }
  co_return refused("the XMPP server refused STARTTLS", d.buffer());
}

}  // namespace

awaitable<Status> negotiateStartTls(tcp::socket& socket, config::StartTls protocol,
                                    const std::string& servername) {
  PlainDialogue dialogue(socket);
  switch (protocol) {
    case config::StartTls::Smtp:
      co_return co_await smtp(dialogue);
    case config::StartTls::Imap:
      co_return co_await imap(dialogue);
    case config::StartTls::Pop3:
      co_return co_await pop3(dialogue);
    case config::StartTls::Ftp:
      co_return co_await ftp(dialogue);
    case config::StartTls::Ldap:
      co_return co_await ldap(dialogue);
    case config::StartTls::Postgres:
      co_return co_await postgres(dialogue);
    case config::StartTls::Xmpp:
      co_return co_await xmpp(dialogue, servername);
    case config::StartTls::None:
      break;
  }
  co_return Ok{};
}

}  // namespace certvigil::probers
