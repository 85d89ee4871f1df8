// SPDX-License-Identifier: Apache-2.0
// config/web_config.cpp: exporter-toolkit web-config YAML -> WebConfig. Rules follow
// exporter-toolkit (strict keys, the header allow-list and values, client CAs need a client-auth
// policy, client_allowed_sans needs a required client certificate); one is stricter on purpose:
// a policy that verifies client certificates needs client CAs (Go would fall back to the system
// store, which lets any publicly issued certificate in). Hashes are never quoted in messages.
#include "config/web_config.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <span>
#include <tuple>

#include "config/yaml_guard.h"
#include "config/yaml_reader.h"

namespace certvigil::config {
namespace fs = std::filesystem;

namespace {

constexpr std::streamsize kMaxWebConfigBytes = 1 << 20;

constexpr std::array<std::string_view, 5> kClientAuthTypes{
    "NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
    "RequireAndVerifyClientCert"};
constexpr std::array<std::string_view, 4> kTlsVersions{"TLS10", "TLS11", "TLS12", "TLS13"};

// exporter-toolkit's allow-list: header -> accepted values (none listed: any value).
struct AllowedHeader {
  std::string_view name;
  std::array<std::string_view, 2> values;
  size_t count;  ///< how many of `values` are used
};
constexpr std::array<AllowedHeader, 5> kAllowedHeaders{{
    {"Strict-Transport-Security", {}, 0},
    {"X-Content-Type-Options", {"nosniff"}, 1},
    {"X-Frame-Options", {"deny", "sameorigin"}, 2},
    {"X-XSS-Protection", {}, 0},
    {"Content-Security-Policy", {}, 0},
}};

std::optional<ClientAuthType> clientAuthFromString(std::string_view text) {
  if (text == "RequireClientCert") return ClientAuthType::RequireAnyClientCert;  // old spelling
  for (size_t i = 0; i < kClientAuthTypes.size(); ++i) {
    if (kClientAuthTypes[i] == text) return static_cast<ClientAuthType>(i);
  }
  return std::nullopt;
}

std::optional<TlsVersion> tlsVersionFromString(std::string_view text) {
  for (size_t i = 0; i < kTlsVersions.size(); ++i) {
    if (kTlsVersions[i] == text) return static_cast<TlsVersion>(i);
  }
  return std::nullopt;
}

// Reads a list of names, each checked against `known`.
void readNames(Reader& reader, MapReader& m, std::string_view key, std::vector<std::string>& out,
               std::optional<std::string_view> (*known)(std::string_view), const char* what) {
  m.readStringList(key, out);
  for (size_t i = 0; i < out.size(); ++i) {
    if (known(out[i])) continue;
    reader.fail(m.child(key)[i].Mark(), indexPath(joinPath(m.path(), key), i),
                "unknown " + std::string(what) + " '" + out[i] + "'");
  }
}

void readTls(Reader& reader, const YAML::Node& node, WebTlsConfig& t) {
  MapReader m(reader, node, "tls_server_config",
              {"cert", "key", "client_ca", "cert_file", "key_file", "client_auth_type",
               "client_ca_file", "client_allowed_sans", "min_version", "max_version",
               "cipher_suites", "prefer_server_cipher_suites", "curve_preferences"});
  m.readString("cert", t.cert);
  m.readString("key", t.key);
  m.readString("client_ca", t.client_ca);
  m.readPath("cert_file", t.cert_file);
  m.readPath("key_file", t.key_file);
  m.readPath("client_ca_file", t.client_ca_file);
  m.readChoice("client_auth_type", t.client_auth, clientAuthFromString, kClientAuthTypes);
  m.readChoice("min_version", t.min_version, tlsVersionFromString, kTlsVersions);
  m.readChoice("max_version", t.max_version, tlsVersionFromString, kTlsVersions);
  m.readBool("prefer_server_cipher_suites", t.prefer_server_cipher_suites);
  m.readStringList("client_allowed_sans", t.client_allowed_sans);
  readNames(reader, m, "cipher_suites", t.cipher_suites, openSslCipherName, "cipher suite");
  readNames(reader, m, "curve_preferences", t.curve_preferences, openSslGroupName, "curve");
}

void checkHeader(Reader& reader, const YAML::Node& key, const YAML::Node& value,
                 WebHttpConfig& http) {
  const std::string& name = key.Scalar();
  const std::string path = "http_server_config.headers." + name;
  const auto* it = std::find_if(kAllowedHeaders.begin(), kAllowedHeaders.end(),
                                [&name](const AllowedHeader& h) { return h.name == name; });
  if (it == kAllowedHeaders.end()) {
    reader.fail(key.Mark(), path, "HTTP header '" + name + "' can not be configured");
    return;
  }
  if (!value.IsScalar()) {
    reader.fail(value.Mark(), path, "expected a single value");
    return;
  }
  const std::string& text = value.Scalar();
  const auto values = std::span(it->values).first(it->count);
  if (!values.empty() && std::find(values.begin(), values.end(), text) == values.end()) {
    std::string choices;
    for (std::string_view v : values) choices += (choices.empty() ? "" : " | ") + std::string(v);
    reader.fail(value.Mark(), path, "'" + text + "' is not one of " + choices);
    return;
  }
  if (text.find_first_of("\r\n") != std::string::npos) {
    reader.fail(value.Mark(), path, "a header value cannot span lines");
    return;
  }
  if (!text.empty()) http.headers.emplace_back(name, text);  // blank: unset
}

void readHttp(Reader& reader, const YAML::Node& node, WebHttpConfig& http) {
  MapReader m(reader, node, "http_server_config", {"http2", "headers"});
  m.readBool("http2", http.http2);
  const YAML::Node headers = m.child("headers");
  if (!headers.IsDefined() || headers.IsNull()) return;
  if (!headers.IsMap()) {
    reader.fail(headers.Mark(), "http_server_config.headers", "expected a mapping");
    return;
  }
  for (const auto& entry : headers) checkHeader(reader, entry.first, entry.second, http);
}

void readUsers(Reader& reader, const YAML::Node& node, std::map<std::string, std::string>& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    reader.fail(node.Mark(), "basic_auth_users", "expected a mapping of user: bcrypt hash");
    return;
  }
  for (const auto& entry : node) {
    const std::string user = entry.first.Scalar();
    const std::string path = "basic_auth_users." + user;
    if (out.count(user) != 0) {
      reader.fail(entry.first.Mark(), path, "user '" + user + "' is listed twice");
    } else if (user.empty() || user.find(':') != std::string::npos) {
      reader.fail(entry.first.Mark(), path, "a user name must be non-empty and without ':'");
    } else if (!entry.second.IsScalar() || !isBcryptHash(entry.second.Scalar())) {
      reader.fail(entry.second.Mark(), path,
                  "not a bcrypt hash ($2y$/$2b$/$2a$, cost 04-31, 60 characters): make one with "
                  "htpasswd -nBC 10 \"\" | tr -d ':\\n'");
    } else {
      out.emplace(user, entry.second.Scalar());
    }
  }
}

bool hasClientCas(const WebTlsConfig& t) {
  return !t.client_ca_file.empty() || !t.client_ca.empty();
}

// Cross-field rules, reported at the key they concern.
void checkTls(const WebTlsConfig& t, const SourceMap& where, std::vector<ConfigProblem>& out) {
  if (!t.enabled() || where.failed("tls_server_config")) return;
  auto report = [&](const std::string& key, std::string message) {
    out.push_back(where.problem("tls_server_config." + key, std::move(message)));
  };
  if (t.cert_file.empty() == t.cert.empty()) report("cert_file", "needs one of cert or cert_file");
  if (t.key_file.empty() == t.key.empty()) report("key_file", "needs one of key or key_file");
  if (!t.client_ca_file.empty() && !t.client_ca.empty())
    report("client_ca_file", "client_ca and client_ca_file are exclusive");
  if (hasClientCas(t) && !t.requestsClientCert())
    report("client_ca_file", "client CAs are configured without a client_auth_type");
  const bool verifies = t.client_auth == ClientAuthType::VerifyClientCertIfGiven ||
                        t.client_auth == ClientAuthType::RequireAndVerifyClientCert;
  if (verifies && !hasClientCas(t))
    report("client_auth_type", std::string(toString(t.client_auth)) + " needs client_ca_file");
  const bool requires_cert = t.client_auth == ClientAuthType::RequireAnyClientCert ||
                             t.client_auth == ClientAuthType::RequireAndVerifyClientCert;
  if (!t.client_allowed_sans.empty() && !requires_cert)
    report("client_allowed_sans",
           "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert");
  if (t.min_version > t.max_version) report("min_version", "min_version is above max_version");
}

void readWebConfig(Reader& reader, const YAML::Node& node, WebConfig& c) {
  MapReader root(reader, node, "",
                 {"tls_server_config", "http_server_config", "basic_auth_users", "rate_limit"});
  if (root.has("rate_limit")) {
    reader.fail(root.child("rate_limit").Mark(), "rate_limit",
                "rate_limit is not supported by certvigil: remove it (the listener bounds its "
                "worker threads and request sizes instead)");
  }
  readTls(reader, root.child("tls_server_config"), c.tls);
  readHttp(reader, root.child("http_server_config"), c.http);
  readUsers(reader, root.child("basic_auth_users"), c.basic_auth_users);
}

ConfigProblem problemAt(const std::string& file, const YAML::Mark& mark, std::string message) {
  if (mark.is_null()) return ConfigProblem{file, 0, 0, "", std::move(message)};
  return ConfigProblem{file, mark.line + 1, mark.column + 1, "", std::move(message)};
}

}  // namespace

WebConfigOutcome loadWebConfigFromString(const std::string& yaml, const std::string& file) {
  WebConfigOutcome out;
  WebConfig config;
  std::error_code ec;
  config.source = file.empty() ? fs::path() : fs::absolute(file, ec).lexically_normal();
  SourceMap where(file);
  Reader reader(where, out.problems, config.source.parent_path());
  try {
    if (const std::optional<YAML::Mark> stuck = findStuckDocument(yaml)) {
      out.problems.push_back(problemAt(file, *stuck, "YAML syntax error"));
      return out;
    }
    const YAML::Node doc = YAML::Load(yaml);
    readWebConfig(reader, doc, config);
  } catch (const YAML::Exception& e) {
    out.problems.push_back(problemAt(file, e.mark, "YAML syntax error: " + e.msg));
    return out;
  }
  checkTls(config.tls, where, out.problems);
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  if (out.problems.empty()) out.config = std::move(config);
  return out;
}

WebConfigOutcome loadWebConfigFile(const fs::path& path) {
  WebConfigOutcome out;
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  std::error_code ec;
  if (!in || fs::is_directory(path, ec)) {
    out.problems.push_back({path.string(), 0, 0, "",
                            std::string("cannot read the web config file: ") +
                                (errno != 0 ? std::strerror(errno) : "not a regular file")});
    return out;
  }
  std::string text(static_cast<size_t>(kMaxWebConfigBytes) + 1, '\0');
  in.read(text.data(), kMaxWebConfigBytes + 1);
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.gcount() > kMaxWebConfigBytes) {
    out.problems.push_back({path.string(), 0, 0, "", "larger than 1 MiB: not a web config"});
    return out;
  }
  return loadWebConfigFromString(text, path.string());
}

WebConfigOutcome listenerWebConfig(const Config& config, const fs::path& override_file) {
  const fs::path file = override_file.empty() ? config.web_config_file : override_file;
  WebConfigOutcome out = file.empty() ? WebConfigOutcome{WebConfig{}, {}} : loadWebConfigFile(file);
  if (!out.ok() || !config.tls.enabled()) return out;
  if (out.config->tls.enabled()) {
    out.problems.push_back({config.source.string(), 0, 0, "tls",
                            "both tls: and " + file.string() +
                                " (tls_server_config) configure the listener's TLS: keep one"});
    out.config.reset();
    return out;
  }
  WebTlsConfig& tls = out.config->tls;  // the short form, as tls_server_config
  tls.cert_file = config.tls.cert_file;
  tls.key_file = config.tls.key_file;
  tls.client_ca_file = config.tls.client_ca_file;
  if (!tls.client_ca_file.empty()) tls.client_auth = ClientAuthType::RequireAndVerifyClientCert;
  return out;
}

}  // namespace certvigil::config
