// SPDX-License-Identifier: Apache-2.0
// What a TLS server presents, collected from openssl s_server: the chain as sent, the version,
// the cipher, a stapled OCSP response; by IP literal (v4 and v6) and by name.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/tls_servers.h"
#include "tests/unit/probers_tls/probe_helpers.h"

namespace certvigil::probers {
namespace {

using testing::OpensslServer;
using testing::pki;
using testing::SServerOptions;

SServerOptions serverWithIntermediate(const std::string& version_flag) {
  SServerOptions options;
  options.cert = pki("leaf-server.crt");
  options.key = pki("leaf-server.key");
  options.chain = pki("ec-int.crt");
  options.version_flag = version_flag;
  return options;
}

void checkChainCollected(const TlsProbeOutcome& outcome) {
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.stage == ProbeStage::Done);
  CHECK(outcome.detail.empty());
  REQUIRE(outcome.presented_der.size() == 2);
  CHECK(*outcome.presented_der[0] == test::derOfPki("leaf-server.crt"));
  CHECK(*outcome.presented_der[1] == test::derOfPki("ec-int.crt"));
  CHECK_FALSE(outcome.presented_truncated);
  CHECK_FALSE(outcome.certificate_requested);
  CHECK_FALSE(outcome.alert);
  CHECK(outcome.ocsp_response.empty());
}

TEST_CASE("the chain as sent, the version and the cipher are collected") {
  SUBCASE("TLS 1.2") {
    OpensslServer server(serverWithIntermediate("-tls1_2"));
    const TlsProbeOutcome outcome = test::probeOne(test::localRequest(server.port()));
    checkChainCollected(outcome);
    CHECK(outcome.tls_version == "TLSv1.2");
    CHECK(outcome.cipher.find("ECDHE-ECDSA") == 0);
    CHECK(outcome.address == "127.0.0.1");
  }
  SUBCASE("TLS 1.3, without waiting after the handshake when nothing was requested") {
    OpensslServer server(serverWithIntermediate("-tls1_3"));
    const TlsProbeOutcome outcome = test::probeOne(test::localRequest(server.port()));
    checkChainCollected(outcome);
    CHECK(outcome.tls_version == "TLSv1.3");
    CHECK(outcome.cipher.find("TLS_") == 0);
    CHECK(outcome.duration_seconds < 0.5);
  }
}

TEST_CASE("a stapled OCSP response is kept as DER") {
  testing::TempDir dir;
  const std::string try_later("\x30\x03\x0a\x01\x03", 5);  // OCSPResponse { tryLater }
  SServerOptions options = serverWithIntermediate("");
  options.status_file = testing::writeFile(dir / "ocsp.der", try_later);
  OpensslServer server(options);
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(server.port()));
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.ocsp_response == try_later);
}

TEST_CASE("an IPv6 literal is probed without SNI") {
  SServerOptions options = serverWithIntermediate("");
  options.ipv6 = true;
  OpensslServer server(options);
  TlsProbeRequest request = test::localRequest(server.port());
  request.host = "::1";
  request.servername = "::1";  // an IP literal: no SNI is sent, the handshake still works
  const TlsProbeOutcome outcome = test::probeOne(request);
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.address == "::1");
  CHECK(outcome.presented_der.size() == 2);
}

TEST_CASE("a name is resolved; all_addresses gives one outcome per address") {
  OpensslServer server(serverWithIntermediate(""));
  TlsProbeRequest request = test::localRequest(server.port());
  request.host = "localhost";
  request.all_addresses = true;
  TlsProber prober({.in_flight = 4});
  const auto results = prober.probeAll({request});
  REQUIRE(results.size() == 1);
  REQUIRE_FALSE(results[0].empty());
  bool reached_ipv4 = false;
  for (const TlsProbeOutcome& outcome : results[0]) {
    if (outcome.address == "127.0.0.1") {
      reached_ipv4 = true;
      CHECK(outcome.failure == ProbeFailure::None);
    } else {  // ::1, if localhost has it here: s_server listens on 127.0.0.1 only
      CHECK(outcome.failure == ProbeFailure::Connect);
    }
  }
  CHECK(reached_ipv4);
}

TEST_CASE("a loop keeps one copy of a certificate that many probes were presented") {
  OpensslServer server(serverWithIntermediate(""));
  TlsProber prober({.in_flight = 1});  // one event loop: one pool
  const std::vector<TlsProbeRequest> requests(6, test::localRequest(server.port()));
  const auto results = prober.probeAll(requests);
  REQUIRE(results.size() == 6);
  std::set<const std::string*> leaves;
  std::set<const std::string*> intermediates;
  for (const auto& outcomes : results) {
    REQUIRE(outcomes.size() == 1);
    checkChainCollected(outcomes[0]);
    leaves.insert(outcomes[0].presented_der[0].get());
    intermediates.insert(outcomes[0].presented_der[1].get());
  }
  CHECK(leaves.size() == 1);
  CHECK(intermediates.size() == 1);
  CHECK(*leaves.begin() != *intermediates.begin());
}

TEST_CASE("loops = 1 keeps a whole batch, however many are in flight, on the calling thread") {
  OpensslServer server(serverWithIntermediate(""));
  TlsProber prober({.in_flight = 8, .loops = 1});
  CHECK(prober.loops() == 1);
  const std::vector<TlsProbeRequest> requests(6, test::localRequest(server.port()));
  const auto results = prober.probeAll(requests);
  REQUIRE(results.size() == 6);
  std::set<const std::string*> leaves;  // one loop, one certificate pool: one copy
  for (const auto& outcomes : results) {
    REQUIRE(outcomes.size() == 1);
    REQUIRE_FALSE(outcomes[0].presented_der.empty());
    leaves.insert(outcomes[0].presented_der[0].get());
  }
  CHECK(leaves.size() == 1);
}

TEST_CASE("by default a prober runs one event loop per CPU, at most four and at most in_flight") {
  const std::size_t cpus = std::max(1U, std::thread::hardware_concurrency());
  CHECK(TlsProber({.in_flight = 64}).loops() == std::min<std::size_t>(cpus, 4));
  CHECK(TlsProber({.in_flight = 1}).loops() == 1);
  CHECK(TlsProber({.in_flight = 64, .loops = 2}).loops() == 2);
}

TEST_CASE("a 100-certificate chain is recorded in full") {
  testing::TempDir dir;
  const testing::GeneratedChain chain = testing::generateChain(dir.path(), 100);
  SServerOptions options;
  options.cert = chain.leaf;
  options.key = chain.key;
  options.chain = chain.rest;
  OpensslServer server(options);
  const TlsProbeOutcome outcome = test::probeOne(test::localRequest(server.port()));
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.presented_der.size() == 100);
  std::vector<std::string> ders;
  for (const auto& der : outcome.presented_der) ders.push_back(*der);
  CHECK(ders == chain.ders);
  CHECK_FALSE(outcome.presented_truncated);
}

}  // namespace
}  // namespace certvigil::probers
