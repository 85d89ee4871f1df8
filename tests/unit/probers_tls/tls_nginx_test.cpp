// SPDX-License-Identifier: Apache-2.0
// nginx completes the handshake and answers HTTP 400 to a missing or rejected client
// certificate: the prober's GET after the handshake reads that answer.
#include <doctest/doctest.h>

#include "tests/support/tls_servers.h"
#include "tests/unit/probers_tls/probe_helpers.h"

namespace certvigil::probers {
namespace {

using testing::NginxServer;
using testing::pki;

// nginx requiring a client certificate from ec-root, serving only its leaf.
testing::NginxOptions leafOnlyRequiringClients() {
  testing::NginxOptions options;
  options.cert = pki("leaf-server.crt");
  options.key = pki("leaf-server.key");
  options.verify_client = "on";
  options.client_ca = pki("ec-root.crt");
  return options;
}

TlsProbeOutcome httpProbe(int port, std::shared_ptr<const ClientCredentials> client) {
  TlsProbeRequest request = test::localRequest(port);
  request.http_request = true;
  request.client = std::move(client);
  return test::probeOne(request);
}

TEST_CASE("nginx with ssl_verify_client on") {
  NginxServer nginx(leafOnlyRequiringClients());
  SUBCASE("no client certificate: 400 'No required SSL certificate was sent'") {
    const TlsProbeOutcome outcome = httpProbe(nginx.port(), nullptr);
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.stage == ProbeStage::Done);
    REQUIRE(outcome.presented_der.size() == 1);  // it sends only its leaf
    CHECK(*outcome.presented_der[0] == test::derOfPki("leaf-server.crt"));
    CHECK(outcome.certificate_requested);
    CHECK(outcome.acceptable_ca_names ==
          std::vector<std::string>{test::subjectOfPki("ec-root.crt")});
    CHECK_FALSE(outcome.client_certificate_sent);
    CHECK_FALSE(outcome.alert);
    CHECK(outcome.http_status == 400);
    CHECK(outcome.http_excerpt.find("No required SSL certificate was sent") != std::string::npos);
  }
  SUBCASE("a certificate from the wrong CA: 400 'The SSL certificate error'") {
    const TlsProbeOutcome outcome =
        httpProbe(nginx.port(),
                  test::credentials("leaf-other-client-fullchain.pem", "leaf-other-client.key"));
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.client_certificate_sent);
    CHECK(outcome.http_status == 400);
    CHECK(outcome.http_excerpt.find("The SSL certificate error") != std::string::npos);
  }
  SUBCASE("a trusted certificate: 200") {
    const TlsProbeOutcome outcome =
        httpProbe(nginx.port(), test::credentials("leaf-client-fullchain.pem", "leaf-client.key"));
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.client_certificate_sent);
    CHECK(outcome.http_status == 200);
    CHECK(outcome.http_excerpt == "hello");
  }
}

}  // namespace
}  // namespace certvigil::probers
