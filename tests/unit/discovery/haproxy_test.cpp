// SPDX-License-Identifier: Apache-2.0
// tests/unit/discovery/haproxy_test.cpp: the HAProxy parser: binds, crt-lists, SNI rules,
// server lines with client certificates.
#include <doctest/doctest.h>

#include "discovery/haproxy_syntax.h"
#include "tests/support/test_support.h"
#include "tests/unit/discovery/discovery_test_util.h"

namespace certvigil::testing {
namespace fs = std::filesystem;
using discovery::ServerKind;

namespace {

fs::path writeHaproxyTree(const TempDir& dir) {
  writeFile(dir / "certs.list",
            "# crt-list\n/etc/haproxy/a.pem [alpn h2] a.test\n"
            "b.pem b.test !*.not.test\n");
  writeFile(dir / "haproxy.cfg", R"(global
    crt-base /etc/haproxy/certs
    ca-base /etc/haproxy/ca

defaults
    mode http   # comment

frontend fe_tls
    bind :8443,127.0.0.1:8444 ssl crt-list )" +
                                     (dir.path() / "certs.list").string() + R"(
    bind ipv6@:::9443 ssl crt single.pem ca-file clients.pem verify required crl-file clients.crl
    acl is_api ssl_fc_sni -i api.test
    use_backend be_api if { ssl_fc_sni -m str "two.test" } || is_api
    use_backend be_other if { ssl_fc_sni -m end .other.test }
    default_backend be_api

backend be_api
    server s1 127.0.0.1:9555 ssl crt client.pem ca-file upstream-ca.pem verify required sni str(up.test)
    server s2 127.0.0.1:9556 ssl verify none
)");
  return dir / "haproxy.cfg";
}

}  // namespace

TEST_CASE("haproxy: crt-list names pair each certificate with its endpoints") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Haproxy, writeHaproxyTree(dir));
  CHECK(d.problems.empty());
  const auto* a = endpointNamed(d, "127.0.0.1:8443/a.test");
  REQUIRE(a != nullptr);
  CHECK(a->endpoint.expect_file == "/etc/haproxy/a.pem");
  CHECK(a->origin.line == 9);
  const auto* b = endpointNamed(d, "127.0.0.1:8444/b.test");
  REQUIRE(b != nullptr);
  CHECK(b->endpoint.expect_file == "/etc/haproxy/certs/b.pem");
  const auto* b_file = fileAt(d, "/etc/haproxy/certs/b.pem", Role::Server);
  REQUIRE(b_file != nullptr);
  CHECK(b_file->origin.file == (dir.path() / "certs.list").string());
  CHECK(b_file->origin.line == 3);
  // The SNI rules name api.test and two.test, not the -m end suffix.
  CHECK(endpointNamed(d, "127.0.0.1:8443/api.test") != nullptr);
  CHECK(endpointNamed(d, "127.0.0.1:8443/.other.test") == nullptr);
}

TEST_CASE("haproxy: a bind with one crt, mTLS, CA and CRL files") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Haproxy, writeHaproxyTree(dir));
  const auto* two = endpointNamed(d, "[::1]:9443/two.test");
  CHECK(two == nullptr);  // ::: is the IPv6 wildcard: dialled on 127.0.0.1
  const auto* single = endpointNamed(d, "127.0.0.1:9443/two.test");
  REQUIRE(single != nullptr);
  CHECK(single->endpoint.expect_file == "/etc/haproxy/certs/single.pem");
  CHECK(single->endpoint.mtls == config::MtlsMode::Required);
  CHECK(std::any_of(d.bundles.begin(), d.bundles.end(),
                    [](const auto& b) { return b.path == "/etc/haproxy/ca/clients.pem"; }));
  REQUIRE(d.crls.size() == 1);
  CHECK(d.crls[0].path == "/etc/haproxy/ca/clients.crl");
  CHECK(d.crls[0].issuers == std::vector<std::string>{"/etc/haproxy/ca/clients.pem"});
}

TEST_CASE("haproxy: a server line's crt is a client certificate tied to that server") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Haproxy, writeHaproxyTree(dir));
  const auto* client = fileAt(d, "/etc/haproxy/certs/client.pem", Role::Client);
  REQUIRE(client != nullptr);
  CHECK(client->origin.line == 17);
  const auto* up = endpointNamed(d, "127.0.0.1:9555/up.test");
  REQUIRE(up != nullptr);
  CHECK(up->endpoint.client_cert == "/etc/haproxy/certs/client.pem");
  CHECK(endpointNamed(d, "127.0.0.1:9556") == nullptr);
  CHECK(std::any_of(d.bundles.begin(), d.bundles.end(),
                    [](const auto& b) { return b.path == "/etc/haproxy/ca/upstream-ca.pem"; }));
}

TEST_CASE("haproxy: word splitting") {
  CHECK(discovery::splitHaproxyLine("  bind \"a b\" 'c\\d' e\\ f # g") ==
        std::vector<std::string>{"bind", "a b", "c\\d", "e f"});
  CHECK(discovery::splitHaproxyLine("   # only a comment").empty());
}

TEST_CASE("server kinds: names, defaults, detection") {
  TempDir dir;
  CHECK(discovery::serverKindFromString("apache") == ServerKind::Apache);
  CHECK_FALSE(discovery::serverKindFromString("iis"));
  CHECK(discovery::defaultConfigPath(ServerKind::Haproxy) == "/etc/haproxy/haproxy.cfg");
  CHECK(discovery::sourceLabel(ServerKind::Nginx) == "discover:nginx");
  writeFile(dir / "x.conf", "server {\n server_name a;\n}\n");
  CHECK(discovery::detectServerKind(dir / "x.conf") == ServerKind::Nginx);
  writeFile(dir / "y.cfg", "frontend f\n bind :443 ssl crt a.pem\n");
  CHECK(discovery::detectServerKind(dir / "y.cfg") == ServerKind::Haproxy);
  CHECK(discovery::detectServerKind(dir / "apache2.conf") == ServerKind::Apache);
  writeFile(dir / "z.txt", "nothing\n");
  CHECK_FALSE(discovery::detectServerKind(dir / "z.txt"));
}

}  // namespace certvigil::testing
