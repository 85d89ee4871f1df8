// SPDX-License-Identifier: Apache-2.0
// Servers that do not behave: each ends as data in the outcome, within the deadline, without
// leaking file descriptors; and at most `concurrency` probes are in flight.
#include <doctest/doctest.h>

#include <chrono>

#include "tests/support/tls_servers.h"
#include "tests/unit/probers_tls/probe_helpers.h"

namespace certvigil::probers {
namespace {

using namespace std::chrono_literals;

constexpr double kMargin = 0.5;  // seconds a deadline may be overrun by scheduling

TEST_CASE("a tarpit that accepts and never speaks times out in the handshake") {
  testing::Tarpit tarpit;
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(tarpit.port(), 1000ms));
  CHECK(outcome.failure == ProbeFailure::Timeout);
  CHECK(outcome.stage == ProbeStage::Handshake);
  CHECK(outcome.detail == "no answer within 1 s during the TLS handshake");
  CHECK(outcome.duration_seconds >= 0.99);
  CHECK(outcome.duration_seconds < 1.0 + kMargin);
}

TEST_CASE("a closed port fails to connect") {
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(testing::unusedPort()));
  CHECK(outcome.failure == ProbeFailure::Connect);
  CHECK(outcome.stage == ProbeStage::Connect);
  CHECK(outcome.detail == "connection refused");
  CHECK(outcome.address == "127.0.0.1");
}

TEST_CASE("an unknown name fails to resolve; a bad port is refused") {
  TlsProbeRequest request = test::localRequest(443);
  request.host = "no-such-host.invalid";
  TlsProbeOutcome outcome = test::probeOne(request);
  CHECK(outcome.failure == ProbeFailure::Resolve);
  CHECK(outcome.stage == ProbeStage::Resolve);
  CHECK(outcome.detail == "no such host");
  CHECK(outcome.address.empty());

  outcome = test::probeOne(test::localRequest(0));
  CHECK(outcome.failure == ProbeFailure::Resolve);
  CHECK(outcome.detail == "invalid port 0");
}

TEST_CASE("a plain HTTP server fails the handshake with a readable detail") {
  testing::ScriptServer http = testing::hostileServer("http");
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(http.port()));
  CHECK(outcome.failure == ProbeFailure::Handshake);
  CHECK(outcome.stage == ProbeStage::Handshake);
  CHECK(outcome.detail == "the server does not speak TLS (it answered like HTTP)");
  CHECK(outcome.presented_der.empty());
}

TEST_CASE("a server sending garbage fails the handshake") {
  testing::ScriptServer garbage = testing::hostileServer("garbage");
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(garbage.port()));
  CHECK(outcome.failure == ProbeFailure::Handshake);
  CHECK(outcome.detail.find("the server does not speak TLS (") == 0);
}

TEST_CASE("a server that hangs up on the ClientHello fails the handshake") {
  testing::ScriptServer closer = testing::hostileServer("close");
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(closer.port()));
  CHECK(outcome.failure == ProbeFailure::Handshake);
  CHECK(outcome.detail == "the server closed the connection without answering the ClientHello");
}

TEST_CASE("a server that resets the connection fails the handshake, and the process lives") {
  // OpenSSL writes to the socket itself (probers/tls_stream.h): a write after a reset must be an
  // error of the probe, never a SIGPIPE that ends the process.
  testing::ScriptServer resetter = testing::hostileServer("reset");
  TlsProbeOutcome outcome = test::probeOne(test::localRequest(resetter.port()));
  CHECK(outcome.failure == ProbeFailure::Handshake);
  CHECK(outcome.detail == "the server reset the connection during the handshake");
  testing::ScriptServer at_once = testing::hostileServer("reset-at-once");
  for (int i = 0; i < 20; ++i) {  // the reset races our connect and ClientHello
    outcome = test::probeOne(test::localRequest(at_once.port()));
    CHECK((outcome.failure == ProbeFailure::Connect || outcome.failure == ProbeFailure::Handshake));
    CHECK_FALSE(outcome.detail.empty());
  }
}

TEST_CASE("a server dripping one byte every 200 ms is cut off by the one deadline") {
  testing::ScriptServer drip = testing::hostileServer("drip");
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(drip.port(), 1000ms));
  CHECK(outcome.failure == ProbeFailure::Timeout);
  CHECK(outcome.stage == ProbeStage::Handshake);
  CHECK(outcome.duration_seconds < 1.0 + kMargin);
}

TEST_CASE("at most `concurrency` probes are in flight") {
  testing::Tarpit tarpit;
  std::vector<TlsProbeRequest> requests(10, test::localRequest(tarpit.port(), 1000ms));
  TlsProber prober({.in_flight = 5});
  const auto started = std::chrono::steady_clock::now();
  const auto results = prober.probeAll(requests);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  // Two waves of five: about 2 s; one wave (no bound) would be 1 s, one at a time 10 s.
  CHECK(elapsed.count() >= 1.95);
  CHECK(elapsed.count() < 2.0 + kMargin);
  REQUIRE(results.size() == 10);
  for (const auto& outcomes : results) {
    REQUIRE(outcomes.size() == 1);
    CHECK(outcomes[0].failure == ProbeFailure::Timeout);
  }
}

TEST_CASE("failing probes leak no file descriptors") {
  testing::Tarpit tarpit;
  testing::ScriptServer http = testing::hostileServer("http");
  testing::ScriptServer garbage = testing::hostileServer("garbage");
  std::vector<TlsProbeRequest> batch = {
      test::localRequest(testing::unusedPort()), test::localRequest(tarpit.port(), 300ms),
      test::localRequest(http.port()), test::localRequest(garbage.port())};
  const int before = testing::openFileDescriptors();
  {
    TlsProber prober({.in_flight = 4});
    for (int round = 0; round < 3; ++round) {
      const auto results = prober.probeAll(batch);
      for (const auto& outcomes : results) CHECK(outcomes.at(0).failure != ProbeFailure::None);
    }
  }
  CHECK(testing::openFileDescriptors() == before);
}

}  // namespace
}  // namespace certvigil::probers
