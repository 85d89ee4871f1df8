// SPDX-License-Identifier: Apache-2.0
// discovery/haproxy.cpp: what an HAProxy configuration uses. A `bind ... ssl crt X` in a
// frontend or listen section is a TLS server. HAProxy picks the certificate by the SNI the
// client sends, matched against the certificates' own names, so the names to dial come from
// where the configuration states them: crt-list filters and the frontend's ssl_fc_sni /
// req.ssl_sni rules. A `server ... ssl crt X` line is a client certificate presented to that
// server. Relative crt and ca-file paths are taken against crt-base and ca-base.
#include <algorithm>
#include <fstream>

#include "discovery/haproxy_syntax.h"
#include "discovery/parsers.h"

namespace certvigil::discovery {
namespace fs = std::filesystem;
namespace {

/// The argument of keyword `key` in a bind or server line, nullptr when absent.
const std::string* argOf(const Directive& d, std::string_view key, size_t from = 1) {
  for (size_t i = from; i + 1 < d.args.size(); ++i) {
    if (d.args[i] == key) return &d.args[i + 1];
  }
  return nullptr;
}

bool hasWord(const Directive& d, std::string_view word, size_t from = 1) {
  return std::find(d.args.begin() + static_cast<std::ptrdiff_t>(std::min(from, d.args.size())),
                   d.args.end(), word) != d.args.end();
}

/// "ipv4@:443" -> ":443"; "" for sockets that are not TCP.
std::string stripFamily(const std::string& address) {
  const size_t at = address.find('@');
  if (at == std::string::npos) return address;
  const std::string family = address.substr(0, at);
  if (family == "ipv4" || family == "ipv6" || family == "tcp" || family == "tcp4" ||
      family == "tcp6") {
    return address.substr(at + 1);
  }
  return {};
}

/// ":::443" (haproxy's IPv6 spelling) and the rest, as splitListen reads them.
bool splitBind(const std::string& address, std::string& host, int& port) {
  const size_t colon = address.rfind(':');
  if (colon != std::string::npos && address.front() != '[' && address.find(':') < colon) {
    return splitListen("[" + address.substr(0, colon) + "]" + address.substr(colon), 0, host, port);
  }
  return splitListen(address, 0, host, port);
}

/// The literal names after ssl_fc_sni / req.ssl_sni in a rule line.
void collectSniNames(const Directive& d, std::vector<std::string>& names) {
  std::vector<std::string> words = d.args;
  words.insert(words.begin(), d.name);
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i] != "ssl_fc_sni" && words[i] != "req.ssl_sni" && words[i] != "req_ssl_sni") {
      continue;
    }
    size_t j = i + 1;
    bool exact = true;
    for (; j < words.size() && words[j].front() == '-'; ++j) {
      if (words[j] == "-m" && j + 1 < words.size()) exact = words[++j] == "str";
    }
    for (; exact && j < words.size(); ++j) {
      const std::string& w = words[j];
      if (w == "}" || w == "||" || w == "or" || w == "!" || w.front() == '{') break;
      if (usableServerName(w) && std::find(names.begin(), names.end(), w) == names.end()) {
        names.push_back(w);
      }
    }
  }
}

class HaproxyWalker {
 public:
  HaproxyWalker(const fs::path& base, Collector& collector)
      : paths_(base, collector), crt_base_(base), ca_base_(base) {}

  void walk(const std::vector<Directive>& sections) {
    for (const Directive& s : sections) {
      if (s.name != "global") continue;
      for (const Directive& d : s.children) {
        if (d.name == "crt-base" && !d.args.empty()) crt_base_ = d.args[0];
        if (d.name == "ca-base" && !d.args.empty()) ca_base_ = d.args[0];
      }
    }
    for (const Directive& s : sections) {
      const bool front = s.name == "frontend" || s.name == "listen";
      const bool back = s.name == "backend" || s.name == "listen";
      if (front) walkFrontend(s);
      if (back) walkBackend(s);
    }
  }

 private:
  std::optional<std::string> pathIn(const fs::path& base, const std::string& text,
                                    const Directive& d, const std::string& key) {
    paths_.setBase(base);
    return paths_.path(text, d.origin, d.name + " ... " + key);
  }

  void walkFrontend(const Directive& section) {
    std::vector<std::string> names;
    for (const Directive& d : section.children) collectSniNames(d, names);
    for (const Directive& d : section.children) {
      if (d.name == "bind" && !d.args.empty() && hasWord(d, "ssl")) addBind(d, names);
    }
  }

  void addBind(const Directive& bind, const std::vector<std::string>& names) {
    TlsServer server;
    server.origin = bind.origin;
    server.names = names;
    addAddresses(bind, server);
    for (size_t i = 1; i + 1 < bind.args.size(); ++i) {
      if (bind.args[i] == "crt") addCrt(bind, bind.args[i + 1], server);
      if (bind.args[i] == "crt-list") addCrtList(bind, bind.args[i + 1], server);
    }
    if (const std::string* v = argOf(bind, "verify")) {
      server.mtls = *v == "required"   ? config::MtlsMode::Required
                    : *v == "optional" ? config::MtlsMode::Optional
                                       : config::MtlsMode::None;
    }
    if (const std::string* ca = argOf(bind, "ca-file")) {
      if (auto p = pathIn(ca_base_, *ca, bind, "ca-file")) {
        server.client_cas.push_back({*p, bind.origin, "ca-file", {}});
      }
    }
    if (const std::string* crl = argOf(bind, "crl-file")) {
      if (auto p = pathIn(ca_base_, *crl, bind, "crl-file")) {
        server.crls.push_back({*p, bind.origin, "crl-file", {}});
      }
    }
    paths_.collector().addServer(server);
  }

  void addAddresses(const Directive& bind, TlsServer& server) {
    std::string list = bind.args[0];
    for (size_t start = 0; start <= list.size();) {
      const size_t comma = std::min(list.find(',', start), list.size());
      const std::string address = stripFamily(list.substr(start, comma - start));
      start = comma + 1;
      ListenAddress l;
      l.origin = bind.origin;
      l.directive = "bind";
      if (address.empty() || address.front() == '/' || !splitBind(address, l.host, l.port)) {
        paths_.collector().skip(bind.origin, "bind " + bind.args[0],
                                "not a TCP address and single port");
        continue;
      }
      server.listens.push_back(l);
    }
  }

  void addCrt(const Directive& bind, const std::string& text, TlsServer& server) {
    const std::optional<std::string> path = pathIn(crt_base_, text, bind, "crt");
    if (!path) return;
    std::error_code ec;
    if (fs::is_directory(*path, ec)) server.pair_generic = false;
    ServedCertificate served;
    served.cert = *path;
    served.origin = bind.origin;
    served.directive = "crt";
    server.certificates.push_back(served);
  }

  /// A crt-list: `path [options] [sni filter...]` per line.
  void addCrtList(const Directive& bind, const std::string& text, TlsServer& server) {
    const std::optional<std::string> list = pathIn(crt_base_, text, bind, "crt-list");
    if (!list) return;
    std::ifstream in(*list);
    if (!in) {
      paths_.collector().problem(bind.origin.describe() + ": crt-list " + *list + ": cannot open");
      return;
    }
    std::string line;
    for (int n = 1; n <= 100000 && std::getline(in, line); ++n) {
      std::vector<std::string> words = splitHaproxyLine(line);
      if (words.empty()) continue;
      Directive entry;
      entry.name = "crt-list";
      entry.origin = {*list, n};
      const std::optional<std::string> cert = pathIn(crt_base_, words[0], entry, "entry");
      if (!cert) continue;
      ServedCertificate served;
      served.cert = *cert;
      served.origin = entry.origin;
      served.directive = "crt-list";
      bool in_options = false;
      for (size_t i = 1; i < words.size(); ++i) {
        if (words[i].front() == '[') in_options = true;
        if (!in_options && usableServerName(words[i])) served.names.push_back(words[i]);
        if (words[i].back() == ']') in_options = false;
      }
      if (served.names.empty()) served.names = server.names;
      if (served.names.empty()) server.pair_generic = false;
      server.certificates.push_back(served);
    }
  }

  void walkBackend(const Directive& section) {
    for (const Directive& d : section.children) {
      if (d.name != "server" || d.args.size() < 2 || !hasWord(d, "ssl", 2)) continue;
      if (const std::string* ca = argOf(d, "ca-file", 2)) {
        if (auto p = pathIn(ca_base_, *ca, d, "ca-file")) {
          paths_.collector().addBundle({*p, d.origin, "server ca-file", {}});
        }
      }
      const std::string* crt = argOf(d, "crt", 2);
      if (!crt) continue;
      const std::optional<std::string> cert = pathIn(crt_base_, *crt, d, "crt");
      if (!cert) continue;
      TlsClient client;
      client.cert = *cert;
      client.origin = d.origin;
      client.directive = "server ... crt";
      std::string host;
      int port = 0;
      if (splitBind(stripFamily(d.args[1]), host, port) && port > 0 && !host.empty()) {
        client.upstream = dialAddress(host, port);
        client.upstream_origin = d.origin;
        client.servername = host;
        if (const std::string* sni = argOf(d, "sni", 2); sni && sni->rfind("str(", 0) == 0) {
          client.servername = sni->substr(4, sni->size() - 5);
        }
      }
      paths_.collector().addClient(client);
    }
  }

  PathResolver paths_;
  fs::path crt_base_;
  fs::path ca_base_;
};

}  // namespace

void discoverHaproxy(const fs::path& main_file, Collector& collector) {
  const std::vector<Directive> sections = loadHaproxy(main_file, collector);
  std::error_code ec;
  const fs::path base = fs::is_directory(main_file, ec) ? main_file : main_file.parent_path();
  HaproxyWalker walker(base, collector);
  walker.walk(sections);
}

}  // namespace certvigil::discovery
