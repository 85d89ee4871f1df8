// SPDX-License-Identifier: Apache-2.0
// Lenient on purpose: a kubeconfig is kubectl's file, with keys certvigil has no business
// judging; only the certificate-bearing keys are read, and a malformed entry is a problem of
// that entry while the rest is still read.
#include "config/kubeconfig_file.h"

#include <yaml-cpp/yaml.h>

#include "config/yaml_guard.h"

namespace certvigil::config {
namespace {

/// The scalar text at `key` of a mapping, "" when absent or not a scalar.
std::string text(const YAML::Node& map, const char* key) {
  const YAML::Node value = map[key];
  return value.IsDefined() && value.IsScalar() ? value.Scalar() : std::string();
}

std::filesystem::path resolved(const std::string& path, const std::filesystem::path& dir) {
  if (path.empty()) return {};
  const std::filesystem::path p(path);
  return (p.is_absolute() ? p : dir / p).lexically_normal();
}

/// Calls `each(name, body)` for every `{name: ..., <body_key>: {...}}` item of the list `list`.
template <typename Each>
void forEachNamed(const YAML::Node& root, const char* list, const char* body_key,
                  std::vector<std::string>& problems, Each each) {
  const YAML::Node items = root[list];
  if (!items.IsDefined() || items.IsNull()) return;
  if (!items.IsSequence()) {
    problems.push_back(std::string(list) + ": not a list");
    return;
  }
  for (size_t i = 0; i < items.size(); ++i) {
    const YAML::Node item = items[i];
    const std::string where = std::string(list) + "[" + std::to_string(i) + "]";
    if (!item.IsMap() || text(item, "name").empty()) {
      problems.push_back(where + ": an entry without a name");
      continue;
    }
    const YAML::Node body = item[body_key];
    if (!body.IsMap()) {
      problems.push_back(where + " (" + text(item, "name") + "): no '" + body_key + "' mapping");
      continue;
    }
    each(text(item, "name"), body);
  }
}

void readClusters(const YAML::Node& root, const std::filesystem::path& dir, Kubeconfig& out) {
  forEachNamed(root, "clusters", "cluster", out.problems,
               [&](const std::string& name, const YAML::Node& c) {
                 KubeCluster cluster;
                 cluster.name = name;
                 cluster.server = text(c, "server");
                 cluster.tls_server_name = text(c, "tls-server-name");
                 cluster.ca_file = resolved(text(c, "certificate-authority"), dir);
                 cluster.ca_data = text(c, "certificate-authority-data");
                 cluster.insecure_skip_tls_verify = text(c, "insecure-skip-tls-verify") == "true";
                 out.clusters.push_back(std::move(cluster));
               });
}

void readUsers(const YAML::Node& root, const std::filesystem::path& dir, Kubeconfig& out) {
  forEachNamed(root, "users", "user", out.problems,
               [&](const std::string& name, const YAML::Node& u) {
                 KubeUser user;
                 user.name = name;
                 user.certificate_file = resolved(text(u, "client-certificate"), dir);
                 user.certificate_data = text(u, "client-certificate-data");
                 user.key_file = resolved(text(u, "client-key"), dir);
                 user.key_data = text(u, "client-key-data");
                 out.users.push_back(std::move(user));
               });
}

void readContexts(const YAML::Node& root, Kubeconfig& out) {
  forEachNamed(root, "contexts", "context", out.problems,
               [&](const std::string& name, const YAML::Node& c) {
                 out.contexts.push_back({name, text(c, "cluster"), text(c, "user")});
               });
}

}  // namespace

Result<Kubeconfig> parseKubeconfig(const std::string& yaml, const std::filesystem::path& dir) {
  try {
    if (const std::optional<YAML::Mark> stuck = findStuckDocument(yaml)) {
      return makeError(ErrorCode::Parse,
                       "YAML syntax error at line " + std::to_string(stuck->line + 1));
    }
    const YAML::Node root = YAML::Load(yaml);
    if (!root.IsMap()) return makeError(ErrorCode::Parse, "not a kubeconfig (not a mapping)");
    Kubeconfig out;
    readClusters(root, dir, out);
    readUsers(root, dir, out);
    readContexts(root, out);
    return out;
  } catch (const YAML::Exception& e) {
    return makeError(ErrorCode::Parse,
                     "YAML syntax error at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace certvigil::config
