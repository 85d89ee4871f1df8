// SPDX-License-Identifier: Apache-2.0
// probers/starttls_goodbye.cpp: see the header. The answers are only waited for (within the
// probe's short goodbye grace) so that our close does not cut them off: they are not judged.
#include "probers/starttls_goodbye.h"

namespace certvigil::probers {
namespace {

// An XML attribute value: the characters that would end or break it are escaped.
std::string xmlAttribute(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'') {
      out += "&apos;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out += c;
    }
  }
  return out;
}

// LDAPMessage { messageID 2, unbindRequest [APPLICATION 2] NULL } (RFC 4511 §4.3).
const std::string kLdapUnbind("\x30\x05\x02\x01\x02\x42\x00", 7);

}  // namespace

StartTlsGoodbye startTlsGoodbye(config::StartTls protocol, const std::string& domain) {
  switch (protocol) {
    case config::StartTls::Smtp:
    case config::StartTls::Pop3:
    case config::StartTls::Ftp:
      return {"QUIT\r\n", "", true, false};
    case config::StartTls::Imap:
      return {"a9 LOGOUT\r\n", "a9 ", true, false};
    case config::StartTls::Ldap:
      return {kLdapUnbind, "", false, true};
    case config::StartTls::Xmpp:  // after STARTTLS the stream restarts: open it, then close it
      return {
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
          "xmlns:stream='http://etherx.jabber.org/streams' to='" +
              xmlAttribute(domain) + "' version='1.0'></stream:stream>",
          "</stream:stream>", false, false};
    case config::StartTls::Postgres:
    case config::StartTls::None:
      break;
  }
  return {};
}

StartTlsGoodbye startTlsRefusalGoodbye(config::StartTls protocol) {
  if (protocol == config::StartTls::Xmpp) {  // the stream is open in the clear: close it
    return {"</stream:stream>", "</stream:stream>", false, false};
  }
  return startTlsGoodbye(protocol, "");
}

bool goodbyeAnswered(const StartTlsGoodbye& goodbye, std::string_view answer) {
  if (goodbye.wait_close) return false;
  const std::size_t at = answer.find(goodbye.marker);
  if (at == std::string_view::npos) return false;
  return !goodbye.line || answer.find('\n', at) != std::string_view::npos;
}

}  // namespace certvigil::probers
