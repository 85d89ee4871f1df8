// SPDX-License-Identifier: Apache-2.0
// config/load_targets.cpp: the list entries of a config: endpoints, files, bundles, notifiers.
// Only reading happens here; rules that combine keys live in validate.cpp.
#include <array>

#include "config/sections.h"

namespace certvigil::config {
namespace {

constexpr std::array<std::string_view, 3> kMtlsChoices{"required", "optional", "none"};
constexpr std::array<std::string_view, 8> kStartTlsChoices{"smtp", "imap",     "pop3", "ftp",
                                                           "ldap", "postgres", "xmpp", "none"};
constexpr std::array<std::string_view, 3> kRoleChoices{"client", "server", "auto"};
constexpr std::array<std::string_view, 3> kNotifierChoices{"webhook", "slack", "alertmanager"};

/// Files take client | server | auto; CA bundles have their own section.
std::optional<Role> fileRoleFromString(std::string_view text) {
  const std::optional<Role> role = roleFromString(text);
  if (role == Role::CaBundle) return std::nullopt;
  return role;
}

int lineOf(Reader& reader, const std::string& path) { return reader.map().find(path).line; }

}  // namespace

EndpointConfig readEndpoint(Reader& reader, const YAML::Node& node, const std::string& path) {
  EndpointConfig e;
  e.line = lineOf(reader, path);
  MapReader m(reader, node, path,
              {"address", "servername", "mtls", "client_cert", "client_key", "client_pkcs12",
               "password_file", "expect_file", "starttls", "all_addresses", "interval", "timeout",
               "clients", "revocation"});
  m.readString("address", e.address);
  m.readString("servername", e.servername);
  m.readChoice("mtls", e.mtls, &mtlsModeFromString, kMtlsChoices);
  m.readPath("client_cert", e.client_cert);
  m.readPath("client_key", e.client_key);
  m.readPath("client_pkcs12", e.client_pkcs12);
  m.readPath("password_file", e.password_file);
  m.readPath("expect_file", e.expect_file);
  m.readChoice("starttls", e.starttls, &startTlsFromString, kStartTlsChoices);
  m.readBool("all_addresses", e.all_addresses);
  m.readDuration("interval", e.interval);
  m.readDuration("timeout", e.timeout);
  m.readClients("clients", e.clients);
  return e;
}

FileConfig readFileEntry(Reader& reader, const YAML::Node& node, const std::string& path) {
  FileConfig f;
  f.line = lineOf(reader, path);
  MapReader m(reader, node, path,
              {"path", "role", "key", "password_file", "chain", "crl", "issuers", "hostname",
               "interval", "clients", "revocation"});
  m.readPathText("path", f.path);
  m.readChoice("role", f.role, &fileRoleFromString, kRoleChoices);
  m.readPath("key", f.key);
  m.readPath("password_file", f.password_file);
  m.readPath("chain", f.chain);
  m.readPathList("crl", f.crl_files, /*scalar_ok=*/true);
  m.readPathList("issuers", f.issuers, /*scalar_ok=*/true);
  m.readString("hostname", f.hostname);
  m.readDuration("interval", f.interval);
  m.readClients("clients", f.clients);
  return f;
}

BundleConfig readBundle(Reader& reader, const YAML::Node& node, const std::string& path) {
  BundleConfig b;
  b.line = lineOf(reader, path);
  MapReader m(reader, node, path, {"path", "interval", "clients"});
  m.readPathText("path", b.path);
  m.readDuration("interval", b.interval);
  m.readClients("clients", b.clients);
  return b;
}

NotifierConfig readNotifier(Reader& reader, const YAML::Node& node, const std::string& path) {
  NotifierConfig n;
  n.line = lineOf(reader, path);
  MapReader m(reader, node, path,
              {"type", "name", "url", "url_file", "secret_file", "severities", "codes",
               "repeat_interval", "max_age", "timeout"});
  if (m.ok() && !m.has("type")) {
    reader.fail(node.Mark(), joinPath(path, "type"),
                "type is required (webhook | slack | alertmanager)");
  }
  m.readChoice("type", n.type, &notifierTypeFromString, kNotifierChoices);
  m.readString("name", n.name);
  m.readString("url", n.url);
  m.readPath("url_file", n.url_file);
  m.readPath("secret_file", n.secret_file);
  m.readStringList("severities", n.severities);
  m.readStringList("codes", n.codes);
  m.readDuration("repeat_interval", n.repeat_interval);
  m.readDuration("max_age", n.max_age);
  m.readDuration("timeout", n.timeout);
  return n;
}

}  // namespace certvigil::config
