// SPDX-License-Identifier: Apache-2.0
// The server side of endpoints end to end against real servers on 127.0.0.1: what a server
// presents is judged by the same checks as files (collect first, judge second: an expired or
// untrusted certificate is still recorded), a valid alternative path raises nothing, and every
// hostile server ends in the right finding within its deadline.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "scheduler/monitor.h"
#include "tests/support/tls_servers.h"

namespace certvigil {
namespace {

using testing::pki;

std::set<std::string> codes(const TargetResult& r) {
  std::set<std::string> out;
  for (const Finding& f : r.findings) out.insert(std::string(toString(f.code)));
  return out;
}

struct Options {
  std::string servername = "localhost";
  config::StartTls starttls = config::StartTls::None;
  int timeout_seconds = 5;
  std::string host = "127.0.0.1";
};

TargetResultPtr probeOne(int port, const Options& o = {}) {
  config::Config cfg;
  cfg.trust.system = false;
  cfg.trust.ca_files = {pki("ec-root.crt")};
  cfg.timeout = Seconds{o.timeout_seconds};
  config::EndpointConfig e;
  e.address = o.host + ":" + std::to_string(port);
  e.servername = o.servername;
  e.starttls = o.starttls;
  cfg.endpoints.push_back(e);
  SystemClock clock;
  scheduler::Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(cfg).ok());
  monitor.scanAll();
  const auto targets = monitor.latest()->targets;
  REQUIRE(targets.size() == 1);
  return targets.front();
}

TargetResultPtr probeNginx(const std::string& cert, const std::string& key, const Options& o = {}) {
  testing::NginxOptions n;
  n.cert = pki(cert);
  n.key = pki(key);
  testing::NginxServer server(n);
  return probeOne(server.port(), o);
}

TEST_CASE("a healthy server: chain as sent, TLS facts, silent") {
  const auto r = probeNginx("leaf-server-fullchain.pem", "leaf-server.key");
  CHECK(codes(*r).empty());
  CHECK(r->observation.success);
  REQUIRE(r->observation.certificates.size() == 2);
  CHECK(r->observation.certificates[0].facts->common_name == "server.test");
  const EndpointFacts& e = *r->observation.endpoint;
  CHECK(e.tls_version == "TLSv1.3");
  CHECK_FALSE(e.cipher.empty());
  CHECK_FALSE(e.client->certificate_requested);
}

TEST_CASE("a needlessly sent root is not an alarm") {
  const auto r = probeNginx("leaf-server-fullchain-root.pem", "leaf-server.key");
  CHECK(r->observation.certificates.size() == 3);
  CHECK(codes(*r).empty());
}

TEST_CASE("server certificate problems are judged like files'") {
  SUBCASE("only the leaf is sent") {
    const auto r = probeNginx("leaf-server.crt", "leaf-server.key");
    CHECK(codes(*r) == std::set<std::string>{"chain_incomplete"});
  }
  SUBCASE("a name the certificate does not cover") {
    Options o;
    o.servername = "api.internal";
    const auto r = probeNginx("leaf-server-fullchain.pem", "leaf-server.key", o);
    CHECK(codes(*r) == std::set<std::string>{"hostname_mismatch"});
  }
  SUBCASE("an expired certificate is still collected and exported") {
    const auto r = probeNginx("leaf-expired-fullchain.pem", "leaf-expired.key");
    CHECK(codes(*r).count("expired") == 1);
    CHECK(r->observation.success);  // the probe ran: probe_success stays 1
    CHECK(r->observation.certificates.size() == 2);
  }
  SUBCASE("a self-signed certificate nobody trusts") {
    const auto r = probeNginx("leaf-selfsigned.crt", "leaf-selfsigned.key");
    CHECK(codes(*r).count("untrusted_root") == 1);
  }
  SUBCASE("a certificate without serverAuth") {
    const auto r = probeNginx("leaf-server-wrong-eku-fullchain.pem", "leaf-server-wrong-eku.key");
    CHECK(codes(*r).count("eku_server_auth_missing") == 1);
  }
}

TEST_CASE("hostile servers end in the right finding within the deadline") {
  using clock = std::chrono::steady_clock;
  struct Row {
    std::string mode;
    std::string code;
  };
  for (const Row& row : {Row{"http", "handshake_failed"}, Row{"garbage", "handshake_failed"},
                         Row{"drip", "timeout"}, Row{"close", "handshake_failed"}}) {
    CAPTURE(row.mode);
    testing::ScriptServer server = testing::hostileServer(row.mode);
    Options o;
    o.timeout_seconds = 2;
    const auto start = clock::now();
    const auto r = probeOne(server.port(), o);
    CHECK(std::chrono::duration<double>(clock::now() - start).count() < 3.5);
    CHECK(codes(*r) == std::set<std::string>{row.code});
    CHECK_FALSE(r->observation.success);
  }
  SUBCASE("a tarpit") {
    testing::Tarpit tarpit;
    Options o;
    o.timeout_seconds = 1;
    const auto start = clock::now();
    const auto r = probeOne(tarpit.port(), o);
    CHECK(std::chrono::duration<double>(clock::now() - start).count() < 2.5);
    CHECK(codes(*r) == std::set<std::string>{"timeout"});
  }
  SUBCASE("a closed port") {
    const auto r = probeOne(testing::unusedPort());
    CHECK(codes(*r) == std::set<std::string>{"connect_failed"});
  }
}

TEST_CASE("a probe ends its TLS session with close_notify, so the server logs no error") {
  testing::TempDir dir;
  const auto log = dir / "endings.log";
  testing::ScriptServer server("goodbye_server.py",
                               {"--cert", pki("leaf-server-fullchain.pem").string(), "--key",
                                pki("leaf-server.key").string(), "--log", log.string()});
  for (int i = 0; i < 3; ++i) CHECK(codes(*probeOne(server.port())).empty());
  std::string endings;
  for (int i = 0; i < 100 && std::count(endings.begin(), endings.end(), '\n') < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::error_code ec;
    if (std::filesystem::exists(log, ec)) endings = testing::readFile(log);
  }
  CHECK(endings == "close_notify\nclose_notify\nclose_notify\n");
}

TEST_CASE("a 100-certificate chain is recorded in full") {
  testing::TempDir dir;
  const testing::GeneratedChain chain = testing::generateChain(dir.path(), 100);
  testing::SServerOptions o;
  o.cert = chain.leaf;
  o.key = chain.key;
  o.chain = chain.rest;
  testing::OpensslServer server(o);
  Options options;
  options.servername = "";
  const auto r = probeOne(server.port(), options);
  CHECK(r->observation.certificates.size() == 100);
  // It ends at its own, untrusted root, and its leaf names no 127.0.0.1; its certificates carry
  // no key identifiers, which strict OpenSSL refuses (a warning: not in the default clients).
  CHECK(codes(*r) == std::set<std::string>{"hostname_mismatch", "untrusted_root", "nonconforming"});
}

TEST_CASE("STARTTLS endpoints and IPv6 literals") {
  SUBCASE("smtp") {
    testing::ScriptServer server = testing::startTlsServer("smtp");
    Options o;
    o.starttls = config::StartTls::Smtp;
    const auto r = probeOne(server.port(), o);
    CHECK(codes(*r).empty());
    CHECK(r->observation.certificates.size() == 2);
  }
  SUBCASE("[::1]") {
    testing::SServerOptions s;
    s.cert = pki("leaf-server.crt");
    s.key = pki("leaf-server.key");
    s.chain = pki("ec-int.crt");
    s.ipv6 = true;
    testing::OpensslServer server(s);
    Options o;
    o.host = "[::1]";
    o.servername = "";
    const auto r = probeOne(server.port(), o);
    CHECK(codes(*r).empty());  // SAN IP:::1 covers the dialled address
    CHECK(r->observation.endpoint->ip == "::1");
  }
}

}  // namespace
}  // namespace certvigil
