// SPDX-License-Identifier: Apache-2.0
// discovery/collector.cpp: pairing and deduplication shared by the parsers. An endpoint is
// paired with the certificate file it serves (expect_file) only when the configuration says
// which one: a single certificate, or one chosen for that very name. Two listen directives that
// end up at the same dialled address (443 and [::]:443) are one endpoint.
#include "discovery/collector.h"

#include <algorithm>
#include <charconv>

namespace certvigil::discovery {
namespace {

bool isWildcardHost(const std::string& host) {
  return host.empty() || host == "*" || host == "0.0.0.0" || host == "::" || host == "[::]";
}

bool parsePort(std::string_view text, int& port) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 65535) {
    return false;
  }
  port = value;
  return true;
}

std::vector<DiscoveredFile>::iterator findFile(std::vector<DiscoveredFile>& files,
                                               const std::string& path, Role role) {
  return std::find_if(files.begin(), files.end(), [&](const DiscoveredFile& f) {
    return f.file.path == path && f.file.role == role;
  });
}

}  // namespace

std::string endpointName(const config::EndpointConfig& endpoint) {
  const std::optional<config::HostPort> hp = config::parseHostPort(endpoint.address);
  const bool other = !endpoint.servername.empty() && hp && endpoint.servername != hp->host;
  return other ? endpoint.address + "/" + endpoint.servername : endpoint.address;
}

std::string dialAddress(const std::string& host, int port) {
  std::string h = isWildcardHost(host) ? "127.0.0.1" : host;
  if (h.size() > 1 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  if (h.find(':') != std::string::npos) h = "[" + h + "]";
  return h + ":" + std::to_string(port);
}

bool splitListen(const std::string& text, int default_port, std::string& host, int& port) {
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return false;
    host = text.substr(1, close - 1);
    if (close + 1 == text.size()) return (port = default_port) > 0;
    return text[close + 1] == ':' && parsePort(text.substr(close + 2), port);
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos) {
    if (parsePort(text, port)) {
      host.clear();
      return true;
    }
    host = text;
    return (port = default_port) > 0;
  }
  host = text.substr(0, colon);
  return parsePort(text.substr(colon + 1), port);
}

bool usableServerName(const std::string& name) {
  return !name.empty() && name != "_" && name.find('*') == std::string::npos &&
         name.front() != '~' && name.find('$') == std::string::npos && name.front() != '.';
}

std::string absoluteAgainst(const std::string& path, const std::filesystem::path& base) {
  if (path.empty()) return path;
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

const ServedCertificate* Collector::certificateFor(const TlsServer& server,
                                                   const std::string& name) {
  for (const ServedCertificate& c : server.certificates) {
    if (std::find(c.names.begin(), c.names.end(), name) != c.names.end()) return &c;
  }
  const auto generic = std::count_if(server.certificates.begin(), server.certificates.end(),
                                     [](const ServedCertificate& c) { return c.names.empty(); });
  if (generic != 1 || !server.pair_generic) return nullptr;
  for (const ServedCertificate& c : server.certificates) {
    if (c.names.empty()) return &c;
  }
  return nullptr;
}

void Collector::addServer(const TlsServer& server) {
  std::vector<std::string> names = server.names;
  for (const ServedCertificate& c : server.certificates) {
    for (const std::string& n : c.names) {
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
  }
  std::vector<std::vector<std::string>> served_by(server.certificates.size());
  if (names.empty() && !server.listens.empty()) {
    skip(server.origin, "server",
         "no server name usable as SNI: its certificate files are watched, its endpoints are "
         "not (add an endpoints: entry with the servername clients use)");
  }
  for (const ListenAddress& listen : server.listens) {
    for (const std::string& name : names) {
      DiscoveredEndpoint e;
      e.endpoint.address = dialAddress(listen.host, listen.port);
      e.endpoint.servername = name;
      e.endpoint.mtls = server.mtls;
      e.origin = listen.origin;
      e.directive = listen.directive;
      if (const ServedCertificate* c = certificateFor(server, name)) {
        e.endpoint.expect_file = c->cert;
        served_by[static_cast<size_t>(c - server.certificates.data())].push_back(
            endpointName(e.endpoint));
      }
      addEndpoint(e);
    }
  }
  for (size_t i = 0; i < server.certificates.size(); ++i) {
    addServerFile(server.certificates[i], served_by[i]);
  }
  for (const DiscoveredPath& ca : server.client_cas) addBundle(ca);
  for (DiscoveredPath crl : server.crls) {
    if (server.crl_whole_path) {
      for (const DiscoveredPath& ca : server.client_cas) crl.issuers.push_back(ca.path);
    }
    addCrl(crl);
  }
}

void Collector::addEndpoint(const DiscoveredEndpoint& endpoint) {
  if (!endpoint_names_.insert(endpointName(endpoint.endpoint)).second) return;
  out_.endpoints.push_back(endpoint);
}

void Collector::addServerFile(const ServedCertificate& c, const std::vector<std::string>& names) {
  auto it = findFile(out_.files, c.cert, Role::Server);
  if (it == out_.files.end()) {
    DiscoveredFile f;
    f.file.path = c.cert;
    f.file.role = Role::Server;
    f.file.key = c.key;
    f.file.chain = c.chain;
    f.origin = c.origin;
    f.directive = c.directive;
    out_.files.push_back(std::move(f));
    it = out_.files.end() - 1;
  }
  for (const std::string& n : names) {
    if (std::find(it->endpoints.begin(), it->endpoints.end(), n) == it->endpoints.end()) {
      it->endpoints.push_back(n);
    }
  }
}

void Collector::addClient(const TlsClient& client) {
  if (findFile(out_.files, client.cert, Role::Client) == out_.files.end()) {
    DiscoveredFile f;
    f.file.path = client.cert;
    f.file.role = Role::Client;
    f.file.key = client.key;
    f.origin = client.origin;
    f.directive = client.directive;
    out_.files.push_back(std::move(f));
  }
  if (client.upstream.empty()) return;
  DiscoveredEndpoint e;
  e.endpoint.address = client.upstream;
  e.endpoint.servername = client.servername;
  e.endpoint.client_cert = client.cert;
  e.endpoint.client_key = client.key;
  e.origin = client.upstream_origin;
  e.directive = "upstream";
  addEndpoint(e);
}

void Collector::addBundle(const DiscoveredPath& bundle) {
  const auto same = [&](const DiscoveredPath& p) { return p.path == bundle.path; };
  if (std::none_of(out_.bundles.begin(), out_.bundles.end(), same)) {
    out_.bundles.push_back(bundle);
  }
}

// A CRL file two server blocks use is one target, judged against the CAs of both.
void Collector::addCrl(const DiscoveredPath& crl) {
  const auto same = [&](const DiscoveredPath& p) { return p.path == crl.path; };
  const auto it = std::find_if(out_.crls.begin(), out_.crls.end(), same);
  if (it == out_.crls.end()) {
    out_.crls.push_back(crl);
    return;
  }
  for (const std::string& issuer : crl.issuers) {
    if (std::find(it->issuers.begin(), it->issuers.end(), issuer) == it->issuers.end()) {
      it->issuers.push_back(issuer);
    }
  }
}

void Collector::skip(const Origin& origin, std::string directive, std::string reason) {
  out_.skipped.push_back({origin, std::move(directive), std::move(reason)});
}

void Collector::problem(const std::string& text) { out_.problems.push_back(text); }

}  // namespace certvigil::discovery
