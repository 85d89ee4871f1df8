// SPDX-License-Identifier: Apache-2.0
// discovery/nginx.cpp: what an nginx configuration uses. `http` and `stream` servers with a
// listen ... ssl (or `ssl on`) are TLS servers; ssl_* directives are inherited from the
// enclosing block unless the server sets its own, as nginx merges them. proxy_ssl_certificate
// is the client certificate nginx presents upstream, tied to the proxy_pass address when that
// is literal (or an upstream block of literal servers).
#include <algorithm>
#include <map>

#include "discovery/nginx_syntax.h"
#include "discovery/parsers.h"

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

/// The TLS directives in force at one level (a nullptr or empty list: not set there).
struct Settings {
  std::vector<const Directive*> certs;
  std::vector<const Directive*> keys;
  const Directive* verify = nullptr;
  const Directive* client_ca = nullptr;
  const Directive* trusted = nullptr;
  const Directive* crl = nullptr;
  const Directive* proxy_cert = nullptr;
  const Directive* proxy_key = nullptr;
  const Directive* proxy_name = nullptr;
  const Directive* proxy_trusted = nullptr;
  const Directive* proxy_crl = nullptr;
  const Directive* proxy_ssl = nullptr;  ///< stream: proxy_ssl on
};

/// The settings of a block: its own directives over its parent's.
Settings inherit(const Settings& parent, const std::vector<Directive>& children) {
  Settings s = parent;
  std::vector<const Directive*> certs;
  std::vector<const Directive*> keys;
  const std::map<std::string, const Directive* Settings::*> singles = {
      {"ssl_verify_client", &Settings::verify},
      {"ssl_client_certificate", &Settings::client_ca},
      {"ssl_trusted_certificate", &Settings::trusted},
      {"ssl_crl", &Settings::crl},
      {"proxy_ssl_certificate", &Settings::proxy_cert},
      {"proxy_ssl_certificate_key", &Settings::proxy_key},
      {"proxy_ssl_name", &Settings::proxy_name},
      {"proxy_ssl_trusted_certificate", &Settings::proxy_trusted},
      {"proxy_ssl_crl", &Settings::proxy_crl},
      {"proxy_ssl", &Settings::proxy_ssl}};
  for (const Directive& d : children) {
    if (d.block || d.args.empty()) continue;
    if (d.name == "ssl_certificate") certs.push_back(&d);
    if (d.name == "ssl_certificate_key") keys.push_back(&d);
    if (const auto it = singles.find(d.name); it != singles.end()) s.*(it->second) = &d;
  }
  if (!certs.empty()) s.certs = certs;
  if (!keys.empty()) s.keys = keys;
  return s;
}

class NginxWalker {
 public:
  NginxWalker(const fs::path& base, Collector& collector) : paths_(base, collector) {}

  void walkMain(const std::vector<Directive>& tree) {
    for (const Directive& d : tree) {
      if (d.name == "http" && d.block) walkServers(d.children, /*stream=*/false);
      if (d.name == "stream" && d.block) walkServers(d.children, /*stream=*/true);
    }
  }

 private:
  void walkServers(const std::vector<Directive>& children, bool stream) {
    upstreams_.clear();
    for (const Directive& d : children) {
      if (d.name == "upstream" && d.block && !d.args.empty()) collectUpstream(d);
    }
    const Settings top = inherit({}, children);
    for (const Directive& d : children) {
      if (d.name == "server" && d.block) walkServer(d, top, stream);
    }
  }

  void collectUpstream(const Directive& upstream) {
    std::vector<std::string>& servers = upstreams_[upstream.args[0]];
    for (const Directive& d : upstream.children) {
      if (d.name == "server" && !d.args.empty()) servers.push_back(d.args[0]);
    }
  }

  void walkServer(const Directive& block, const Settings& parent, bool stream) {
    const Settings s = inherit(parent, block.children);
    TlsServer server;
    server.origin = block.origin;
    const bool ssl_on = std::any_of(block.children.begin(), block.children.end(), [](auto& d) {
      return d.name == "ssl" && !d.args.empty() && d.args[0] == "on";
    });
    for (const Directive& d : block.children) {
      if (d.name == "listen" && !d.args.empty()) addListen(d, ssl_on, stream, server);
      if (d.name == "server_name") addNames(d, server);
    }
    if (!server.listens.empty()) finishServer(s, server);
    walkClients(block, s, stream);
  }

  void addListen(const Directive& d, bool ssl_on, bool stream, TlsServer& server) {
    const bool ssl = ssl_on || std::find(d.args.begin() + 1, d.args.end(), "ssl") != d.args.end();
    const bool quic = std::find(d.args.begin() + 1, d.args.end(), "quic") != d.args.end();
    if (!ssl || quic) return;
    ListenAddress listen;
    listen.origin = d.origin;
    listen.directive = "listen";
    if (d.args[0].rfind("unix:", 0) == 0) {
      paths_.collector().skip(d.origin, "listen " + d.args[0], "a UNIX socket");
      return;
    }
    if (!splitListen(d.args[0], stream ? 0 : 80, listen.host, listen.port)) {
      paths_.collector().skip(d.origin, "listen " + d.args[0], "not an address and port");
      return;
    }
    server.listens.push_back(listen);
  }

  void addNames(const Directive& d, TlsServer& server) {
    for (const std::string& name : d.args) {
      if (usableServerName(name)) {
        if (std::find(server.names.begin(), server.names.end(), name) == server.names.end()) {
          server.names.push_back(name);
        }
      } else if (name != "_" && !name.empty()) {
        paths_.collector().skip(d.origin, "server_name " + name,
                                "a wildcard or regular expression is not a name to dial");
      }
    }
  }

  void finishServer(const Settings& s, TlsServer& server) {
    for (size_t i = 0; i < s.certs.size(); ++i) {
      const Directive* key = i < s.keys.size() ? s.keys[i] : nullptr;
      const std::optional<std::string> cert = paths_.file(*s.certs[i]);
      if (!cert) continue;
      ServedCertificate served;
      served.cert = *cert;
      served.origin = s.certs[i]->origin;
      served.directive = "ssl_certificate";
      if (key) served.key = paths_.file(*key).value_or("");
      server.certificates.push_back(served);
    }
    if (s.verify) server.mtls = mtlsOf(s.verify->args[0]);
    if (s.client_ca) paths_.add(*s.client_ca, server.client_cas);
    if (s.trusted) paths_.add(*s.trusted, server.client_cas);
    if (s.crl) paths_.add(*s.crl, server.crls);
    paths_.collector().addServer(server);
  }

  static config::MtlsMode mtlsOf(const std::string& mode) {
    if (mode == "on") return config::MtlsMode::Required;
    if (mode == "optional" || mode == "optional_no_ca") return config::MtlsMode::Optional;
    return config::MtlsMode::None;
  }

  /// The client side: the server block and each location, nested ones included.
  void walkClients(const Directive& block, const Settings& s, bool stream) {
    const auto pass = std::find_if(block.children.begin(), block.children.end(),
                                   [](const Directive& d) { return d.name == "proxy_pass"; });
    if (s.proxy_cert) addClient(s, pass != block.children.end() ? &*pass : nullptr, stream);
    if (s.proxy_trusted) paths_.addBundle(*s.proxy_trusted);
    if (s.proxy_crl) paths_.addCrl(*s.proxy_crl, s.proxy_trusted);
    for (const Directive& d : block.children) {
      if (d.name == "location" && d.block) walkClients(d, inherit(s, d.children), stream);
    }
  }

  void addClient(const Settings& s, const Directive* pass, bool stream) {
    TlsClient client;
    client.origin = s.proxy_cert->origin;
    client.directive = "proxy_ssl_certificate";
    const std::optional<std::string> cert = paths_.file(*s.proxy_cert);
    if (!cert) return;
    client.cert = *cert;
    if (s.proxy_key) client.key = paths_.file(*s.proxy_key).value_or("");
    if (s.proxy_name && s.proxy_name->args[0].find('$') == std::string::npos) {
      client.servername = s.proxy_name->args[0];
    }
    const bool tls = !stream || (s.proxy_ssl && s.proxy_ssl->args[0] == "on");
    if (!pass || pass->args.empty() || !tls) {
      paths_.collector().addClient(client);
      return;
    }
    for (const std::string& upstream : upstreamsOf(*pass, stream, client.servername)) {
      client.upstream = upstream;
      client.upstream_origin = pass->origin;
      paths_.collector().addClient(client);
    }
  }

  /// The literal addresses behind a proxy_pass ("https://host:port/path", "host:port", an
  /// upstream name); an empty list (and a skip) when it is not literal.
  std::vector<std::string> upstreamsOf(const Directive& pass, bool stream, std::string& sni) {
    std::string target = pass.args[0];
    if (!stream) {
      if (target.rfind("https://", 0) != 0) return {};
      target = target.substr(8);
      target = target.substr(0, target.find('/'));
    }
    std::vector<std::string> servers = {target};
    if (const auto it = upstreams_.find(target); it != upstreams_.end()) servers = it->second;
    std::vector<std::string> out;
    for (const std::string& server : servers) {
      std::string host;
      int port = 0;
      if (server.find('$') != std::string::npos || !splitListen(server, 443, host, port)) {
        paths_.collector().skip(pass.origin, "proxy_pass " + pass.args[0],
                                "the upstream is not a literal address");
        continue;
      }
      if (sni.empty() && upstreams_.count(target) == 0) sni = host;
      out.push_back(dialAddress(host, port));
    }
    return out;
  }

  PathResolver paths_;
  std::map<std::string, std::vector<std::string>> upstreams_;
};

}  // namespace

void discoverNginx(const fs::path& main_file, Collector& collector) {
  const std::vector<Directive> tree = loadNginx(main_file, collector);
  NginxWalker walker(main_file.parent_path(), collector);
  walker.walkMain(tree);
}

}  // namespace certvigil::discovery
