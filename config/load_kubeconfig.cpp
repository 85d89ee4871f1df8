// SPDX-License-Identifier: Apache-2.0
// config/load_kubeconfig.cpp: the `kubeconfig:` list. An item is a kubeconfig's path, or a
// mapping with `path`, `probe_servers` and the options other target kinds have (interval,
// clients). Only the path and options are recorded: the kubeconfig itself is read at every scan
// (kubeconfig_file.h), so credentials rotated in place are seen.
#include "config/sections.h"
#include "config/validate_internal.h"

namespace certvigil::config {

KubeconfigConfig readKubeconfigEntry(Reader& reader, const YAML::Node& node,
                                     const std::string& path) {
  KubeconfigConfig k;
  k.line = reader.map().find(path).line;
  if (node.IsScalar()) {  // "- /etc/kubernetes/admin.conf"
    k.path = reader.resolve(node.Scalar());
    return k;
  }
  MapReader m(reader, node, path, {"path", "interval", "clients", "probe_servers"});
  m.readPath("path", k.path);
  m.readDuration("interval", k.interval);
  m.readClients("clients", k.clients);
  m.readBool("probe_servers", k.probe_servers);
  return k;
}

void checkKubeconfigs(const std::vector<KubeconfigConfig>& entries, Validator& v) {
  for (size_t i = 0; i < entries.size(); ++i) {
    const std::string path = indexPath("kubeconfig", i);
    if (entries[i].path.empty()) v.report(path, "path is required");
    v.requirePositive(joinPath(path, "interval"), entries[i].interval);
    for (size_t j = 0; j < i; ++j) {
      if (!entries[i].path.empty() && entries[i].path == entries[j].path) {
        const std::string other = indexPath("kubeconfig", j);
        v.report(path, "same as " + other + " (line " + std::to_string(v.lineOf(other)) + ")");
        break;
      }
    }
  }
}

}  // namespace certvigil::config
