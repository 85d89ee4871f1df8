// SPDX-License-Identifier: Apache-2.0
// probers/kubeconfig_servers.h: the API servers of a kubeconfig as mTLS endpoints to probe
// (`probe_servers`). Each context pairs a cluster with a user: the cluster's `server` URL is
// dialled (https only, port 443 by default) with SNI and the verified name from
// `tls-server-name` (else the host), its chain built to the cluster's CA (the configured trust
// store when the cluster names none, not judged with insecure-skip-tls-verify), presenting the
// user's client certificate and key (mTLS required) when it has one. The target is
// "kubeconfig:<file>#context/<name>"; identical (server, user) pairs are probed once.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/observation.h"
#include "probers/endpoint_prober.h"

namespace certvigil::probers {

/// One API server to probe for one context, and where it came from in words.
struct KubeServer {
  EndpointSpec spec;
  std::string origin;  ///< "<file> context <ctx> (cluster <c>, user <u>)"
};

struct KubeServers {
  std::vector<KubeServer> servers;
  /// Contexts that cannot be probed (a missing cluster, a server URL that is not https, CA or
  /// client material that cannot be read), as parse_error targets named after the context.
  std::vector<Observation> problems;
};

/// The host and port of an https `server` URL ("https://h:6443/path", "https://[::1]"); false
/// with `why` when it is not one.
bool parseServerUrl(const std::string& url, std::string& host, int& port, std::string& why);

/// Reads the kubeconfig again and lists its servers to probe. A kubeconfig that cannot be read
/// gives none (probeKubeconfig reports it). Never throws.
KubeServers kubeconfigServers(const std::filesystem::path& file, std::chrono::milliseconds timeout,
                              const Clock& clock);

}  // namespace certvigil::probers
