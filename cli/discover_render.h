// SPDX-License-Identifier: Apache-2.0
// cli/discover_render.h: what `certvigil discover` prints: the discovered targets as config a
// user can paste (YAML, each entry with the file:line of its directive as a comment, skipped
// directives listed with their reason), or as one JSON document.
#pragma once

#include <string>
#include <vector>

#include "discovery/discovery.h"

namespace certvigil::cli {

/// Config YAML: endpoints:, files: (the CRL files among them, with their issuers), bundles:,
/// then skipped directives and problems as comments.
std::string renderDiscoveryYaml(const std::vector<discovery::Discovery>& found);

/// {"servers":[{"server", "config", "source", "endpoints", "files", "bundles", "crls",
/// "skipped", "problems"}]}.
std::string renderDiscoveryJson(const std::vector<discovery::Discovery>& found);

}  // namespace certvigil::cli
