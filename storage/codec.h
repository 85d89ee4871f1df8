// SPDX-License-Identifier: Apache-2.0
// storage/codec.h: how model enums are spelled in the database. The stored spellings are the
// user-facing ones (core's toString), so `sqlite3 certvigil.db` reads naturally; these are the
// inverses core does not provide, tolerant of values written by another version.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/finding.h"
#include "core/target.h"

namespace certvigil::storage {

/// "server" | "client" | "ca" | "any"; anything else reads as Any.
ResolvedRole resolvedRoleFromString(std::string_view text);
/// "unknown_ca" | ...; nullopt for NULL/empty or an unknown cause.
std::optional<RejectCause> rejectCauseFromString(std::string_view text);
/// "endpoint" | "file" | "bundle"; anything else reads as File.
TargetKind targetKindOrFile(std::string_view text);

/// Small-integer forms kept in the in-memory state.
inline uint8_t toByte(TargetKind kind) { return static_cast<uint8_t>(kind); }
inline uint8_t toByte(ResolvedRole role) { return static_cast<uint8_t>(role); }
inline uint8_t toByte(Severity severity) { return static_cast<uint8_t>(severity); }
inline uint8_t toByte(FindingCode code) { return static_cast<uint8_t>(code); }

}  // namespace certvigil::storage
