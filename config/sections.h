// SPDX-License-Identifier: Apache-2.0
// config/sections.h: readers for the list entries of a config (endpoints, files, bundles,
// notifiers), shared by load.cpp and load_targets.cpp. Internal to config/.
#pragma once

#include <string>

#include "config/config.h"
#include "config/yaml_reader.h"

namespace certvigil::config {

/// Each reads one list entry at `path` ("endpoints[2]"), reporting problems through `reader`.
/// What could not be read keeps its default; validate() judges the result.
EndpointConfig readEndpoint(Reader& reader, const YAML::Node& node, const std::string& path);
FileConfig readFileEntry(Reader& reader, const YAML::Node& node, const std::string& path);
BundleConfig readBundle(Reader& reader, const YAML::Node& node, const std::string& path);
DiscoverConfig readDiscover(Reader& reader, const YAML::Node& node, const std::string& path);
/// A `kubeconfig:` item: a path, or a mapping with `path` and options (load_kubeconfig.cpp).
KubeconfigConfig readKubeconfigEntry(Reader& reader, const YAML::Node& node,
                                     const std::string& path);
/// An `acme:` item: `directory` and optionally `issuer` or `aki` (load_acme.cpp).
AcmeConfig readAcme(Reader& reader, const YAML::Node& node, const std::string& path);
NotifierConfig readNotifier(Reader& reader, const YAML::Node& node, const std::string& path);
/// Reads a `revocation:` block at `path` over `out`: the keys present replace what `out` holds
/// (the global block, for an entry's own).
void readRevocation(Reader& reader, const YAML::Node& node, const std::string& path,
                    RevocationConfig& out);
/// An entry's own `revocation:` (over the global one), when the entry has that key.
std::optional<RevocationConfig> readEntryRevocation(Reader& reader, const YAML::Node& entry,
                                                    const std::string& path,
                                                    const RevocationConfig& global);

}  // namespace certvigil::config
