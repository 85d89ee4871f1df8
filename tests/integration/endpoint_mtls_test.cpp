// SPDX-License-Identifier: Apache-2.0
// mTLS end to end against real servers on 127.0.0.1: nginx (which completes the handshake and
// answers HTTP 400) and `openssl s_server -Verify 1 -verify_return_error` (which sends an
// alert) over TLS 1.2 and TLS 1.3. For every way a client certificate is refused, the same
// Monitor `certvigil check` and the daemon use must name the right cause, and `diagnose` must
// blame the server side with a fix; a good client certificate must be silent.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <set>

#include "cli/diagnosis.h"
#include "probers/endpoint_prober.h"
#include "scheduler/monitor.h"
#include "tests/support/tls_servers.h"

namespace certvigil {
namespace {

using testing::pki;

struct ClientCase {
  const char* name;
  const char* cert;  ///< presented chain (leaf first)
  const char* key;
  std::optional<RejectCause> cause;  ///< nullopt: accepted
};

const ClientCase kClients[] = {
    {"good fullchain", "leaf-client-fullchain.pem", "leaf-client.key", std::nullopt},
    {"wrong CA (ends at its root)", "leaf-other-client-fullchain-root.pem", "leaf-other-client.key",
     RejectCause::UnknownCa},
    {"expired", "leaf-expired-fullchain.pem", "leaf-expired.key", RejectCause::Expired},
    {"no clientAuth", "leaf-client-wrong-eku-fullchain.pem", "leaf-client-wrong-eku.key",
     RejectCause::UnsupportedPurpose},
    {"leaf only", "leaf-client.crt", "leaf-client.key", RejectCause::IncompleteChain},
};

struct Probe {
  std::vector<TargetResultPtr> targets;
  const TargetResult* server = nullptr;
  const TargetResult* client = nullptr;
};

Probe probe(int port, const ClientCase* client, config::MtlsMode mtls) {
  config::Config cfg;
  cfg.trust.system = false;
  cfg.trust.ca_files = {pki("ec-root.crt")};
  cfg.timeout = Seconds{5};
  config::EndpointConfig e;
  e.address = "127.0.0.1:" + std::to_string(port);
  e.servername = "localhost";
  e.mtls = mtls;
  if (client != nullptr) {
    e.client_cert = pki(client->cert);
    e.client_key = pki(client->key);
  }
  cfg.endpoints.push_back(e);
  SystemClock clock;
  scheduler::Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(cfg).ok());
  monitor.scanAll();
  Probe p;
  p.targets = monitor.latest()->targets;
  const std::string name = scheduler::endpointTargetName(e);
  for (const auto& t : p.targets) {
    if (t->observation.target == name) p.server = t.get();
    if (t->observation.target == probers::clientTargetName(name)) p.client = t.get();
  }
  INFO("targets: " << [&] {
    std::string all;
    for (const auto& t : p.targets) all += t->observation.target + " ";
    return all;
  }());
  REQUIRE(p.server != nullptr);
  return p;
}

std::set<std::string> codes(const TargetResult& r) {
  std::set<std::string> out;
  for (const Finding& f : r.findings) out.insert(std::string(toString(f.code)));
  return out;
}

void checkClientCase(const ClientCase& c, int port, const std::string& style) {
  CAPTURE(style);
  const std::string case_name = c.name;
  CAPTURE(case_name);
  const Probe p = probe(port, &c, config::MtlsMode::Required);
  REQUIRE(p.server->observation.endpoint != nullptr);
  const auto& facts = *p.server->observation.endpoint;
  INFO("server findings: " << [&] {
    std::string all;
    for (const auto& f : p.server->findings) all += f.message + " | ";
    return all;
  }());
  CHECK(facts.failure == ProbeFailureKind::None);
  CHECK(facts.client->certificate_requested);
  REQUIRE_FALSE(facts.client->acceptable_ca_names.empty());
  CHECK(facts.client->acceptable_ca_names.front() == "CN=certvigil EC Root,O=certvigil test");
  REQUIRE(p.server->observation.certificates.size() == 2);  // leaf + intermediate, as sent

  const cli::Diagnosis d = cli::diagnose(*p.server, p.client, SystemClock().now());
  if (!c.cause) {
    CHECK(codes(*p.server).empty());
    CHECK(d.verdict.rejecting_side == "none");
    return;
  }
  CHECK(codes(*p.server) == std::set<std::string>{"client_cert_rejected"});
  const Finding& f = p.server->findings.front();
  REQUIRE(f.cause.has_value());
  CHECK(toString(*f.cause) == toString(*c.cause));
  CHECK_FALSE(f.remedy.empty());
  CHECK(d.verdict.rejecting_side == "server");
  CHECK(d.verdict.cause == toString(*c.cause));
  CHECK(d.verdict.fix == f.remedy);
}

TEST_CASE("every rejection cause against openssl s_server (alerts), TLS 1.2 and 1.3") {
  for (const char* version : {"-tls1_2", "-tls1_3"}) {
    testing::SServerOptions o;
    o.cert = pki("leaf-server.crt");
    o.key = pki("leaf-server.key");
    o.chain = pki("ec-int.crt");
    o.ca_file = pki("ec-root.crt");
    o.require_client_cert = true;
    o.version_flag = version;
    testing::OpensslServer server(o);
    for (const ClientCase& c : kClients) checkClientCase(c, server.port(), version);
  }
}

TEST_CASE("every rejection cause against nginx (HTTP 400 instead of an alert)") {
  testing::NginxOptions o;
  o.cert = pki("leaf-server-fullchain.pem");
  o.key = pki("leaf-server.key");
  o.verify_client = "on";
  o.client_ca = pki("ec-root.crt");
  testing::NginxServer server(o);
  for (const ClientCase& c : kClients) checkClientCase(c, server.port(), "nginx");
}

TEST_CASE("mTLS not enforced, not requested, and an anonymous client refused") {
  testing::NginxOptions o;
  o.cert = pki("leaf-server-fullchain.pem");
  o.key = pki("leaf-server.key");
  o.client_ca = pki("ec-root.crt");
  SUBCASE("ssl_verify_client optional serves a client without a certificate") {
    o.verify_client = "optional";
    testing::NginxServer server(o);
    const Probe p = probe(server.port(), &kClients[0], config::MtlsMode::Required);
    CHECK(codes(*p.server) == std::set<std::string>{"client_cert_not_enforced"});
    const Probe optional = probe(server.port(), &kClients[0], config::MtlsMode::Optional);
    CHECK(codes(*optional.server).empty());
  }
  SUBCASE("ssl_verify_client off: no CertificateRequest") {
    o.verify_client = "off";
    testing::NginxServer server(o);
    const Probe p = probe(server.port(), &kClients[0], config::MtlsMode::Required);
    CHECK(codes(*p.server) == std::set<std::string>{"client_cert_not_requested"});
    const cli::Diagnosis d = cli::diagnose(*p.server, p.client, SystemClock().now());
    CHECK(d.verdict.cause == "client_cert_not_requested");
  }
  SUBCASE("ssl_verify_client on, no client certificate configured: enforced, silent") {
    o.verify_client = "on";
    testing::NginxServer server(o);
    const Probe p = probe(server.port(), nullptr, config::MtlsMode::Required);
    CHECK(codes(*p.server).empty());
    CHECK(p.server->observation.endpoint->client->answer.http_status == 400);
  }
}

TEST_CASE("the client certificate is a target of its own, judged in the client role") {
  testing::NginxOptions o;
  o.cert = pki("leaf-server-fullchain.pem");
  o.key = pki("leaf-server.key");
  o.verify_client = "on";
  o.client_ca = pki("ec-root.crt");
  testing::NginxServer server(o);
  const ClientCase expired{"expired", "leaf-expired-fullchain.pem", "leaf-expired.key",
                           RejectCause::Expired};
  const Probe p = probe(server.port(), &expired, config::MtlsMode::Required);
  REQUIRE(p.client != nullptr);
  CHECK(p.client->observation.role == Role::Client);
  CHECK(codes(*p.client).count("expired") == 1);
  const ClientCase wrong_eku = kClients[3];
  const Probe q = probe(server.port(), &wrong_eku, config::MtlsMode::Required);
  REQUIRE(q.client != nullptr);
  CHECK(codes(*q.client).count("eku_client_auth_missing") == 1);
}

}  // namespace
}  // namespace certvigil
