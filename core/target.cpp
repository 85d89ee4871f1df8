// SPDX-License-Identifier: Apache-2.0
#include "core/target.h"

namespace certvigil {

std::string_view toString(TargetKind kind) {
  switch (kind) {
    case TargetKind::Endpoint:
      return "endpoint";
    case TargetKind::File:
      return "file";
    case TargetKind::Bundle:
      return "bundle";
    case TargetKind::Discover:
      return "discover";
  }
  return "file";
}

std::string_view toString(Role role) {
  switch (role) {
    case Role::Auto:
      return "auto";
    case Role::Client:
      return "client";
    case Role::Server:
      return "server";
    case Role::CaBundle:
      return "ca-bundle";
  }
  return "auto";
}

std::string_view toString(ResolvedRole role) {
  switch (role) {
    case ResolvedRole::Server:
      return "server";
    case ResolvedRole::Client:
      return "client";
    case ResolvedRole::Ca:
      return "ca";
    case ResolvedRole::Any:
      return "any";
  }
  return "any";
}

std::optional<Role> roleFromString(std::string_view text) {
  for (Role r : {Role::Auto, Role::Client, Role::Server, Role::CaBundle}) {
    if (toString(r) == text) return r;
  }
  return std::nullopt;
}

std::optional<TargetKind> targetKindFromString(std::string_view text) {
  for (TargetKind k :
       {TargetKind::Endpoint, TargetKind::File, TargetKind::Bundle, TargetKind::Discover}) {
    if (toString(k) == text) return k;
  }
  return std::nullopt;
}

}  // namespace certvigil
