// SPDX-License-Identifier: Apache-2.0
// probers/kubeconfig_prober.h: reads a kubeconfig (config/kubeconfig_file.h) into the targets it
// holds: each user's client certificate with its key ("kubeconfig:<file>#user/<name>", client
// role), each cluster's CA ("kubeconfig:<file>#cluster/<name>", a bundle), from files (relative
// to the kubeconfig) or inline base64 `-data`. Read at every scan, like any watched file.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/observation.h"
#include "probers/file_prober.h"

namespace certvigil::probers {

/// "kubeconfig:<file>", the prefix of every target name of a kubeconfig.
std::string kubeconfigTargetName(const std::filesystem::path& file);

/// The bytes of a certificate or key given as a file or as inline base64 `-data` (the data
/// wins, as with kubectl); "" with `problem` set (naming `what`, e.g. "client-key") when
/// neither can be read.
std::string materialOf(const std::filesystem::path& file, const std::string& data, const char* what,
                       std::string& problem);

/// A target of a kubeconfig that could not be read: `why` as its parse_error.
Observation kubeconfigProblem(const std::string& name, TargetKind kind, Role role, std::string why,
                              const Clock& clock);

/// Collects the users' client certificates and the clusters' CAs; the kubeconfig itself is a
/// target only when it cannot be read or has malformed entries (parse_error). Never throws.
std::vector<Observation> probeKubeconfig(const std::filesystem::path& file, const FileProber& files,
                                         const Clock& clock);

}  // namespace certvigil::probers
