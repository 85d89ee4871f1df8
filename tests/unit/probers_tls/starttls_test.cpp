// SPDX-License-Identifier: Apache-2.0
// STARTTLS: each protocol's plain-text dialogue against a real server, then the handshake; and
// a refusal becomes a StartTls failure quoting the server.
#include <doctest/doctest.h>

#include <fstream>
#include <string_view>
#include <thread>

#include "config/config.h"
#include "probers/starttls_xmpp.h"
#include "tests/support/tls_servers.h"
#include "tests/unit/probers_tls/probe_helpers.h"

namespace certvigil::probers {
namespace {

struct Dialogue {
  const char* name;
  const char* refusal;  ///< what the detail quotes when the server refuses
};

constexpr Dialogue kDialogues[] = {
    {"smtp", "454 4.7.0 TLS not available"},
    {"imap", "a1 BAD STARTTLS unavailable"},
    {"pop3", "-ERR not now"},
    {"ftp", "534 TLS not available"},
    {"ldap", "StartTLS disabled"},
    {"postgres", "does not accept TLS"},
    {"xmpp", "<failure"},
};

TlsProbeRequest startTlsRequest(const Dialogue& dialogue, int port) {
  TlsProbeRequest request = test::localRequest(port);
  request.starttls = *config::startTlsFromString(dialogue.name);
  return request;
}

TEST_CASE("every STARTTLS dialogue leads to the handshake") {
  for (const Dialogue& dialogue : kDialogues) {
    CAPTURE(dialogue.name);
    testing::ScriptServer server = testing::startTlsServer(dialogue.name);
    const TlsProbeOutcome outcome = test::probeOne(startTlsRequest(dialogue, server.port()));
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.stage == ProbeStage::Done);
    CHECK(outcome.detail == "");
    REQUIRE(outcome.presented_der.size() == 2);
    CHECK(*outcome.presented_der[0] == test::derOfPki("leaf-server.crt"));
  }
}

// What starttls_server.py recorded: one line per connection, "<said inside TLS> | clean".
std::string recorded(const std::filesystem::path& file) {
  for (int i = 0; i < 50; ++i) {  // the server writes once the connection has ended
    std::ifstream in(file);
    std::string line;
    if (std::getline(in, line)) return line;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "(nothing recorded)";
}

TEST_CASE("every STARTTLS probe says the protocol's goodbye, then close_notify") {
  // As recorded: escaped the way Python's unicode_escape spells bytes.
  const std::pair<const char*, const char*> goodbyes[] = {
      {"smtp", R"(QUIT\r\n | clean)"},
      {"imap", R"(a9 LOGOUT\r\n | clean)"},
      {"pop3", R"(QUIT\r\n | clean)"},
      {"ftp", R"(QUIT\r\n | clean)"},
      {"ldap", R"(0\x05\x02\x01\x02B\x00 | clean)"},
      {"postgres", " | clean"},
      {"xmpp", "version='1.0'></stream:stream> | clean"},
  };

  for (const auto& goodbye : goodbyes) {  // no structured binding: clang 14 cannot capture one
    const char* protocol = goodbye.first;
    const std::string_view said = goodbye.second;
    CAPTURE(protocol);
    testing::TempDir dir;
    testing::ScriptServer server = testing::startTlsServer(protocol, false, dir / "said");
    TlsProbeRequest request = test::localRequest(server.port());
    request.starttls = *config::startTlsFromString(protocol);
    const TlsProbeOutcome outcome = test::probeOne(request);
    CHECK(outcome.failure == ProbeFailure::None);
    const std::string line = recorded(dir / "said");
    CHECK(line.size() >= said.size());
    CHECK(line.substr(line.size() - std::min(line.size(), said.size())) == said);
  }
}

TEST_CASE("a refused STARTTLS is a StartTls failure in the server's words") {
  for (const Dialogue& dialogue : kDialogues) {
    CAPTURE(dialogue.name);
    testing::ScriptServer server = testing::startTlsServer(dialogue.name, true);
    const TlsProbeOutcome outcome = test::probeOne(startTlsRequest(dialogue, server.port()));
    CHECK(outcome.failure == ProbeFailure::StartTls);
    CHECK(outcome.stage == ProbeStage::StartTls);
    CHECK(outcome.detail.find(dialogue.refusal) != std::string::npos);
    CHECK(outcome.presented_der.empty());
  }
}

TEST_CASE("a refused STARTTLS still says the protocol's goodbye, in the clear") {
  // Leaving without a word after a refusal is what postfix logs as "lost connection after
  // STARTTLS"; PostgreSQL's "N" leaves nothing to say before a startup message.
  const std::pair<const char*, const char*> goodbyes[] = {
      {"smtp", R"(QUIT\r\n | plain)"},
      {"imap", R"(a9 LOGOUT\r\n | plain)"},
      {"pop3", R"(QUIT\r\n | plain)"},
      {"ftp", R"(QUIT\r\n | plain)"},
      {"ldap", R"(0\x05\x02\x01\x02B\x00 | plain)"},
      {"postgres", " | plain"},
      {"xmpp", "</stream:stream> | plain"},
  };
  for (const auto& goodbye : goodbyes) {  // no structured binding: clang 14 cannot capture one
    const char* protocol = goodbye.first;
    const std::string_view said = goodbye.second;
    CAPTURE(protocol);
    testing::TempDir dir;
    testing::ScriptServer server = testing::startTlsServer(protocol, true, dir / "said");
    TlsProbeRequest request = test::localRequest(server.port());
    request.starttls = *config::startTlsFromString(protocol);
    const TlsProbeOutcome outcome = test::probeOne(request);
    CHECK(outcome.failure == ProbeFailure::StartTls);
    CHECK(recorded(dir / "said") == said);
  }
}

TEST_CASE("an XMPP stream error is reported by its condition, not the stream header") {
  testing::ScriptServer server = testing::startTlsServer("xmpp-unknown-host");
  TlsProbeRequest request = startTlsRequest(kDialogues[6], server.port());
  const TlsProbeOutcome outcome = test::probeOne(request);
  CHECK(outcome.failure == ProbeFailure::StartTls);
  CHECK(outcome.detail ==
        "the XMPP server refused the stream: host-unknown (\"This server does not serve "
        "localhost\"): it does not serve the domain '" +
            request.servername + "' (the servername, sent as the stream's 'to')");
  CHECK(outcome.detail.find("stream:stream") == std::string::npos);
}

TEST_CASE("parseXmppStreamError: the condition, its text and a redirect's target") {
  const auto unknown = parseXmppStreamError(
      "<stream:stream><stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
      "</stream:error>");
  REQUIRE(unknown.has_value());
  CHECK(unknown->condition == "host-unknown");
  CHECK(unknown->text.empty());
  const auto other = parseXmppStreamError(
      "<stream:error><see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>"
      "xmpp2.example:5222</see-other-host><text xml:lang='en'>moved\x01</text></stream:error>");
  REQUIRE(other.has_value());
  CHECK(other->condition == "see-other-host");
  CHECK(other->content == "xmpp2.example:5222");
  CHECK(other->text == "moved ");
  CHECK(describeXmppStreamError(*other, "chat.example") ==
        "the XMPP server refused the stream: see-other-host (\"moved \"): it sends clients of "
        "'chat.example' to xmpp2.example:5222");
  CHECK_FALSE(parseXmppStreamError("<stream:features/>").has_value());
  CHECK_FALSE(hasCompleteXmppStreamError("<stream:error><host-unknown/>"));
  CHECK(hasCompleteXmppStreamError("<stream:error><host-unknown/></stream:error>"));
}

TEST_CASE("a STARTTLS server that never speaks times out in the STARTTLS stage") {
  testing::Tarpit tarpit;
  TlsProbeRequest request = startTlsRequest(kDialogues[0], tarpit.port());
  request.timeout = std::chrono::milliseconds(500);
  const TlsProbeOutcome outcome = test::probeOne(request);
  CHECK(outcome.failure == ProbeFailure::Timeout);
  CHECK(outcome.stage == ProbeStage::StartTls);
  CHECK(outcome.detail == "no answer within 500 ms during the STARTTLS dialogue");
}

}  // namespace
}  // namespace certvigil::probers
