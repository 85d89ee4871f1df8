// SPDX-License-Identifier: Apache-2.0
// discovery/apache.cpp: what an Apache httpd configuration uses. Each <VirtualHost> with
// `SSLEngine on` (its own or the main server's) is a TLS server on its addresses, named by
// ServerName and ServerAlias; the main server's SSL* directives are the defaults of every
// virtual host, as httpd merges them. SSLProxyMachineCertificateFile (certificate and key in
// one file) is the client certificate presented to ProxyPass https:// backends.
#include <algorithm>
#include <map>

#include "discovery/apache_syntax.h"
#include "discovery/parsers.h"

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

/// The last directive of each name at one level, over the parent's.
using Settings = std::map<std::string, const Directive*>;

Settings inherit(const Settings& parent, const std::vector<Directive>& children) {
  Settings s = parent;
  for (const Directive& d : children) {
    if (!d.block && !d.args.empty()) s[d.name] = &d;
  }
  return s;
}

bool isOn(const Settings& s, const std::string& name) {
  const auto it = s.find(name);
  if (it == s.end()) return false;
  std::string v = it->second->args[0];
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "on" || v == "optional";
}

config::MtlsMode mtlsOf(const Settings& s) {
  const auto it = s.find("SSLVerifyClient");
  if (it == s.end()) return config::MtlsMode::None;
  const std::string& v = it->second->args[0];
  if (v == "require") return config::MtlsMode::Required;
  if (v == "optional" || v == "optional_no_ca") return config::MtlsMode::Optional;
  return config::MtlsMode::None;
}

/// "https://name:443" / "name:443" / "name" -> "name".
std::string bareName(std::string name) {
  if (const size_t scheme = name.find("://"); scheme != std::string::npos) {
    name = name.substr(scheme + 3);
  }
  if (!name.empty() && name.front() != '[') name = name.substr(0, name.find(':'));
  return name;
}

class ApacheWalker {
 public:
  ApacheWalker(const fs::path& base, Collector& collector) : paths_(base, collector) {}

  void walk(const std::vector<Directive>& tree) {
    for (const Directive& d : tree) {
      if (d.name == "ServerRoot" && !d.args.empty()) paths_.setBase(d.args[0]);
    }
    const Settings main = inherit({}, tree);
    for (const Directive& d : tree) {
      if (d.name == "<VirtualHost>") walkVirtualHost(d, inherit(main, d.children));
    }
  }

 private:
  void walkVirtualHost(const Directive& vhost, const Settings& s) {
    if (isOn(s, "SSLEngine")) addServer(vhost, s);
    if (s.count("SSLProxyCACertificateFile")) paths_.addBundle(*s.at("SSLProxyCACertificateFile"));
    if (s.count("SSLProxyMachineCertificateFile")) addClient(vhost, s);
  }

  void addServer(const Directive& vhost, const Settings& s) {
    TlsServer server;
    server.origin = vhost.origin;
    for (const std::string& a : vhost.args) {
      ListenAddress l;
      l.origin = vhost.origin;
      l.directive = "<VirtualHost>";
      if (splitListen(a == "_default_" ? "*" : a, 443, l.host, l.port)) {
        if (l.host == "_default_") l.host = "*";
        server.listens.push_back(l);
      }
    }
    addNames(vhost, s, server);
    addCertificate(s, server);
    server.mtls = mtlsOf(s);
    if (s.count("SSLCACertificateFile"))
      paths_.add(*s.at("SSLCACertificateFile"), server.client_cas);
    if (s.count("SSLCARevocationFile")) addCrl(s, server);
    for (const char* dir : {"SSLCACertificatePath", "SSLCARevocationPath"}) {
      if (s.count(dir)) {
        paths_.collector().skip(s.at(dir)->origin, std::string(dir) + " " + s.at(dir)->args[0],
                                "a hashed directory: list its files as bundles: entries");
      }
    }
    paths_.collector().addServer(server);
  }

  // mod_ssl checks CRLs only as SSLCARevocationCheck says (default none, since 2.3.15): a CRL
  // it never consults is not watched, one it checks for the leaf only (or with
  // no_crl_for_cert_ok) needs no CRL for every CA of the bundle.
  void addCrl(const Settings& s, TlsServer& server) {
    const Directive& file = *s.at("SSLCARevocationFile");
    const auto check = s.find("SSLCARevocationCheck");
    const std::vector<std::string> none = {"none"};
    const std::vector<std::string>& mode = check != s.end() ? check->second->args : none;
    if (mode[0] != "chain" && mode[0] != "leaf") {
      paths_.collector().skip(file.origin, "SSLCARevocationFile " + file.args[0],
                              "SSLCARevocationCheck is none (the default): Apache does not check "
                              "client certificates against it");
      return;
    }
    const bool lenient = std::find(mode.begin(), mode.end(), "no_crl_for_cert_ok") != mode.end();
    server.crl_whole_path = mode[0] == "chain" && !lenient;
    paths_.add(file, server.crls);
  }

  void addNames(const Directive& vhost, const Settings& s, TlsServer& server) {
    std::vector<const Directive*> name_directives;
    if (s.count("ServerName")) name_directives.push_back(s.at("ServerName"));
    for (const Directive& d : vhost.children) {
      if (d.name == "ServerAlias") name_directives.push_back(&d);
    }
    for (const Directive* d : name_directives) {
      for (const std::string& raw : d->args) {
        const std::string name = bareName(raw);
        if (!usableServerName(name)) {
          paths_.collector().skip(d->origin, d->name + " " + raw,
                                  "a wildcard is not a name to dial");
        } else if (std::find(server.names.begin(), server.names.end(), name) ==
                   server.names.end()) {
          server.names.push_back(name);
        }
      }
    }
  }

  void addCertificate(const Settings& s, TlsServer& server) {
    const auto cert = s.find("SSLCertificateFile");
    if (cert == s.end()) return;
    const std::optional<std::string> path = paths_.file(*cert->second);
    if (!path) return;
    ServedCertificate served;
    served.cert = *path;
    served.origin = cert->second->origin;
    served.directive = "SSLCertificateFile";
    if (s.count("SSLCertificateKeyFile")) {
      served.key = paths_.file(*s.at("SSLCertificateKeyFile")).value_or("");
    }
    if (s.count("SSLCertificateChainFile")) {
      served.chain = paths_.file(*s.at("SSLCertificateChainFile")).value_or("");
    }
    server.certificates.push_back(served);
  }

  void addClient(const Directive& vhost, const Settings& s) {
    const Directive& d = *s.at("SSLProxyMachineCertificateFile");
    const std::optional<std::string> cert = paths_.file(d);
    if (!cert) return;
    TlsClient client;
    client.cert = *cert;
    client.key = *cert;
    client.origin = d.origin;
    client.directive = d.name;
    std::vector<const Directive*> passes;
    collectProxyPasses(vhost.children, passes);
    if (passes.empty()) paths_.collector().addClient(client);
    for (const Directive* pass : passes) {
      client.upstream_origin = pass->origin;
      client.upstream = upstreamOf(*pass, client.servername);
      paths_.collector().addClient(client);
    }
  }

  static void collectProxyPasses(const std::vector<Directive>& children,
                                 std::vector<const Directive*>& out) {
    for (const Directive& d : children) {
      if (d.name == "ProxyPass" || d.name == "ProxyPassMatch") out.push_back(&d);
      if (d.block) collectProxyPasses(d.children, out);
    }
  }

  /// The https:// backend of a ProxyPass as "host:port", "" when there is none.
  std::string upstreamOf(const Directive& pass, std::string& sni) {
    for (const std::string& a : pass.args) {
      if (a.rfind("https://", 0) != 0) continue;
      const std::string hostport = a.substr(8, a.find('/', 8) - 8);
      std::string host;
      int port = 0;
      if (hostport.find('$') != std::string::npos || !splitListen(hostport, 443, host, port)) {
        paths_.collector().skip(pass.origin, pass.name + " " + a,
                                "the backend is not a literal address");
        return {};
      }
      sni = host;
      return dialAddress(host, port);
    }
    return {};
  }

  PathResolver paths_;
};

}  // namespace

void discoverApache(const fs::path& main_file, Collector& collector) {
  const std::vector<Directive> tree = loadApache(main_file, collector);
  ApacheWalker walker(main_file.parent_path(), collector);
  walker.walk(tree);
}

}  // namespace certvigil::discovery
