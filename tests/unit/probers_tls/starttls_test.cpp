// SPDX-License-Identifier: Apache-2.0
// STARTTLS: each protocol's plain-text dialogue against a real server, then the handshake; and
// a refusal becomes a StartTls failure quoting the server.
#include <doctest/doctest.h>

#include "config/config.h"
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
    CHECK(outcome.presented_der[0] == test::derOfPki("leaf-server.crt"));
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
