// SPDX-License-Identifier: Apache-2.0
// tests/unit/config/load_test.cpp: valid configs load with every value where it belongs.
#include <doctest/doctest.h>

#include "config/config.h"
#include "tests/support/test_support.h"
#include "tests/unit/config/config_test_util.h"

namespace certvigil::config::test {
namespace {

using std::filesystem::path;

constexpr const char* kFull = R"(
listen: 0.0.0.0:9100
state_dir: /srv/certvigil
interval: 30m
concurrency: 8
timeout: 5s
retention: 2w
thresholds:
  warning: 21d
  critical: 3d
  warning_fraction: 0.5
  critical_fraction: 0.2
trust:
  system: false
  ca_files: [/etc/pki/root.pem, roots/internal.pem]
endpoints:
  - address: api.internal:8443
    servername: api.example.org
    mtls: required
    client_cert: client/a.pem
    client_key: /etc/certvigil/client/a.key
    password_file: client/a.pass
    expect_file: /etc/nginx/api.pem
    all_addresses: true
    interval: 5m
    timeout: 3s
  - address: "[2001:db8::1]:25"
    starttls: smtp
    mtls: optional
  - address: gw.internal:443
    client_pkcs12: /etc/certvigil/gw.p12
    password_file: /etc/certvigil/gw.pass
files:
  - path: /etc/ssl/clients/**/*.pem
    role: client
    key: /etc/ssl/clients/service-a.key
    password_file: /etc/ssl/clients/pass
    chain: /etc/ssl/clients/intermediate.pem
    crl: [/etc/ssl/crl/a.crl, /etc/ssl/crl/b.crl]
    hostname: service-a.internal
    interval: 2h
  - path: certs/app.p12
    role: server
    crl: /etc/ssl/crl/one.crl
bundles:
  - path: /etc/nginx/client_ca.pem
    interval: 1d
notifiers:
  - type: webhook
    name: ops
    url: https://hooks.internal/certs
    secret_file: /etc/certvigil/webhook.secret
    severities: [warning, critical]
    codes: [expired, expires_soon]
    repeat_interval: 12h
    max_age: 3d
    timeout: 20s
  - type: slack
    url_file: slack.url
  - type: alertmanager
    url: http://alertmanager:9093
api:
  token_file: /etc/certvigil/api.token
probe:
  allow_any_target: true
)";

TEST_CASE("a full config loads with every value in place") {
  const Config c = loadValid(kFull);
  CHECK(c.listen == "0.0.0.0:9100");
  CHECK(c.state_dir == path("/srv/certvigil"));
  CHECK(c.databasePath() == path("/srv/certvigil/certvigil.db"));
  CHECK(c.interval == Seconds{1800});
  CHECK(c.concurrency == 8);
  CHECK(c.timeout == Seconds{5});
  CHECK(c.retention == Seconds{14 * 86400});
  CHECK(c.thresholds.warning == Seconds{21 * 86400});
  CHECK(c.thresholds.critical == Seconds{3 * 86400});
  CHECK(c.thresholds.warning_fraction == doctest::Approx(0.5));
  CHECK(c.thresholds.critical_fraction == doctest::Approx(0.2));
  CHECK_FALSE(c.trust.system);
  CHECK(c.trust.ca_files ==
        std::vector<path>{"/etc/pki/root.pem", "/etc/certvigil/roots/internal.pem"});
  CHECK(c.api.token_file == path("/etc/certvigil/api.token"));
  CHECK(c.probe.allow_any_target);
  CHECK(c.source == path(kFile));
}

TEST_CASE("endpoints load with every key") {
  const Config c = loadValid(kFull);
  REQUIRE(c.endpoints.size() == 3);
  const EndpointConfig& a = c.endpoints[0];
  CHECK(a.address == "api.internal:8443");
  CHECK(a.servername == "api.example.org");
  CHECK(name(a.mtls) == "required");
  CHECK(a.client_cert == path("/etc/certvigil/client/a.pem"));
  CHECK(a.client_key == path("/etc/certvigil/client/a.key"));
  CHECK(a.password_file == path("/etc/certvigil/client/a.pass"));
  CHECK(a.expect_file == path("/etc/nginx/api.pem"));
  CHECK(name(a.starttls) == "none");
  CHECK(a.all_addresses);
  CHECK(a.interval == Seconds{300});
  CHECK(a.timeout == Seconds{3});
  CHECK(a.line == 17);
  const EndpointConfig& b = c.endpoints[1];
  CHECK(b.servername == "2001:db8::1");  // the host part, without brackets
  CHECK(name(b.starttls) == "smtp");
  CHECK(name(b.mtls) == "optional");
  CHECK_FALSE(b.interval.has_value());
  CHECK_FALSE(b.timeout.has_value());
  CHECK(b.line == 27);
  CHECK(c.endpoints[2].client_pkcs12 == path("/etc/certvigil/gw.p12"));
  CHECK(c.endpoints[2].servername == "gw.internal");
}

TEST_CASE("files and bundles load with every key") {
  const Config c = loadValid(kFull);
  REQUIRE(c.files.size() == 2);
  const FileConfig& f = c.files[0];
  CHECK(f.path == "/etc/ssl/clients/**/*.pem");
  CHECK(name(f.role) == "client");
  CHECK(f.key == path("/etc/ssl/clients/service-a.key"));
  CHECK(f.password_file == path("/etc/ssl/clients/pass"));
  CHECK(f.chain == path("/etc/ssl/clients/intermediate.pem"));
  CHECK(f.crl_files == std::vector<path>{"/etc/ssl/crl/a.crl", "/etc/ssl/crl/b.crl"});
  CHECK(f.hostname == "service-a.internal");
  CHECK(f.interval == Seconds{7200});
  CHECK(c.files[1].path == "/etc/certvigil/certs/app.p12");
  CHECK(name(c.files[1].role) == "server");
  CHECK(c.files[1].crl_files == std::vector<path>{"/etc/ssl/crl/one.crl"});
  REQUIRE(c.bundles.size() == 1);
  CHECK(c.bundles[0].path == "/etc/nginx/client_ca.pem");
  CHECK(c.bundles[0].interval == Seconds{86400});
  CHECK(c.bundles[0].line == 46);
  CHECK(c.files[1].line == 42);
  CHECK(c.notifiers[2].line == 60);
}

TEST_CASE("notifiers load with every key, names default to <type>-<index>") {
  const Config c = loadValid(kFull);
  REQUIRE(c.notifiers.size() == 3);
  const NotifierConfig& w = c.notifiers[0];
  CHECK(name(w.type) == "webhook");
  CHECK(w.name == "ops");
  CHECK(w.url == "https://hooks.internal/certs");
  CHECK(w.secret_file == path("/etc/certvigil/webhook.secret"));
  CHECK(w.severities == std::vector<std::string>{"warning", "critical"});
  CHECK(w.codes == std::vector<std::string>{"expired", "expires_soon"});
  CHECK(w.repeat_interval == Seconds{12 * 3600});
  CHECK(w.max_age == Seconds{3 * 86400});
  CHECK(w.timeout == Seconds{20});
  CHECK(name(c.notifiers[1].type) == "slack");
  CHECK(c.notifiers[1].name == "slack-1");
  CHECK(c.notifiers[1].url_file == path("/etc/certvigil/slack.url"));
  CHECK(c.notifiers[1].repeat_interval == Seconds{86400});  // default
  CHECK(name(c.notifiers[2].type) == "alertmanager");
  CHECK(c.notifiers[2].name == "alertmanager-2");
}

void checkDefaults(const Config& c) {
  const Config d;
  CHECK(c.listen == "127.0.0.1:9879");
  CHECK(c.state_dir == path("/var/lib/certvigil"));
  CHECK(c.interval == Seconds{3600});
  CHECK(c.concurrency == 64);
  CHECK(c.timeout == Seconds{10});
  CHECK(c.retention == d.retention);
  CHECK(c.thresholds.warning == Seconds{28 * 86400});
  CHECK(c.thresholds.critical == Seconds{7 * 86400});
  CHECK(c.thresholds.warning_fraction == doctest::Approx(0.33));
  CHECK(c.thresholds.critical_fraction == doctest::Approx(0.10));
  CHECK(c.trust.system);
  CHECK(c.trust.ca_files.empty());
  CHECK(c.endpoints.empty());
  CHECK(c.files.empty());
  CHECK(c.bundles.empty());
  CHECK(c.notifiers.empty());
  CHECK(c.api.token_file.empty());
  CHECK_FALSE(c.probe.allow_any_target);
}

TEST_CASE("an empty config is valid and all defaults") {
  SUBCASE("empty") { checkDefaults(loadValid("")); }
  SUBCASE("comments only") { checkDefaults(loadValid("# nothing yet\n\n")); }
  SUBCASE("empty sections") {
    checkDefaults(loadValid("thresholds:\ntrust:\nendpoints: []\nfiles:\napi: {}\nprobe:\n"));
  }
}

TEST_CASE("a partial section keeps the other defaults") {
  const Config c = loadValid("thresholds:\n  critical: 2d\n");
  CHECK(c.thresholds.critical == Seconds{2 * 86400});
  CHECK(c.thresholds.warning == Seconds{28 * 86400});
  CHECK(c.thresholds.warning_fraction == doctest::Approx(0.33));
}

TEST_CASE("relative paths resolve against the config file's directory") {
  const LoadOutcome o = loadFromString(
      "state_dir: state\n"
      "trust: {ca_files: [../pki/root.pem]}\n"
      "endpoints: [{address: 'a:1', client_cert: c/a.pem, client_key: ./c/a.key,\n"
      "             expect_file: x.pem}]\n"
      "files: [{path: 'certs/**/*.pem', key: k.key, chain: ch.pem, crl: c.crl}]\n"
      "bundles: [{path: ca.pem}]\n"
      "notifiers: [{type: slack, url_file: s.url}, {type: webhook, url: 'http://h/',\n"
      "             secret_file: w.secret}]\n"
      "api: {token_file: api.token}\n",
      "/opt/cv/conf/certvigil.yaml");
  INFO(listProblems(o));
  REQUIRE(o.ok());
  const Config& c = *o.config;
  CHECK(c.state_dir == path("/opt/cv/conf/state"));
  CHECK(c.trust.ca_files == std::vector<path>{"/opt/cv/pki/root.pem"});
  CHECK(c.endpoints[0].client_cert == path("/opt/cv/conf/c/a.pem"));
  CHECK(c.endpoints[0].client_key == path("/opt/cv/conf/c/a.key"));
  CHECK(c.endpoints[0].expect_file == path("/opt/cv/conf/x.pem"));
  CHECK(c.files[0].path == "/opt/cv/conf/certs/**/*.pem");
  CHECK(c.files[0].key == path("/opt/cv/conf/k.key"));
  CHECK(c.files[0].chain == path("/opt/cv/conf/ch.pem"));
  CHECK(c.files[0].crl_files == std::vector<path>{"/opt/cv/conf/c.crl"});
  CHECK(c.bundles[0].path == "/opt/cv/conf/ca.pem");
  CHECK(c.notifiers[0].url_file == path("/opt/cv/conf/s.url"));
  CHECK(c.notifiers[1].secret_file == path("/opt/cv/conf/w.secret"));
  CHECK(c.api.token_file == path("/opt/cv/conf/api.token"));
}

TEST_CASE("a CRL file entry: issuers is one path or a list, relative to the config file") {
  const LoadOutcome o = loadFromString(
      "files: [{path: clients.crl, issuers: ca.pem},\n"
      "        {path: /etc/haproxy/b.crl, issuers: [ca.pem, /etc/haproxy/int.pem]}]\n",
      "/opt/cv/conf/certvigil.yaml");
  INFO(listProblems(o));
  REQUIRE(o.ok());
  const Config& c = *o.config;
  CHECK(c.files[0].issuers == std::vector<path>{"/opt/cv/conf/ca.pem"});
  CHECK(c.files[1].issuers == std::vector<path>{"/opt/cv/conf/ca.pem", "/etc/haproxy/int.pem"});
  CHECK(c.files[0].crl_files.empty());
}

TEST_CASE("a relative config file name resolves against the working directory") {
  const LoadOutcome o = loadFromString("state_dir: st\n", "certvigil.yaml");
  REQUIRE(o.ok());
  CHECK(o.config->state_dir == std::filesystem::current_path() / "st");
  CHECK(o.config->source == std::filesystem::current_path() / "certvigil.yaml");
}

TEST_CASE("booleans accept YAML spellings") {
  CHECK_FALSE(loadValid("trust: {system: no}").trust.system);
  CHECK_FALSE(loadValid("trust: {system: False}").trust.system);
  CHECK(loadValid("probe: {allow_any_target: yes}").probe.allow_any_target);
}

TEST_CASE("the shipped example loads with zero problems") {
  const path example = testing::sourceDir() / "etc/certvigil.example.yaml";
  REQUIRE(std::filesystem::exists(example));
  const LoadOutcome o = loadFile(example);
  INFO(listProblems(o));
  REQUIRE(o.ok());
  CHECK_FALSE(o.config->endpoints.empty());
  CHECK_FALSE(o.config->files.empty());
  CHECK_FALSE(o.config->bundles.empty());
  CHECK_FALSE(o.config->notifiers.empty());
}

TEST_CASE("loadFile reads a file and reports what it cannot read") {
  testing::TempDir dir;
  const path file = testing::writeFile(dir / "c.yaml", "concurrency: 3\nstate_dir: st\n");
  const LoadOutcome good = loadFile(file);
  REQUIRE(good.ok());
  CHECK(good.config->concurrency == 3);
  CHECK(good.config->state_dir == dir.path() / "st");
  CHECK(good.config->source == file);

  const LoadOutcome missing = loadFile(dir / "nope.yaml");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0].describe() ==
        (dir / "nope.yaml").string() + ": cannot open: No such file or directory");
  const LoadOutcome directory = loadFile(dir.path());
  REQUIRE(directory.problems.size() == 1);
  CHECK(directory.problems[0].message.find("directory") != std::string::npos);
}

TEST_CASE("loading never opens the files a config names") {
  // None of these exist; a config is checked before what it names is deployed.
  const Config c = loadValid(
      "trust: {ca_files: [/nonexistent/root.pem]}\n"
      "files: [{path: /nonexistent/*.pem, key: /nonexistent/k}]\n"
      "api: {token_file: /nonexistent/token}\n");
  CHECK(c.files.size() == 1);
}

}  // namespace
}  // namespace certvigil::config::test
