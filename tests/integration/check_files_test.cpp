// SPDX-License-Identifier: Apache-2.0
// The file pipeline end to end on the generated test PKI: real files -> x509 reader -> chain
// building -> checks, through the same Monitor `certvigil check` and the daemon use. For every
// certificate- and bundle-level finding code: a case where it fires, and good input where the
// whole result is silent (the exact set of codes is compared, so a wrong extra finding fails).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <set>

#include "scheduler/monitor.h"
#include "tests/support/test_support.h"

// Cases name only the fields they set (designated initializers); the rest stay empty.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certvigil {
namespace {

using testing::pki;

struct Case {
  std::string file;
  Role role = Role::Auto;
  std::string key;
  std::string password_file;
  std::string crl;
  std::string hostname;
  std::string chain;
};

config::Config configFor(const Case& c, const std::string& path) {
  config::Config cfg;
  cfg.trust.system = false;
  cfg.trust.ca_files = {pki("ec-root.crt"), pki("rsa-root.crt")};
  config::FileConfig f;
  f.path = path;
  f.role = c.role;
  if (!c.key.empty()) f.key = pki(c.key);
  if (!c.password_file.empty()) f.password_file = pki(c.password_file);
  if (!c.crl.empty()) f.crl_files = {pki(c.crl)};
  if (!c.chain.empty()) f.chain = pki(c.chain);
  f.hostname = c.hostname;
  cfg.files.push_back(f);
  return cfg;
}

std::vector<TargetResultPtr> scan(const config::Config& cfg) {
  SystemClock clock;
  scheduler::Monitor monitor(nullptr, clock);
  REQUIRE(monitor.configure(cfg).ok());
  monitor.scanAll();
  return monitor.latest()->targets;
}

std::vector<Finding> findingsOf(const Case& c) {
  const auto results = scan(configFor(c, pki(c.file).string()));
  REQUIRE(results.size() == 1);
  return results.front()->findings;
}

std::multiset<std::string> codesOf(const std::vector<Finding>& findings) {
  std::multiset<std::string> codes;
  for (const auto& f : findings) codes.insert(std::string(toString(f.code)));
  return codes;
}

void expectCodes(const Case& c, std::multiset<std::string> expected) {
  CAPTURE(c.file);
  const auto findings = findingsOf(c);
  std::string all;
  for (const auto& f : findings) all += std::string(toString(f.code)) + ": " + f.message + "\n";
  CAPTURE(all);
  CHECK(codesOf(findings) == expected);
  for (const auto& f : findings) {
    CHECK_FALSE(f.message.empty());
    CHECK_FALSE(f.remedy.empty());
  }
}

}  // namespace

TEST_CASE("good certificates are silent") {
  expectCodes({.file = "leaf-server-fullchain.pem",
               .role = Role::Server,
               .key = "leaf-server.key",
               .hostname = "server.test"},
              {});
  expectCodes({.file = "leaf-client-fullchain.pem", .role = Role::Client, .key = "leaf-client.key"},
              {});
  expectCodes({.file = "leaf-both-fullchain.pem", .role = Role::Client}, {});
  expectCodes({.file = "leaf-rsa-fullchain.pem", .role = Role::Server, .key = "leaf-rsa-pkcs1.key"},
              {});
  expectCodes({.file = "leaf-ed25519-fullchain.pem", .role = Role::Auto, .key = "leaf-ed25519.key"},
              {});
  expectCodes({.file = "leaf-short-fullchain.pem"}, {});  // 24-hour certificate with 23 hours left
  expectCodes({.file = "leaf-server-fullchain-crlf.pem"}, {});
  expectCodes({.file = "leaf-server-fullchain-text.pem"}, {});
  expectCodes({.file = "leaf-longdates-fullchain.pem"}, {});
  expectCodes({.file = "leaf-utf8-fullchain.pem"}, {});
  expectCodes(
      {.file = "leaf-wildcard-fullchain.pem", .role = Role::Server, .hostname = "api.wild.test"},
      {});
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Server, .hostname = "127.0.0.1"},
              {});
  expectCodes({.file = "bundle-good.pem", .role = Role::CaBundle}, {});
  expectCodes({.file = "ec-root.crt"}, {});
  expectCodes({.file = "ec-int.crt"}, {});
}

TEST_CASE("a root sent needlessly or an extra intermediate off the path raise nothing") {
  expectCodes({.file = "leaf-server-fullchain-root.pem", .role = Role::Server}, {});
  expectCodes({.file = "leaf-client-extra-int.pem", .role = Role::Client}, {});
}

TEST_CASE("formats: DER, X509 CERTIFICATE label, PKCS#12 modern and legacy, keys") {
  expectCodes({.file = "leaf-server.der"}, {"chain_incomplete"});  // a DER file holds just the leaf
  expectCodes({.file = "leaf-server.der", .role = Role::Auto, .chain = "ec-int.crt"}, {});
  expectCodes({.file = "leaf-server-x509-label.pem", .role = Role::Auto, .chain = "ec-int.crt"},
              {});
  // A PKCS#12 file holds a private key: world-readable (as generated, 0644) is a finding even
  // though the key is encrypted, because its password is often weak.
  expectCodes(
      {.file = "leaf-client.p12", .role = Role::Client, .password_file = "leaf-client.p12.pass"},
      {"key_permissions"});
  expectCodes({.file = "leaf-client-legacy.p12",
               .role = Role::Client,
               .password_file = "leaf-client-legacy.p12.pass"},
              {"key_permissions"});
  expectCodes({.file = "leaf-client-nopass.p12", .role = Role::Client}, {"key_permissions"});
  expectCodes(
      {.file = "leaf-server-fullchain.pem", .role = Role::Server, .key = "leaf-server-sec1.key"},
      {});
  expectCodes(
      {.file = "leaf-server-fullchain.pem", .role = Role::Server, .key = "leaf-server-key.der"},
      {});
  expectCodes({.file = "leaf-server-fullchain.pem",
               .role = Role::Server,
               .key = "leaf-server-encrypted.key",
               .password_file = "leaf-server-encrypted.pass"},
              {});
  expectCodes({.file = "leaf-rsa-fullchain.pem",
               .role = Role::Server,
               .key = "leaf-rsa-pkcs1-encrypted.key",
               .password_file = "leaf-server-encrypted.pass"},
              {});
}

TEST_CASE("expired, not_yet_valid, expires_soon") {
  expectCodes({.file = "leaf-expired-fullchain.pem"}, {"expired"});
  expectCodes({.file = "leaf-notyet-fullchain.pem"}, {"not_yet_valid"});
  SUBCASE("5 days left is critical") {
    const auto f = findingsOf({.file = "leaf-5d-fullchain.pem"});
    REQUIRE(f.size() == 1);
    CHECK(f[0].code == FindingCode::ExpiresSoon);
    CHECK(f[0].severity == Severity::Critical);
    CHECK(f[0].position == 0);
    CHECK(f[0].fingerprint.size() == 64);
  }
  SUBCASE("20 days left is a warning") {
    const auto f = findingsOf({.file = "leaf-20d-fullchain.pem"});
    REQUIRE(f.size() == 1);
    CHECK(f[0].code == FindingCode::ExpiresSoon);
    CHECK(f[0].severity == Severity::Warning);
  }
}

TEST_CASE("chain_incomplete, untrusted_root, not_a_ca") {
  expectCodes({.file = "leaf-server.crt", .role = Role::Server}, {"chain_incomplete"});
  expectCodes({.file = "leaf-other-client-fullchain.pem", .role = Role::Client},
              {"chain_incomplete"});
  expectCodes({.file = "leaf-other-client-fullchain-root.pem", .role = Role::Client},
              {"untrusted_root"});
  expectCodes({.file = "leaf-under-non-ca-fullchain.pem", .role = Role::Client}, {"not_a_ca"});
}

TEST_CASE("eku for the client and server roles") {
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Client},
              {"eku_client_auth_missing"});
  expectCodes({.file = "leaf-client-fullchain.pem", .role = Role::Server},
              {"eku_server_auth_missing"});
  expectCodes({.file = "leaf-client-wrong-eku-fullchain.pem", .role = Role::Client},
              {"eku_client_auth_missing"});
  expectCodes({.file = "leaf-server-wrong-eku-fullchain.pem", .role = Role::Server},
              {"eku_server_auth_missing"});
}

TEST_CASE("hostname_mismatch") {
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Server, .hostname = "other.test"},
              {"hostname_mismatch"});
  expectCodes(
      {.file = "leaf-wildcard-fullchain.pem", .role = Role::Server, .hostname = "a.b.wild.test"},
      {"hostname_mismatch"});
}

TEST_CASE("key_mismatch and key_permissions") {
  expectCodes({.file = "leaf-server-fullchain.pem",
               .role = Role::Server,
               .key = "leaf-server-mismatched.key"},
              {"key_mismatch"});
  expectCodes(
      {.file = "leaf-server-fullchain.pem", .role = Role::Server, .key = "leaf-server-0644.key"},
      {"key_permissions"});
  // cert + key in one world-readable file: the file is the key file.
  testing::TempDir dir;
  const auto file =
      testing::writeFile(dir / "with-key.pem", testing::readFile(pki("leaf-server-with-key.pem")));
  ::chmod(file.c_str(), 0644);
  Case c{.file = "leaf-server-with-key.pem", .role = Role::Server};
  CHECK(codesOf(scan(configFor(c, file.string())).front()->findings) ==
        std::multiset<std::string>{"key_permissions"});
  ::chmod(file.c_str(), 0600);
  CHECK(scan(configFor(c, file.string())).front()->findings.empty());
}

TEST_CASE("weak_key and weak_signature") {
  expectCodes({.file = "leaf-rsa1024-fullchain.pem"}, {"weak_key"});
  expectCodes({.file = "leaf-p224-fullchain.pem"}, {"weak_key"});
  expectCodes({.file = "leaf-sha1-fullchain.pem"}, {"weak_signature"});
  expectCodes({.file = "leaf-md5-fullchain.pem"}, {"weak_signature"});
}

TEST_CASE("self_signed") {
  expectCodes({.file = "leaf-selfsigned.crt"}, {"self_signed"});
  expectCodes({.file = "leaf-ed25519-selfsigned.crt"}, {"self_signed"});
}

TEST_CASE("revoked and revocation_unknown from CRL files") {
  expectCodes({.file = "leaf-revoked-fullchain.pem", .role = Role::Auto, .crl = "ec-int.crl"},
              {"revoked"});
  expectCodes({.file = "leaf-revoked-fullchain.pem", .role = Role::Auto, .crl = "ec-int-crl.der"},
              {"revoked"});
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Auto, .crl = "ec-int.crl"}, {});
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Auto, .crl = "crls-all.pem"}, {});
  expectCodes({.file = "leaf-server-fullchain.pem", .role = Role::Auto, .crl = "ec-int-stale.crl"},
              {"revocation_unknown"});
}

TEST_CASE("parse_error and pem_empty on hostile input") {
  expectCodes({.file = "garbage.bin"}, {"parse_error"});
  expectCodes({.file = "empty.pem"}, {"parse_error"});
  expectCodes({.file = "truncated.pem"}, {"parse_error"});
  expectCodes({.file = "bad-base64.pem"}, {"parse_error"});
  expectCodes({.file = "not-a-cert.pem"}, {"parse_error"});
  expectCodes({.file = "bundle-empty-block.pem", .role = Role::CaBundle}, {"pem_empty"});
}

TEST_CASE("PKCS#12: private copies are silent, a wrong password is a parse_error") {
  testing::TempDir dir;
  for (const std::string name : {"leaf-client.p12", "leaf-client-legacy.p12"}) {
    const auto copy = testing::writeFile(dir / name, testing::readFile(pki(name)));
    ::chmod(copy.c_str(), 0600);
    config::Config cfg =
        configFor({.role = Role::Client, .password_file = name + ".pass"}, copy.string());
    CHECK(scan(cfg).front()->findings.empty());
    const auto wrong = testing::writeFile(dir / "wrong.pass", "not-the-password\n");
    cfg.files.front().password_file = wrong;
    CHECK(codesOf(scan(cfg).front()->findings) == std::multiset<std::string>{"parse_error"});
  }
}

TEST_CASE("CA bundle findings") {
  expectCodes({.file = "bundle-no-ca.pem", .role = Role::CaBundle}, {"bundle_no_ca"});
  expectCodes({.file = "bundle-multiple-roots.pem", .role = Role::CaBundle},
              {"bundle_multiple_roots"});
  expectCodes({.file = "bundle-no-root.pem", .role = Role::CaBundle}, {"bundle_no_root"});
  expectCodes({.file = "bundle-private-key.pem", .role = Role::CaBundle},
              {"bundle_contains_private_key"});
}

TEST_CASE("directories: a symlink loop, a huge file and a key-only file never hang or crash") {
  testing::TempDir dir;
  testing::writeFile(dir / "certs/a.pem", testing::readFile(pki("leaf-server-fullchain.pem")));
  testing::writeFile(dir / "certs/key.pem", testing::readFile(pki("leaf-server.key")));
  testing::writeFile(dir / "certs/huge.pem", std::string(6 * 1024 * 1024, 'A'));
  std::filesystem::create_directory_symlink(dir.path() / "certs", dir / "certs/loop");
  config::Config cfg = configFor({.file = "ec-root.crt"}, (dir / "certs").string());
  const auto results = scan(cfg);
  std::map<std::string, std::multiset<std::string>> by_target;
  for (const auto& r : results) by_target[r->observation.target] = codesOf(r->findings);
  CHECK(by_target.count((dir / "certs/a.pem").string()) == 1);
  CHECK(by_target[(dir / "certs/a.pem").string()].empty());
  CHECK(by_target[(dir / "certs/huge.pem").string()] == std::multiset<std::string>{"parse_error"});
  CHECK(by_target.count((dir / "certs/key.pem").string()) == 0);  // a key file is no target
  // The loop is skipped (counted in certvigil_walk_skipped), not a certificate finding.
  CHECK(by_target.count((dir / "certs/loop").string()) == 0);
  CHECK(results.size() == 2);
}

}  // namespace certvigil

namespace certvigil {

TEST_CASE("auto role: an intermediate in a sibling file completes a leaf (certbot layout)") {
  testing::TempDir dir;
  testing::writeFile(dir / "live/cert.pem", testing::readFile(pki("leaf-server.crt")));
  testing::writeFile(dir / "live/chain.pem", testing::readFile(pki("ec-int.crt")));
  config::Config cfg = configFor({}, (dir / "live").string());
  for (const auto& r : scan(cfg)) {
    CAPTURE(r->observation.target);
    CHECK(r->findings.empty());
  }
  // Named as a server certificate, the file itself is what peers get: it must hold the chain.
  cfg.files.front().role = Role::Server;
  const auto results = scan(cfg);
  REQUIRE(results.size() == 2);
  CHECK(codesOf(results[0]->findings) == std::multiset<std::string>{"chain_incomplete"});
}

}  // namespace certvigil
