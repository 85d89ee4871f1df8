// SPDX-License-Identifier: Apache-2.0
#include "storage/codec.h"

#include <array>

namespace certvigil::storage {

ResolvedRole resolvedRoleFromString(std::string_view text) {
  for (auto role : {ResolvedRole::Server, ResolvedRole::Client, ResolvedRole::Ca}) {
    if (toString(role) == text) return role;
  }
  return ResolvedRole::Any;
}

std::optional<RejectCause> rejectCauseFromString(std::string_view text) {
  constexpr std::array kCauses = {RejectCause::UnknownCa, RejectCause::Expired,
                                  RejectCause::UnsupportedPurpose, RejectCause::IncompleteChain,
                                  RejectCause::Other};
  for (auto cause : kCauses) {
    if (toString(cause) == text) return cause;
  }
  return std::nullopt;
}

TargetKind targetKindOrFile(std::string_view text) {
  return targetKindFromString(text).value_or(TargetKind::File);
}

}  // namespace certvigil::storage
