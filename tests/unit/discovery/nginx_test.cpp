// SPDX-License-Identifier: Apache-2.0
// tests/unit/discovery/nginx_test.cpp: the nginx parser on a Debian-shaped tree.
#include <doctest/doctest.h>

#include "discovery/nginx_syntax.h"
#include "tests/support/test_support.h"
#include "tests/unit/discovery/discovery_test_util.h"

namespace certvigil::testing {
namespace fs = std::filesystem;
using discovery::ServerKind;

namespace {

/// nginx.conf including conf.d/*.conf and sites-enabled/* (one a symlink to sites-available).
fs::path writeNginxTree(const TempDir& dir) {
  writeFile(dir / "nginx.conf", R"(# main file
user www-data;
events { worker_connections 64; }
http {
  ssl_verify_client off;   # inherited by every server
  include conf.d/*.conf;
  include sites-enabled/*;
}
)");
  writeFile(dir / "conf.d/upstreams.conf",
            "upstream backend_pool {\n  server 127.0.0.1:9443;\n}\n");
  writeFile(dir / "sites-available/api.conf", R"(server {
    listen 8443 ssl;
    listen [::]:8443 ssl;
    server_name api.test "www.api.test";
    ssl_certificate     certs/api.pem;   # relative to the prefix
    ssl_certificate_key /etc/ssl/private/api.key;
    ssl_client_certificate /etc/ssl/client-ca.pem;
    ssl_verify_client on;
    ssl_crl /etc/ssl/client.crl;
    location /up/ {
        proxy_pass https://backend_pool;
        proxy_ssl_certificate /etc/ssl/proxy-client.pem;
        proxy_ssl_certificate_key /etc/ssl/proxy-client.key;
    }
}
)");
  fs::create_directories(dir / "sites-enabled");
  fs::create_symlink(dir / "sites-available/api.conf", dir / "sites-enabled/api.conf");
  writeFile(dir / "sites-enabled/other", R"(server {
  listen 127.0.0.2:9443 ssl http2; server_name other.test *.wild.test;
  ssl_certificate /etc/ssl/$ssl_server_name.pem;
  ssl_certificate_key /etc/ssl/other.key;
}
server { listen 80; server_name plain.test; }
server {
  listen 9444 ssl;
  server_name _;
  ssl_certificate /etc/ssl/default.pem;
  ssl_certificate_key /etc/ssl/default.key;
}
)");
  return dir / "nginx.conf";
}

}  // namespace

TEST_CASE("nginx: endpoints for every ssl listen and server name, paired with the certificate") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Nginx, writeNginxTree(dir));
  CHECK(d.problems.empty());
  const std::string cert = (dir.path() / "certs/api.pem").string();
  const auto* api = endpointNamed(d, "127.0.0.1:8443/api.test");
  REQUIRE(api != nullptr);
  CHECK(api->endpoint.expect_file == cert);
  CHECK(api->endpoint.mtls == config::MtlsMode::Required);
  CHECK(api->origin.line == 2);
  CHECK(api->origin.file == (dir.path() / "sites-enabled/api.conf").string());
  CHECK(endpointNamed(d, "127.0.0.1:8443/www.api.test") != nullptr);
  // [::]:8443 dials the same 127.0.0.1:8443: not listed twice; plain port 80 not at all.
  // The others: other.test and the upstream: 127.0.0.1:9443.
  CHECK(d.endpoints.size() == 4);
  CHECK(endpointNamed(d, "127.0.0.1:80/plain.test") == nullptr);
}

TEST_CASE("nginx: files, bundles, CRLs and the proxy client certificate") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Nginx, writeNginxTree(dir));
  const auto* served = fileAt(d, (dir.path() / "certs/api.pem").string(), Role::Server);
  REQUIRE(served != nullptr);
  CHECK(served->file.key == "/etc/ssl/private/api.key");
  CHECK(served->origin.line == 5);
  CHECK(served->endpoints.size() == 2);
  const auto* client = fileAt(d, "/etc/ssl/proxy-client.pem", Role::Client);
  REQUIRE(client != nullptr);
  CHECK(client->file.key == "/etc/ssl/proxy-client.key");
  const auto* upstream = endpointNamed(d, "127.0.0.1:9443");
  REQUIRE(upstream != nullptr);
  CHECK(upstream->endpoint.client_cert == "/etc/ssl/proxy-client.pem");
  CHECK(upstream->origin.line == 11);
  REQUIRE(d.bundles.size() == 1);
  CHECK(d.bundles[0].path == "/etc/ssl/client-ca.pem");
  REQUIRE(d.crls.size() == 1);
  CHECK(d.crls[0].path == "/etc/ssl/client.crl");
  // Judged against the CAs nginx verifies clients with: each needs a CRL in it.
  CHECK(d.crls[0].issuers == std::vector<std::string>{"/etc/ssl/client-ca.pem"});
  CHECK(fileAt(d, "/etc/ssl/default.pem", Role::Server) != nullptr);
}

TEST_CASE("nginx: what cannot be resolved is skipped with the reason") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Nginx, writeNginxTree(dir));
  CHECK(skippedMentions(d, "$ssl_server_name"));
  CHECK(skippedMentions(d, "*.wild.test"));
  // server_name _ gives no name to dial: its files are watched, its endpoint is skipped.
  CHECK(std::any_of(d.skipped.begin(), d.skipped.end(), [](const auto& s) {
    return s.reason.find("no server name") != std::string::npos;
  }));
  CHECK(endpointNamed(d, "127.0.0.2:9443/other.test") != nullptr);
}

TEST_CASE("nginx: lexer keeps quotes, comments, ${var} and line numbers apart") {
  std::vector<std::string> problems;
  const auto tree = discovery::parseNginxText(
      "a \"x;y\" 'z w';  # c { }\nb ${v}x {\n  c\n  1;\n}\n", "f", problems);
  CHECK(problems.empty());
  REQUIRE(tree.size() == 2);
  CHECK(tree[0].args == std::vector<std::string>{"x;y", "z w"});
  CHECK(tree[1].args == std::vector<std::string>{"${v}x"});
  CHECK(tree[1].origin.line == 2);
  REQUIRE(tree[1].children.size() == 1);
  CHECK(tree[1].children[0].origin.line == 3);
  const auto regex = discovery::parseNginxText("server_name ~^(.+)\\.x$ \"q\\\"\";", "f", problems);
  REQUIRE(regex.size() == 1);
  CHECK(regex[0].args == std::vector<std::string>{"~^(.+)\\.x$", "q\""});
}

TEST_CASE("nginx: syntax errors and missing includes are problems, not crashes") {
  TempDir dir;
  writeFile(dir / "nginx.conf", "http { include missing.conf; server { listen 443 ssl;\n");
  const discovery::Discovery d = discovery::discover(ServerKind::Nginx, dir / "nginx.conf");
  REQUIRE(d.problems.size() == 3);  // the include, then the unclosed server and http blocks
  CHECK(std::any_of(d.problems.begin(), d.problems.end(), [](const std::string& p) {
    return p.find("missing.conf: no such file") != std::string::npos;
  }));
  const discovery::Discovery none = discovery::discover(ServerKind::Nginx, dir / "absent.conf");
  CHECK(none.problems.size() == 1);
}

TEST_CASE("nginx: an include loop stops at the depth limit") {
  TempDir dir;
  writeFile(dir / "nginx.conf", "include nginx.conf;\n");
  const discovery::Discovery d = discovery::discover(ServerKind::Nginx, dir / "nginx.conf");
  CHECK_FALSE(d.problems.empty());
}

}  // namespace certvigil::testing
