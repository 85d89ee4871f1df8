// SPDX-License-Identifier: Apache-2.0
// tests/unit/discovery/apache_test.cpp: the Apache httpd parser on a Debian-shaped tree.
#include <doctest/doctest.h>

#include "discovery/apache_syntax.h"
#include "tests/support/test_support.h"
#include "tests/unit/discovery/discovery_test_util.h"

namespace certvigil::testing {
namespace fs = std::filesystem;
using discovery::ServerKind;

namespace {

fs::path writeApacheTree(const TempDir& dir) {
  writeFile(dir / "envvars", "export APACHE_SSL_DIR=/etc/ssl/apache\nexport X=$HOME\n");
  writeFile(dir / "apache2.conf", "ServerRoot " + dir.path().string() + R"(
# comment line
Define CERTS /etc/ssl/certs
Include ports.conf
IncludeOptional mods-enabled/*.conf
IncludeOptional sites-enabled/*.conf
IncludeOptional conf-enabled/*.conf
)");
  writeFile(dir / "ports.conf", "Listen 8443\n<IfModule ssl_module>\n  Listen 9443\n</IfModule>\n");
  writeFile(dir / "sites-available/secure.conf", R"(<IfModule mod_ssl.c>
<VirtualHost *:8443>
    ServerName secure.test:8443
    ServerAlias alias.test \
                *.wild.test
    SSLEngine on
    SSLCertificateFile    "${CERTS}/secure.pem"
    SSLCertificateKeyFile ${APACHE_SSL_DIR}/secure.key
    SSLCertificateChainFile chain.pem
    SSLCACertificateFile /etc/ssl/client-ca.pem
    SSLVerifyClient require
    SSLCARevocationFile /etc/ssl/client.crl
    SSLCARevocationCheck chain
    SSLProxyEngine on
    SSLProxyMachineCertificateFile /etc/ssl/proxy-client.pem
    <Location /api>
        ProxyPass https://127.0.0.1:9555/api
    </Location>
</VirtualHost>
</IfModule>
<IfModule !mod_ssl.c>
<VirtualHost *:8443>
    ServerName never.test
    SSLEngine on
    SSLCertificateFile /never.pem
</VirtualHost>
</IfModule>
<VirtualHost 127.0.0.1:8080>
    ServerName plain.test
</VirtualHost>
)");
  fs::create_directories(dir / "sites-enabled");
  fs::create_symlink(dir / "sites-available/secure.conf", dir / "sites-enabled/secure.conf");
  return dir / "apache2.conf";
}

}  // namespace

TEST_CASE("apache: virtual hosts with SSLEngine on, names from ServerName and ServerAlias") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Apache, writeApacheTree(dir));
  CHECK(d.problems.empty());
  const auto* secure = endpointNamed(d, "127.0.0.1:8443/secure.test");
  REQUIRE(secure != nullptr);
  CHECK(secure->endpoint.expect_file == "/etc/ssl/certs/secure.pem");
  CHECK(secure->endpoint.mtls == config::MtlsMode::Required);
  CHECK(secure->origin.line == 2);
  CHECK(endpointNamed(d, "127.0.0.1:8443/alias.test") != nullptr);
  CHECK(endpointNamed(d, "127.0.0.1:8443/never.test") == nullptr);
  CHECK(endpointNamed(d, "127.0.0.1:8080/plain.test") == nullptr);
  CHECK(skippedMentions(d, "*.wild.test"));
}

TEST_CASE("apache: certificate, key and chain files, bundles, CRLs, the proxy certificate") {
  TempDir dir;
  const discovery::Discovery d = discovery::discover(ServerKind::Apache, writeApacheTree(dir));
  const auto* served = fileAt(d, "/etc/ssl/certs/secure.pem", Role::Server);
  REQUIRE(served != nullptr);
  CHECK(served->file.key == "/etc/ssl/apache/secure.key");
  CHECK(served->file.chain == (dir.path() / "chain.pem").string());
  CHECK(served->origin.line == 7);
  REQUIRE(d.bundles.size() == 1);
  CHECK(d.bundles[0].path == "/etc/ssl/client-ca.pem");
  REQUIRE(d.crls.size() == 1);
  CHECK(d.crls[0].issuers == std::vector<std::string>{"/etc/ssl/client-ca.pem"});
  const auto* client = fileAt(d, "/etc/ssl/proxy-client.pem", Role::Client);
  REQUIRE(client != nullptr);
  const auto* upstream = endpointNamed(d, "127.0.0.1:9555");
  REQUIRE(upstream != nullptr);
  CHECK(upstream->endpoint.client_cert == "/etc/ssl/proxy-client.pem");
  CHECK(upstream->origin.line == 17);
}

// mod_ssl consults a CRL only as SSLCARevocationCheck says, and its default is none.
TEST_CASE("apache: SSLCARevocationCheck decides whether and how a CRL file is watched") {
  const auto crlsWith = [](const std::string& check) {
    TempDir dir;
    writeFile(dir / "apache2.conf",
              "<VirtualHost *:8443>\n  ServerName a.test\n  SSLEngine on\n"
              "  SSLCertificateFile /etc/ssl/a.pem\n  SSLCACertificateFile /etc/ssl/ca.pem\n"
              "  SSLCARevocationFile /etc/ssl/a.crl\n" +
                  check + "</VirtualHost>\n");
    return discovery::discover(ServerKind::Apache, dir / "apache2.conf");
  };
  const discovery::Discovery none = crlsWith("");
  CHECK(none.crls.empty());
  REQUIRE(!none.skipped.empty());
  CHECK(none.skipped.back().reason.find("SSLCARevocationCheck is none") != std::string::npos);
  const discovery::Discovery leaf = crlsWith("  SSLCARevocationCheck leaf\n");
  REQUIRE(leaf.crls.size() == 1);
  CHECK(leaf.crls[0].issuers.empty());  // a CRL for the leaf only: dates judged, no gaps
  const discovery::Discovery lenient =
      crlsWith("  SSLCARevocationCheck chain no_crl_for_cert_ok\n");
  REQUIRE(lenient.crls.size() == 1);
  CHECK(lenient.crls[0].issuers.empty());
}

TEST_CASE("apache: continuation lines, quotes and unclosed sections") {
  std::vector<std::string> problems;
  const auto tree =
      discovery::parseApacheText("A \"x y\" 'z'\nB one \\\n  two\n<S a>\nC\n", "f", problems);
  REQUIRE(tree.size() == 3);
  CHECK(tree[0].args == std::vector<std::string>{"x y", "z"});
  CHECK(tree[1].args == std::vector<std::string>{"one", "two"});
  CHECK(tree[2].origin.line == 4);
  CHECK(tree[2].children.size() == 1);
  CHECK(problems.size() == 1);
}

}  // namespace certvigil::testing
