// SPDX-License-Identifier: Apache-2.0
// config/kubeconfig_file.h: the parts of a kubeconfig file (kubectl's `~/.kube/config`) that
// hold certificates: each cluster's CA and API server, each user's client certificate and key
// (as files or inline base64 `-data`), and the contexts that pair them. Everything else in the
// file (tokens, exec plugins, preferences) is ignored and never kept. A kubeconfig is a file
// that certvigil watches, so what is wrong with it is reported, not thrown.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"

namespace certvigil::config {

/// A cluster: its API server and the CA that signs the server's certificate.
struct KubeCluster {
  std::string name;
  std::string server;                     ///< e.g. "https://10.0.0.1:6443"
  std::string tls_server_name;            ///< `tls-server-name`: SNI and name checked, if set
  std::filesystem::path ca_file;          ///< `certificate-authority`, resolved
  std::string ca_data;                    ///< `certificate-authority-data`, still base64
  bool insecure_skip_tls_verify = false;  ///< `insecure-skip-tls-verify`
};

/// A user with a client certificate (users authenticating otherwise have neither).
struct KubeUser {
  std::string name;
  std::filesystem::path certificate_file;  ///< `client-certificate`, resolved
  std::string certificate_data;            ///< `client-certificate-data`, still base64
  std::filesystem::path key_file;          ///< `client-key`, resolved
  std::string key_data;                    ///< `client-key-data`, still base64 (a secret)

  bool hasCertificate() const { return !certificate_file.empty() || !certificate_data.empty(); }
};

/// A context: which user talks to which cluster.
struct KubeContext {
  std::string name;
  std::string cluster;
  std::string user;
};

struct Kubeconfig {
  std::vector<KubeCluster> clusters;
  std::vector<KubeUser> users;
  std::vector<KubeContext> contexts;
  /// Entries that could not be read (no name, a value of the wrong type), one line each.
  std::vector<std::string> problems;
};

/// Parses kubeconfig text; relative file paths are resolved against `dir` (the kubeconfig's
/// directory, as kubectl does). An error when the text is not YAML or not a mapping.
Result<Kubeconfig> parseKubeconfig(const std::string& yaml, const std::filesystem::path& dir);

}  // namespace certvigil::config
