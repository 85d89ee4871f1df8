// SPDX-License-Identifier: Apache-2.0
// discovery/collector.h: what the three parsers share once they have understood a server block:
// a TLS server (its listen addresses, names, certificates, client CAs, CRLs, mTLS expectation) or
// a TLS client (the certificate it presents upstream), turned into discovered items, paired and
// without duplicates. Internal to discovery/.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "discovery/discovery.h"

namespace certvigil::discovery {

/// A listening address as written, already split ("*" and "" mean every address).
struct ListenAddress {
  std::string host;
  int port = 0;
  Origin origin;
  std::string directive;
};

/// A certificate a server presents, with its key and the names it is chosen for (HAProxy
/// crt-list SNI filters); empty names: chosen for every name of the server.
struct ServedCertificate {
  std::string cert;
  std::string key;
  std::string chain;
  Origin origin;
  std::string directive;
  std::vector<std::string> names;
};

/// One TLS server block as its parser understood it.
struct TlsServer {
  std::vector<ListenAddress> listens;
  std::vector<std::string> names;  ///< SNI names usable for probing, in order
  std::vector<ServedCertificate> certificates;
  config::MtlsMode mtls = config::MtlsMode::None;
  std::vector<DiscoveredPath> client_cas;
  std::vector<DiscoveredPath> crls;
  Origin origin;  ///< the server block, for messages
  /// The server checks a CRL for every CA of a peer's path (nginx, HAProxy, Apache
  /// `SSLCARevocationCheck chain`), so each CA of `client_cas` needs one in its CRL files.
  bool crl_whole_path = true;
  /// False when the server may choose among certificates the configuration does not list (a
  /// HAProxy crt directory): no endpoint is paired with a generic certificate then.
  bool pair_generic = true;
};

/// One certificate presented to an upstream (a proxy's client certificate).
struct TlsClient {
  std::string cert;
  std::string key;
  Origin origin;
  std::string directive;
  std::string upstream;    ///< "host:port" when literal, else ""
  std::string servername;  ///< SNI sent upstream, "" for the host
  Origin upstream_origin;
};

/// Appends discovered items to a Discovery, without duplicates.
class Collector {
 public:
  explicit Collector(Discovery& out) : out_(out) {}

  void addServer(const TlsServer& server);
  void addClient(const TlsClient& client);
  void addBundle(const DiscoveredPath& bundle);
  void addCrl(const DiscoveredPath& crl);
  void skip(const Origin& origin, std::string directive, std::string reason);
  void problem(const std::string& text);

 private:
  void addEndpoint(const DiscoveredEndpoint& endpoint);
  void addServerFile(const ServedCertificate& certificate, const std::vector<std::string>& names);
  /// The certificate `name` is served with, or nullptr when the configuration cannot tell.
  const ServedCertificate* certificateFor(const TlsServer& server, const std::string& name);

  Discovery& out_;
  std::set<std::string> endpoint_names_;
};

/// The target name certvigil gives an endpoint entry (as scheduler::endpointTargetName):
/// "address", or "address/servername" when it names another host.
std::string endpointName(const config::EndpointConfig& endpoint);

/// The address certvigil dials for a listening address: "127.0.0.1" for the wildcard binds
/// ("*", "", "0.0.0.0", "::"), IPv6 literals in brackets; "host:port".
std::string dialAddress(const std::string& host, int port);

/// Splits "host:port", "[v6]:port", "port" or "host" (with `default_port`); false when the
/// port is not a number in 1-65535.
bool splitListen(const std::string& text, int default_port, std::string& host, int& port);

/// True for a name that can be sent as SNI: not empty, no wildcard, no regex, not "_".
bool usableServerName(const std::string& name);

/// `path` made absolute against `base` (a directory); "" stays "".
std::string absoluteAgainst(const std::string& path, const std::filesystem::path& base);

}  // namespace certvigil::discovery
