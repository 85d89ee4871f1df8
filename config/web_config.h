// SPDX-License-Identifier: Apache-2.0
// config/web_config.h: the listener's web configuration in the Prometheus exporter-toolkit
// format (`web_config_file:`, `certvigil run --web.config.file`): TLS and mTLS
// (`tls_server_config`), response headers (`http_server_config`) and basic auth
// (`basic_auth_users`, bcrypt hashes). The file is parsed with the same problem-collecting reader
// as the main config, so every mistake is reported with file:line:col. The older `tls:` block of
// the main config is the short form of `tls_server_config`; the two may not both configure TLS.
// Parsing only: certificate and key files are loaded and checked by exporters/http.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"

namespace certvigil::config {

/// Go's crypto/tls ClientAuthType, as exporter-toolkit spells it.
enum class ClientAuthType {
  NoClientCert,
  RequestClientCert,           ///< asked for, any certificate (or none) accepted
  RequireAnyClientCert,        ///< required, not verified
  VerifyClientCertIfGiven,     ///< optional, verified when sent
  RequireAndVerifyClientCert,  ///< required and verified against client_ca_file (mTLS)
};

/// A TLS protocol version, as exporter-toolkit spells it ("TLS12").
enum class TlsVersion { Tls10, Tls11, Tls12, Tls13 };

/// `tls_server_config`. TLS is on when any certificate, key or client-auth field is set.
struct WebTlsConfig {
  std::filesystem::path cert_file;       ///< PEM: certificate, then intermediates
  std::filesystem::path key_file;        ///< PEM: its private key
  std::filesystem::path client_ca_file;  ///< PEM: CAs that client certificates must chain to
  std::string cert;                      ///< inline PEM instead of cert_file
  std::string key;                       ///< inline PEM instead of key_file (a secret)
  std::string client_ca;                 ///< inline PEM instead of client_ca_file
  ClientAuthType client_auth = ClientAuthType::NoClientCert;
  TlsVersion min_version = TlsVersion::Tls12;
  TlsVersion max_version = TlsVersion::Tls13;
  std::vector<std::string> cipher_suites;  ///< Go names (TLS 1.2 and below), in preference order
  bool prefer_server_cipher_suites = true;
  std::vector<std::string> curve_preferences;    ///< Go names: CurveP256, X25519, ...
  std::vector<std::string> client_allowed_sans;  ///< a client certificate must carry one of these

  /// Whether TLS is configured at all (exporter-toolkit's IsEnabled).
  bool enabled() const;
  /// Whether a client certificate is asked for.
  bool requestsClientCert() const { return client_auth != ClientAuthType::NoClientCert; }
};

/// `http_server_config`.
struct WebHttpConfig {
  bool http2 = true;  ///< accepted for compatibility; the listener speaks HTTP/1.1 only
  std::vector<std::pair<std::string, std::string>> headers;  ///< added to every response
};

/// One exporter-toolkit web configuration.
struct WebConfig {
  WebTlsConfig tls;
  WebHttpConfig http;
  std::map<std::string, std::string> basic_auth_users;  ///< user -> bcrypt hash (secret)
  std::filesystem::path source;                         ///< the file, or empty
};

/// A web configuration, or every problem found in it (then `config` is empty).
struct WebConfigOutcome {
  std::optional<WebConfig> config;
  std::vector<ConfigProblem> problems;
  bool ok() const { return config.has_value() && problems.empty(); }
};

/// Parses web-config YAML text; relative paths are resolved against the directory of `file`.
WebConfigOutcome loadWebConfigFromString(const std::string& yaml, const std::string& file);
/// Reads and parses a web-config file.
WebConfigOutcome loadWebConfigFile(const std::filesystem::path& path);
/// The listener's effective web configuration: `override_file` (--web.config.file) or the
/// config's `web_config_file`, with the `tls:` short form folded in; both configuring TLS is a
/// problem. No web-config file and no `tls:` is a valid, empty configuration (plain HTTP, no
/// basic auth).
WebConfigOutcome listenerWebConfig(const Config& config,
                                   const std::filesystem::path& override_file = {});

/// OpenSSL's name of a Go TLS 1.2 cipher suite ("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" ->
/// "ECDHE-RSA-AES128-GCM-SHA256"); "" for a TLS 1.3 suite (not configurable, as in Go); nullopt
/// when Go's crypto/tls.CipherSuites() does not list the name.
std::optional<std::string_view> openSslCipherName(std::string_view go_name);
/// OpenSSL's group name of a Go curve ("CurveP256" -> "P-256"); nullopt when unknown.
std::optional<std::string_view> openSslGroupName(std::string_view go_name);
/// Whether `hash` is a bcrypt hash libxcrypt verifies: $2a$, $2b$ or $2y$, a cost of 04-31, 53
/// characters of salt and hash.
bool isBcryptHash(std::string_view hash);
/// The cost of a bcrypt hash (isBcryptHash must hold).
int bcryptCost(std::string_view hash);

/// "NoClientCert" ... "RequireAndVerifyClientCert".
std::string_view toString(ClientAuthType type);
/// "TLS10" ... "TLS13".
std::string_view toString(TlsVersion version);

}  // namespace certvigil::config
