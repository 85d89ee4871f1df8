// SPDX-License-Identifier: Apache-2.0
// config/load.cpp: YAML text -> Config. Defaults come from config.h (set before parsing);
// every problem is collected, never only the first; yaml-cpp exceptions stop here.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <tuple>

#include "config/sections.h"
#include "config/validate.h"
#include "config/yaml_guard.h"

namespace certvigil::config {
namespace fs = std::filesystem;

namespace {

/// A config larger than this is a mistake (a certificate, /dev/zero), not a config.
constexpr std::streamsize kMaxConfigBytes = 4 << 20;

void readThresholds(Reader& reader, const YAML::Node& node, Thresholds& t) {
  MapReader m(reader, node, "thresholds",
              {"warning", "critical", "warning_fraction", "critical_fraction"});
  m.readDuration("warning", t.warning);
  m.readDuration("critical", t.critical);
  m.readDouble("warning_fraction", t.warning_fraction);
  m.readDouble("critical_fraction", t.critical_fraction);
}

void readTrust(Reader& reader, const YAML::Node& node, TrustConfig& t) {
  MapReader m(reader, node, "trust", {"system", "ca_files"});
  m.readBool("system", t.system);
  m.readPathList("ca_files", t.ca_files);
}

void readLists(Reader& reader, MapReader& root, Config& c) {
  root.forEach("endpoints", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.endpoints.push_back(readEndpoint(reader, item, path));
    c.endpoints.back().revocation = readEntryRevocation(reader, item, path, c.revocation);
  });
  root.forEach("files", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.files.push_back(readFileEntry(reader, item, path));
    c.files.back().revocation = readEntryRevocation(reader, item, path, c.revocation);
  });
  root.forEach("bundles", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.bundles.push_back(readBundle(reader, item, path));
  });
  root.forEach("discover", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.discover.push_back(readDiscover(reader, item, path));
  });
  root.forEach("kubeconfig", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.kubeconfigs.push_back(readKubeconfigEntry(reader, item, path));
  });
  root.forEach("acme", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.acme.push_back(readAcme(reader, item, path));
  });
  root.forEach("notifiers", [&](const YAML::Node& item, const std::string& path, size_t) {
    c.notifiers.push_back(readNotifier(reader, item, path));
  });
}

void readConfig(Reader& reader, const YAML::Node& node, Config& c) {
  MapReader root(reader, node, "",
                 {"listen",     "state_dir", "interval",  "concurrency", "timeout",
                  "thresholds", "trust",     "endpoints", "files",       "bundles",
                  "kubeconfig", "notifiers", "api",       "tls",         "probe",
                  "retention",  "clients",   "discover",  "revocation",  "web_config_file",
                  "acme"});
  root.readString("listen", c.listen);
  root.readPath("state_dir", c.state_dir);
  root.readDuration("interval", c.interval);
  root.readInt("concurrency", c.concurrency);
  root.readDuration("timeout", c.timeout);
  root.readDuration("retention", c.retention);
  root.readPath("web_config_file", c.web_config_file);
  std::optional<ClientSet> clients;
  root.readClients("clients", clients);
  if (clients) c.clients = *clients;
  readThresholds(reader, root.child("thresholds"), c.thresholds);
  readTrust(reader, root.child("trust"), c.trust);
  readRevocation(reader, root.child("revocation"), "revocation", c.revocation);
  readLists(reader, root, c);
  MapReader api(reader, root.child("api"), "api", {"token_file"});
  api.readPath("token_file", c.api.token_file);
  MapReader tls(reader, root.child("tls"), "tls", {"cert_file", "key_file", "client_ca_file"});
  tls.readPath("cert_file", c.tls.cert_file);
  tls.readPath("key_file", c.tls.key_file);
  tls.readPath("client_ca_file", c.tls.client_ca_file);
  MapReader probe(reader, root.child("probe"), "probe", {"allow_any_target"});
  probe.readBool("allow_any_target", c.probe.allow_any_target);
}

/// Defaults that depend on other keys: an endpoint's servername, a notifier's name.
void deriveDefaults(Config& c) {
  for (EndpointConfig& e : c.endpoints) {
    if (!e.servername.empty()) continue;
    if (const std::optional<HostPort> hp = parseHostPort(e.address)) e.servername = hp->host;
  }
  for (size_t i = 0; i < c.notifiers.size(); ++i) {
    NotifierConfig& n = c.notifiers[i];
    if (n.name.empty()) n.name = std::string(toString(n.type)) + "-" + std::to_string(i);
  }
}

fs::path absoluteOf(const std::string& file) {
  std::error_code ec;
  fs::path p = file.empty() ? fs::current_path(ec) / "certvigil.yaml" : fs::absolute(file, ec);
  return ec ? fs::path(file) : p.lexically_normal();
}

ConfigProblem problemAt(const std::string& file, const YAML::Mark& mark, std::string message) {
  if (mark.is_null()) return ConfigProblem{file, 0, 0, "", std::move(message)};
  return ConfigProblem{file, mark.line + 1, mark.column + 1, "", std::move(message)};
}

/// Parses the text into its documents; a syntax error becomes the only problem.
std::optional<std::vector<YAML::Node>> parseYaml(const std::string& yaml, const std::string& file,
                                                 std::vector<ConfigProblem>& problems) {
  try {
    if (const std::optional<YAML::Mark> stuck = findStuckDocument(yaml)) {
      problems.push_back(problemAt(
          file, *stuck, "YAML syntax error: unexpected token outside any mapping or list"));
      return std::nullopt;
    }
    std::vector<YAML::Node> docs = YAML::LoadAll(yaml);
    if (docs.size() > 1) {
      problems.push_back(problemAt(file, docs[1].Mark(),
                                   "more than one YAML document ('---'); put everything in one"));
    }
    return docs;
  } catch (const YAML::Exception& e) {
    problems.push_back(problemAt(file, e.mark, "YAML syntax error: " + e.msg));
    return std::nullopt;
  }
}

void sortByPosition(std::vector<ConfigProblem>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
}

}  // namespace

LoadOutcome loadFromString(const std::string& yaml, const std::string& file) {
  LoadOutcome out;
  const std::optional<std::vector<YAML::Node>> docs = parseYaml(yaml, file, out.problems);
  if (!docs) return out;
  Config config;
  config.source = absoluteOf(file);
  SourceMap where(file);
  Reader reader(where, out.problems, config.source.parent_path());
  try {
    if (!docs->empty()) readConfig(reader, docs->front(), config);
  } catch (const YAML::Exception& e) {  // not expected: the reader never converts with as<T>
    out.problems.push_back(problemAt(file, e.mark, e.msg));
  }
  deriveDefaults(config);
  std::vector<ConfigProblem> invalid = validate(config, where);
  out.problems.insert(out.problems.end(), invalid.begin(), invalid.end());
  sortByPosition(out.problems);
  if (out.problems.empty()) out.config = std::move(config);
  return out;
}

LoadOutcome loadFile(const fs::path& path) {
  LoadOutcome out;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    out.problems.push_back({path.string(), 0, 0, "", "is a directory, not a config file"});
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.problems.push_back(
        {path.string(), 0, 0, "", std::string("cannot open: ") + std::strerror(errno)});
    return out;
  }
  std::string text(static_cast<size_t>(kMaxConfigBytes) + 1, '\0');
  in.read(text.data(), kMaxConfigBytes + 1);
  if (in.bad()) {
    out.problems.push_back({path.string(), 0, 0, "", "read error"});
    return out;
  }
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.gcount() > kMaxConfigBytes) {
    out.problems.push_back({path.string(), 0, 0, "", "larger than 4 MiB: not a config file"});
    return out;
  }
  return loadFromString(text, path.string());
}

}  // namespace certvigil::config
