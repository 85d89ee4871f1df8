// SPDX-License-Identifier: Apache-2.0
// discovery/discovery.h: what a web server's own configuration says it uses. The nginx, Apache
// and HAProxy parsers read the real configuration files (following includes, never running the
// server) and list what certvigil should watch, paired as the server uses it: each TLS endpoint
// (address x server name) with the certificate file it is configured to serve, the server- and
// client-role certificate files with their keys, the client-CA bundles, the CRL files, and the
// directives that could not be resolved (with the reason). Every item says where it came from.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace certvigil::discovery {

/// The web servers whose configuration certvigil reads.
enum class ServerKind { Nginx, Apache, Haproxy };

/// "nginx" | "apache" | "haproxy".
std::string_view toString(ServerKind kind);
/// The inverse of toString; nullopt for anything else.
std::optional<ServerKind> serverKindFromString(std::string_view text);
/// The Debian default main configuration file of each server.
std::filesystem::path defaultConfigPath(ServerKind kind);
/// The `source` label of what a server's configuration yielded: "discover:nginx".
std::string sourceLabel(ServerKind kind);
/// Recognises the server kind of a configuration file by its name and, failing that, by the
/// directives it holds; nullopt when neither says.
std::optional<ServerKind> detectServerKind(const std::filesystem::path& file);

/// Where a directive was written.
struct Origin {
  std::string file;
  int line = 0;
  /// "file:line".
  std::string describe() const;
  friend bool operator==(const Origin&, const Origin&) = default;
};

/// A TLS endpoint the server listens on, for one server name, with the certificate it serves.
struct DiscoveredEndpoint {
  config::EndpointConfig endpoint;  ///< address, servername, mtls, expect_file, client_*
  Origin origin;                    ///< the listen / bind / VirtualHost directive
  std::string directive;            ///< "listen", "bind", "<VirtualHost>", "proxy_pass", "server"
};

/// A certificate file the server presents (server role) or presents upstream (client role).
struct DiscoveredFile {
  config::FileConfig file;             ///< path, role, key, chain
  Origin origin;                       ///< the certificate directive
  std::string directive;               ///< "ssl_certificate", "SSLCertificateFile", "crt", ...
  std::vector<std::string> endpoints;  ///< target names of the endpoints that serve it
};

/// A CA bundle the server verifies peers with, or a CRL file it checks them against.
struct DiscoveredPath {
  std::string path;
  Origin origin;
  std::string directive;
  /// CRLs: the CA bundles the server verifies peers with, whose every CA needs a CRL in the
  /// file (OpenSSL's CRL check covers the whole path); empty when the server checks less (Apache
  /// `SSLCARevocationCheck leaf`) or names no bundle: the CRLs are judged on their dates only.
  std::vector<std::string> issuers;
};

/// A directive that names TLS material certvigil cannot resolve from the files alone.
struct SkippedDirective {
  Origin origin;
  std::string directive;  ///< the directive and its argument, as written
  std::string reason;     ///< "a variable in the path ($ssl_server_name)"
};

/// Everything one server configuration yielded.
struct Discovery {
  ServerKind server = ServerKind::Nginx;
  std::filesystem::path config;  ///< the main file read
  std::vector<DiscoveredEndpoint> endpoints;
  std::vector<DiscoveredFile> files;
  std::vector<DiscoveredPath> bundles;
  std::vector<DiscoveredPath> crls;
  std::vector<SkippedDirective> skipped;
  /// Files that could not be read (the main file, an include): "file:line: cannot open ...".
  std::vector<std::string> problems;
};

/// Reads the configuration of `server` starting at `main_file` (includes followed). Never runs
/// the server; an unreadable file is a problem in the result, never an exception.
Discovery discover(ServerKind server, const std::filesystem::path& main_file);

}  // namespace certvigil::discovery
