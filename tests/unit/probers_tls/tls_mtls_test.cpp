// SPDX-License-Identifier: Apache-2.0
// mTLS facts from openssl s_server: the CertificateRequest and its CA names, the certificate we
// present, and the alert a rejection brings (during the handshake in TLS 1.2, after it in 1.3).
#include <doctest/doctest.h>

#include "tests/support/tls_servers.h"
#include "tests/unit/probers_tls/probe_helpers.h"

namespace certvigil::probers {
namespace {

using testing::OpensslServer;
using testing::pki;
using testing::SServerOptions;

SServerOptions mtlsServer(const std::string& version_flag, const std::string& ca_file,
                          bool require) {
  SServerOptions options;
  options.cert = pki("leaf-server.crt");
  options.key = pki("leaf-server.key");
  options.chain = pki("ec-int.crt");
  options.ca_file = pki(ca_file);
  options.request_client_cert = !require;
  options.require_client_cert = require;
  options.version_flag = version_flag;
  return options;
}

TlsProbeOutcome probeWith(int port, std::shared_ptr<const ClientCredentials> client) {
  TlsProbeRequest request = test::localRequest(port);
  request.client = std::move(client);
  return test::probeOne(request);
}

TEST_CASE("a CertificateRequest and its acceptable CA names are recorded") {
  const std::vector<std::string> names = {test::subjectOfPki("ec-root.crt"),
                                          test::subjectOfPki("ec-int.crt")};
  for (const std::string version : {"-tls1_2", "-tls1_3"}) {
    CAPTURE(version);
    OpensslServer server(mtlsServer(version, "bundle-good.pem", false));
    const TlsProbeOutcome outcome =
        probeWith(server.port(), test::credentials("leaf-client-fullchain.pem", "leaf-client.key"));
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.stage == ProbeStage::Done);
    CHECK(outcome.certificate_requested);
    CHECK(outcome.acceptable_ca_names == names);
    CHECK(outcome.client_certificate_sent);
    CHECK_FALSE(outcome.alert);
    // TLS 1.3: the server's session ticket ends the wait for a verdict well before the grace.
    CHECK(outcome.duration_seconds < 0.8);
  }
}

TEST_CASE("a certificate requested but none configured: nothing is sent") {
  OpensslServer server(mtlsServer("-tls1_3", "ec-root.crt", false));
  const TlsProbeOutcome outcome = probeWith(server.port(), nullptr);
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.certificate_requested);
  CHECK(outcome.acceptable_ca_names == std::vector<std::string>{test::subjectOfPki("ec-root.crt")});
  CHECK_FALSE(outcome.client_certificate_sent);
  CHECK_FALSE(outcome.alert);
}

TEST_CASE("a client certificate from the wrong CA is refused with alert 48 (unknown CA)") {
  auto wrong_ca = test::credentials("leaf-other-client-fullchain.pem", "leaf-other-client.key");
  SUBCASE("TLS 1.2: during the handshake") {
    OpensslServer server(mtlsServer("-tls1_2", "ec-root.crt", true));
    const TlsProbeOutcome outcome = probeWith(server.port(), wrong_ca);
    CHECK(outcome.failure == ProbeFailure::Handshake);
    CHECK(outcome.stage == ProbeStage::Handshake);
    REQUIRE(outcome.alert);
    CHECK(outcome.alert->description == 48);
    CHECK(outcome.alert->text == "unknown CA");
    CHECK_FALSE(outcome.alert->after_handshake);
    CHECK(outcome.detail == "the server sent alert 48 (unknown CA)");
    CHECK(outcome.client_certificate_sent);
    CHECK(outcome.presented_der.size() == 2);  // collected before the rejection
  }
  SUBCASE("TLS 1.3: after our side finished, still captured") {
    OpensslServer server(mtlsServer("-tls1_3", "ec-root.crt", true));
    const TlsProbeOutcome outcome = probeWith(server.port(), wrong_ca);
    CHECK(outcome.failure == ProbeFailure::None);
    CHECK(outcome.stage == ProbeStage::Done);
    REQUIRE(outcome.alert);
    CHECK(outcome.alert->description == 48);
    CHECK(outcome.alert->after_handshake);
    CHECK(outcome.client_certificate_sent);
    CHECK(outcome.tls_version == "TLSv1.3");
    CHECK(outcome.duration_seconds < 0.8);  // the alert ended the wait
  }
}

TEST_CASE("a required client certificate that is missing brings an alert") {
  SUBCASE("TLS 1.2: handshake failure (40) during the handshake") {
    OpensslServer server(mtlsServer("-tls1_2", "ec-root.crt", true));
    const TlsProbeOutcome outcome = probeWith(server.port(), nullptr);
    CHECK(outcome.failure == ProbeFailure::Handshake);
    REQUIRE(outcome.alert);
    CHECK(outcome.alert->description == 40);
    CHECK_FALSE(outcome.alert->after_handshake);
    CHECK(outcome.certificate_requested);
    CHECK_FALSE(outcome.client_certificate_sent);
  }
  SUBCASE("TLS 1.3: certificate required (116) after the handshake") {
    OpensslServer server(mtlsServer("-tls1_3", "ec-root.crt", true));
    const TlsProbeOutcome outcome = probeWith(server.port(), nullptr);
    CHECK(outcome.failure == ProbeFailure::None);
    REQUIRE(outcome.alert);
    CHECK(outcome.alert->description == 116);
    CHECK(outcome.alert->text == "certificate required");
    CHECK(outcome.alert->after_handshake);
    CHECK_FALSE(outcome.client_certificate_sent);
  }
}

TEST_CASE("credentials that do not fit together are not presented, and the probe goes on") {
  OpensslServer server(mtlsServer("-tls1_3", "ec-root.crt", false));
  const TlsProbeOutcome outcome =
      probeWith(server.port(), test::credentials("leaf-client.crt", "leaf-server.key"));
  CHECK(outcome.failure == ProbeFailure::None);
  CHECK(outcome.detail.find("client credentials not presented") == 0);
  CHECK_FALSE(outcome.client_certificate_sent);
  CHECK(outcome.presented_der.size() == 2);
}

}  // namespace
}  // namespace certvigil::probers
