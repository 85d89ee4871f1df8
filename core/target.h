// SPDX-License-Identifier: Apache-2.0
// core/target.h: what is watched. A configured entry (a glob, a bundle path, an endpoint) is a
// scan unit; each file or endpoint it expands to is a target.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certvigil {

/// What a unit or target is. A Discover unit (a web server configuration) expands to endpoint,
/// file and bundle targets; no target is of kind Discover.
enum class TargetKind { Endpoint, File, Bundle, Discover };

/// What a certificate must be fit for. Auto is resolved per certificate from EKU / CA flag.
enum class Role { Auto, Client, Server, CaBundle };

/// What a certificate at a position turned out to be, for labels and reports.
enum class ResolvedRole { Server, Client, Ca, Any };

std::string_view toString(TargetKind kind);    ///< "endpoint" | "file" | "bundle" | "discover"
std::string_view toString(Role role);          ///< "auto" | "client" | "server" | "ca-bundle"
std::string_view toString(ResolvedRole role);  ///< "server" | "client" | "ca" | "any"
std::optional<Role> roleFromString(std::string_view text);
std::optional<TargetKind> targetKindFromString(std::string_view text);

}  // namespace certvigil
