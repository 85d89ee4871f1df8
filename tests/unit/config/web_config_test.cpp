// SPDX-License-Identifier: Apache-2.0
// Tests for the exporter-toolkit web config: what it reads, the rules it shares with
// exporter-toolkit, where problems are reported, and how the `tls:` short form folds in.
#include "config/web_config.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace certvigil::config {
namespace {

constexpr const char* kHash = "$2y$05$Wnscd3y3NnRscUud4FHR2OtVDt.PH/xtkjQtZc6g.Kvoz49KUsnTy";

bool mentions(const WebConfigOutcome& out, const std::string& text) {
  return std::any_of(out.problems.begin(), out.problems.end(), [&](const ConfigProblem& p) {
    return p.describe().find(text) != std::string::npos;
  });
}

TEST_CASE("a full web config is read with Go's names mapped") {
  const WebConfigOutcome out = loadWebConfigFromString(
      std::string("tls_server_config:\n"
                  "  cert_file: tls/server.pem\n"
                  "  key_file: /etc/k.pem\n"
                  "  client_auth_type: RequireAndVerifyClientCert\n"
                  "  client_ca_file: ca.pem\n"
                  "  min_version: TLS13\n"
                  "  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]\n"
                  "  curve_preferences: [X25519, CurveP384]\n"
                  "http_server_config:\n"
                  "  http2: false\n"
                  "  headers:\n"
                  "    X-Frame-Options: sameorigin\n"
                  "    Content-Security-Policy: ''\n"
                  "basic_auth_users:\n"
                  "  alice: '") +
          kHash + "'\n",
      "/etc/certvigil/web.yml");
  REQUIRE(out.ok());
  const WebConfig& c = *out.config;
  CHECK(c.tls.cert_file == "/etc/certvigil/tls/server.pem");
  CHECK(c.tls.key_file == "/etc/k.pem");
  CHECK(c.tls.client_auth == ClientAuthType::RequireAndVerifyClientCert);
  CHECK(c.tls.min_version == TlsVersion::Tls13);
  CHECK(c.tls.max_version == TlsVersion::Tls13);
  CHECK(c.tls.curve_preferences == std::vector<std::string>{"X25519", "CurveP384"});
  CHECK_FALSE(c.http.http2);
  REQUIRE(c.http.headers.size() == 1);  // a blank value unsets
  CHECK(c.http.headers[0].first == "X-Frame-Options");
  CHECK(c.basic_auth_users.at("alice") == kHash);
  CHECK(openSslCipherName("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") ==
        std::optional<std::string_view>("ECDHE-RSA-AES128-GCM-SHA256"));
  CHECK(openSslCipherName("TLS_AES_128_GCM_SHA256") == std::optional<std::string_view>(""));
  CHECK_FALSE(openSslCipherName("TLS_RSA_WITH_RC4_128_SHA").has_value());
  CHECK(openSslGroupName("CurveP256") == std::optional<std::string_view>("P-256"));
}

TEST_CASE("an empty web config is plain HTTP without auth") {
  const WebConfigOutcome out = loadWebConfigFromString("", "web.yml");
  REQUIRE(out.ok());
  CHECK_FALSE(out.config->tls.enabled());
  CHECK(out.config->basic_auth_users.empty());
}

TEST_CASE("exporter-toolkit's rules are problems, with file:line:col") {
  SUBCASE("unknown keys and values") {
    const WebConfigOutcome out = loadWebConfigFromString(
        "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_versoin: TLS12\n"
        "  max_version: TLS14\nrate_limit: {interval: 1s, burst: 2}\n",
        "web.yml");
    CHECK_FALSE(out.ok());
    CHECK(mentions(out, "web.yml:4:3: tls_server_config.min_versoin"));
    CHECK(mentions(out, "'TLS14' is not one of"));
    CHECK(mentions(out, "rate_limit is not supported"));
  }
  SUBCASE("client CAs without a policy, a verifying policy without CAs") {
    CHECK(mentions(loadWebConfigFromString(
                       "tls_server_config: {cert_file: c, key_file: k, client_ca_file: ca}", "w"),
                   "without a client_auth_type"));
    CHECK(mentions(loadWebConfigFromString("tls_server_config: {cert_file: c, key_file: k, "
                                           "client_auth_type: VerifyClientCertIfGiven}",
                                           "w"),
                   "needs client_ca_file"));
    CHECK(mentions(loadWebConfigFromString("tls_server_config: {cert_file: c, key_file: k, "
                                           "client_allowed_sans: [a]}",
                                           "w"),
                   "client_allowed_sans"));
    CHECK(mentions(loadWebConfigFromString("tls_server_config: {key_file: k}", "w"),
                   "needs one of cert or cert_file"));
  }
  SUBCASE("headers: the allow-list and its values") {
    const WebConfigOutcome out = loadWebConfigFromString(
        "http_server_config:\n  headers:\n    Server: x\n    X-Content-Type-Options: sniff\n", "w");
    CHECK(mentions(out, "w:3:5: http_server_config.headers.Server: HTTP header 'Server' can not"));
    CHECK(mentions(out, "'sniff' is not one of nosniff"));
  }
  SUBCASE("users: bcrypt hashes only, never quoted") {
    const WebConfigOutcome out =
        loadWebConfigFromString("basic_auth_users:\n  alice: $1$abc$secretmd5crypt\n", "w");
    CHECK(mentions(out, "w:2:10: basic_auth_users.alice: not a bcrypt hash"));
    CHECK_FALSE(mentions(out, "secretmd5crypt"));
  }
}

TEST_CASE("isBcryptHash: the variants libxcrypt verifies") {
  CHECK(isBcryptHash(kHash));
  std::string b = kHash;
  b[2] = 'b';
  CHECK(isBcryptHash(b));
  b[2] = 'x';
  CHECK_FALSE(isBcryptHash(b));
  CHECK_FALSE(isBcryptHash(std::string(kHash).substr(0, 59)));
  std::string cost = kHash;
  cost[4] = '3';
  cost[5] = '2';
  CHECK_FALSE(isBcryptHash(cost));
  CHECK(bcryptCost(kHash) == 5);
}

TEST_CASE("listenerWebConfig folds the tls: short form in, and refuses both") {
  Config config;
  config.tls.cert_file = "/c.pem";
  config.tls.key_file = "/k.pem";
  config.tls.client_ca_file = "/ca.pem";
  const WebConfigOutcome out = listenerWebConfig(config);
  REQUIRE(out.ok());
  CHECK(out.config->tls.cert_file == "/c.pem");
  CHECK(out.config->tls.client_auth == ClientAuthType::RequireAndVerifyClientCert);
  CHECK_FALSE(listenerWebConfig(Config{}).config->tls.enabled());
  const WebConfigOutcome missing = listenerWebConfig(config, "/nonexistent/web.yml");
  CHECK(mentions(missing, "/nonexistent/web.yml: cannot read the web config file"));
}

}  // namespace
}  // namespace certvigil::config
