// SPDX-License-Identifier: Apache-2.0
// config/config.h: the typed configuration (docs/CONFIGURATION.md), with its defaults set
// here, before parsing. Immutable once loaded: the daemon shares a shared_ptr<const Config>.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/policy.h"
#include "core/result.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil::config {

enum class MtlsMode { None, Optional, Required };
enum class StartTls { None, Smtp, Imap, Pop3, Ftp, Ldap, Postgres, Xmpp };
enum class NotifierType { Webhook, Slack, Alertmanager };

/// `revocation: crl / ocsp`: ask the CA (auto) or not (off).
enum class RevocationMode { Auto, Off };

/// The `revocation:` block, globally and per endpoint or file entry: how certvigil asks the CA
/// whether a certificate is revoked (CRL distribution points, OCSP responders).
struct RevocationConfig {
  RevocationMode crl = RevocationMode::Auto;
  RevocationMode ocsp = RevocationMode::Auto;
  Seconds timeout{Seconds{10}};                       ///< per fetch, beside the probe's deadline
  int64_t max_crl_bytes = int64_t{20} * 1024 * 1024;  ///< a larger CRL is revocation_unknown
  bool soft_fail = true;  ///< false: revocation_unknown is critical instead of a warning
  friend bool operator==(const RevocationConfig&, const RevocationConfig&) = default;
};

/// One `acme:` entry: the ACME directory (RFC 8555) whose renewal information (RFC 9773) is asked
/// for the leaf certificates it matches: those whose issuer is `issuer` (RFC 2253, as certvigil
/// prints it), whose authorityKeyIdentifier is `aki` (hex) and whose target matches `target` (a
/// glob), every selector it names; an entry naming none matches every leaf with an
/// authorityKeyIdentifier.
struct AcmeConfig {
  std::string directory;  ///< the directory URL, http(s)
  std::string issuer;     ///< "" or an issuer name
  std::string aki;        ///< "" or the issuer's key identifier, lower-case hex without colons
  std::string target;     ///< "" or a glob over target names (file paths, host:port)
  friend bool operator==(const AcmeConfig&, const AcmeConfig&) = default;
};

struct TrustConfig {
  bool system = true;
  std::vector<std::filesystem::path> ca_files;
};

struct EndpointConfig {
  std::string address;     ///< host:port or [v6]:port
  std::string servername;  ///< SNI and the name verified; default: the host part
  MtlsMode mtls = MtlsMode::None;
  std::filesystem::path client_cert;
  std::filesystem::path client_key;
  std::filesystem::path client_pkcs12;
  std::filesystem::path password_file;
  std::filesystem::path expect_file;
  StartTls starttls = StartTls::None;
  bool all_addresses = false;
  std::optional<Seconds> interval;             ///< overrides Config::interval
  std::optional<Seconds> timeout;              ///< overrides Config::timeout
  std::optional<ClientSet> clients;            ///< overrides Config::clients
  std::optional<RevocationConfig> revocation;  ///< overrides Config::revocation
  int line = 0;                                ///< where it was defined, for messages
};

struct FileConfig {
  std::string path;  ///< a file, a directory (recursive) or a glob (**, *, ?)
  Role role = Role::Auto;
  std::filesystem::path key;  ///< the private key of the certificate
  std::filesystem::path password_file;
  std::filesystem::path chain;  ///< intermediates presented with it
  std::vector<std::filesystem::path> crl_files;
  /// A CRL file a server checks peers against: the CA bundles it verifies them with (its
  /// ssl_client_certificate); each CA of them needs a current CRL, signed by it, in the file.
  std::vector<std::filesystem::path> issuers;
  std::string hostname;  ///< a name the certificate must cover
  std::optional<Seconds> interval;
  std::optional<ClientSet> clients;            ///< overrides Config::clients
  std::optional<RevocationConfig> revocation;  ///< overrides Config::revocation
  int line = 0;
};

struct BundleConfig {
  std::string path;
  std::optional<Seconds> interval;
  std::optional<ClientSet> clients;  ///< overrides Config::clients
  int line = 0;
};

/// A `discover:` entry: a web server configuration whose TLS material is watched.
struct DiscoverConfig {
  std::string server;               ///< "nginx" | "apache" | "haproxy"
  std::filesystem::path path;       ///< its main file; empty: the distribution default
  std::optional<Seconds> interval;  ///< overrides Config::interval
  int line = 0;
};

/// A kubeconfig file (config/load_kubeconfig.cpp): its users' client certificates and its
/// clusters' CAs.
struct KubeconfigConfig {
  std::filesystem::path path;
  /// `probe_servers`: also probe each context's cluster `server` over TLS with its user's
  /// client certificate (network traffic to the API servers, so off unless asked for).
  bool probe_servers = false;
  std::optional<Seconds> interval;
  std::optional<ClientSet> clients;  ///< overrides Config::clients
  int line = 0;
};

struct NotifierConfig {
  NotifierType type = NotifierType::Webhook;
  std::string name;                     ///< default: "<type>-<index>"
  std::string url;                      ///< secret-free URL (webhook, alertmanager)
  std::filesystem::path url_file;       ///< file holding a URL with a token (slack: required)
  std::filesystem::path secret_file;    ///< HMAC secret (webhook)
  std::vector<std::string> severities;  ///< filter; empty: all
  std::vector<std::string> codes;       ///< filter; empty: all
  Seconds repeat_interval{Seconds{24 * 3600}};
  Seconds max_age{Seconds{24 * 3600}};
  Seconds timeout{Seconds{10}};
  int line = 0;

  bool operator==(const NotifierConfig&) const = default;
};

/// The listener's own TLS (the `tls:` block): off while cert_file is empty.
struct ListenTlsConfig {
  std::filesystem::path cert_file;       ///< PEM: the listener's certificate, then intermediates
  std::filesystem::path key_file;        ///< PEM: its private key (unencrypted)
  std::filesystem::path client_ca_file;  ///< set: clients must present a certificate from these CAs
  bool enabled() const { return !cert_file.empty(); }
};

struct ApiConfig {
  std::filesystem::path token_file;
};

struct ProbeConfig {
  bool allow_any_target = false;  ///< /probe of targets not in the config (an open proxy)
};

struct Config {
  std::string listen = "127.0.0.1:9879";
  std::filesystem::path state_dir = "/var/lib/certvigil";
  Seconds interval{Seconds{3600}};
  int concurrency = 64;
  Seconds timeout{Seconds{10}};
  Thresholds thresholds;
  /// Whose verdict matters where clients differ (default: openssl, go, chromium, rustls).
  ClientSet clients = ClientSet::defaults();
  TrustConfig trust;
  RevocationConfig revocation;
  std::vector<AcmeConfig> acme;  ///< ACME renewal information per issuer (the `acme:` list)
  std::vector<EndpointConfig> endpoints;
  std::vector<FileConfig> files;
  std::vector<BundleConfig> bundles;
  std::vector<DiscoverConfig> discover;
  std::vector<KubeconfigConfig> kubeconfigs;  ///< the `kubeconfig:` list
  std::vector<NotifierConfig> notifiers;
  ApiConfig api;
  ListenTlsConfig tls;
  ProbeConfig probe;
  std::filesystem::path web_config_file;   ///< exporter-toolkit web config (config/web_config.h)
  Seconds retention{Seconds{30 * 86400}};  ///< scans older than this are deleted
  std::filesystem::path source;            ///< the file it was loaded from

  /// The database file: state_dir / "certvigil.db".
  std::filesystem::path databasePath() const { return state_dir / "certvigil.db"; }
};

using ConfigPtr = std::shared_ptr<const Config>;

/// One problem in a config file, with where it is.
struct ConfigProblem {
  std::string file;
  int line = 0;          ///< 1-based, 0 if unknown
  int column = 0;        ///< 1-based, 0 if unknown
  std::string key_path;  ///< e.g. "endpoints[2].mtls"
  std::string message;

  /// "file:line:col: key_path: message".
  std::string describe() const;
};

/// Loads and validates a config; on failure every problem is listed (not only the first),
/// in file order, and `config` is empty: a config with problems is never half-used.
struct LoadOutcome {
  std::optional<Config> config;
  std::vector<ConfigProblem> problems;
  bool ok() const { return config.has_value() && problems.empty(); }
};

/// Parses YAML text (file names the source in messages). Relative paths are resolved
/// against the directory of `file`. An empty document is a valid config with every default.
/// Never reads any other file: paths (including secrets) are only recorded, not opened.
LoadOutcome loadFromString(const std::string& yaml, const std::string& file);
/// Reads and parses a file.
LoadOutcome loadFile(const std::filesystem::path& path);

/// "90s", "15m", "1h", "7d", "2w" or a bare number of seconds; units may be combined
/// ("1h30m"). nullopt for anything else (negative, fractional, unknown unit, overflow).
std::optional<Seconds> parseDuration(const std::string& text);
/// An exact spelling parseDuration reads back, in days and smaller: "90s" -> "1m30s",
/// "7d", "1h30m", "0s".
std::string formatDuration(Seconds duration);

/// A host name as clients send and compare it: non-ASCII names converted to A-labels
/// ("bücher.example" -> "xn--bcher-kva.example"), ASCII names unchanged; nullopt (with *why)
/// when the name is not a valid internationalised name.
std::optional<std::string> toALabel(std::string_view name, std::string* why = nullptr);

/// "20MB", "512KB", "1GB", "1048576" (bytes; KB, MB and GB are powers of 1024); nullopt for
/// anything else (negative, fractional, unknown unit, overflow).
std::optional<int64_t> parseByteSize(const std::string& text);
/// "auto" | "off".
std::string_view toString(RevocationMode mode);
std::optional<RevocationMode> revocationModeFromString(std::string_view text);

/// The config spellings: "none" | "optional" | "required".
std::string_view toString(MtlsMode mode);
/// "none" | "smtp" | "imap" | "pop3" | "ftp" | "ldap" | "postgres" | "xmpp".
std::string_view toString(StartTls mode);
/// "webhook" | "slack" | "alertmanager".
std::string_view toString(NotifierType type);
/// The inverses of toString (also for the CLI's --mtls and --starttls); nullopt if unknown.
std::optional<MtlsMode> mtlsModeFromString(std::string_view text);
std::optional<StartTls> startTlsFromString(std::string_view text);
std::optional<NotifierType> notifierTypeFromString(std::string_view text);

/// An endpoint address split into its parts: "api:443" -> {"api", 443}, "[::1]:443" ->
/// {"::1", 443}. Brackets are required around IPv6 literals.
struct HostPort {
  std::string host;
  int port = 0;
};
/// Parses "host:port" or "[v6]:port" with port 1-65535 (0 too when allow_port_zero);
/// nullopt plus a reason in *why (if given) when it is neither.
std::optional<HostPort> parseHostPort(std::string_view text, bool allow_port_zero = false,
                                      std::string* why = nullptr);

}  // namespace certvigil::config
