// SPDX-License-Identifier: Apache-2.0
// core/finding.h: what a check concludes about a target. Codes and their defaults live in
// finding_codes.def (the docs/FINDINGS.md table, once).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certvigil {

/// Ordered: a higher value is worse.
enum class Severity { Info = 0, Warning = 1, Critical = 2 };

enum class FindingCode {
#define CERTVIGIL_FINDING(name, code, severity, meaning, remedy) name,
#include "core/finding_codes.def"
#undef CERTVIGIL_FINDING
};

/// Why a server refused our client certificate (the `cause` detail of client_cert_rejected).
enum class RejectCause { UnknownCa, Expired, UnsupportedPurpose, IncompleteChain, Other };

/// The stable code string ("expires_soon").
std::string_view toString(FindingCode code);
/// "info" | "warning" | "critical".
std::string_view toString(Severity severity);
/// "unknown_ca" | "expired" | "unsupported_purpose" | "incomplete_chain" | "other".
std::string_view toString(RejectCause cause);
/// The inverse of toString; nullopt for an unknown string.
std::optional<FindingCode> findingCodeFromString(std::string_view code);
std::optional<Severity> severityFromString(std::string_view severity);
/// The default severity, meaning and remedy of a code.
Severity defaultSeverity(FindingCode code);
std::string_view defaultMeaning(FindingCode code);
std::string_view defaultRemedy(FindingCode code);
/// Every code, in table order.
const std::vector<FindingCode>& allFindingCodes();

/// One conclusion about one target, optionally about one certificate of it.
struct Finding {
  FindingCode code = FindingCode::ParseError;
  Severity severity = Severity::Critical;
  std::string fingerprint;  ///< SHA-256 of the certificate concerned (hex), empty if none
  int position = -1;        ///< its position in the chain as presented (0 = leaf), -1 if none
  std::string message;      ///< one line, for a person
  std::string remedy;       ///< one line, what to do
  std::optional<RejectCause> cause;  ///< only on client_cert_rejected

  /// Identity for transitions: the same finding in two scans has the same key.
  std::string key() const;
  friend bool operator==(const Finding&, const Finding&) = default;
};

/// Builds a finding with the code's default severity and remedy.
Finding makeFinding(FindingCode code, std::string message, std::string fingerprint = {},
                    int position = -1);

/// Worst first; then by code, position.
void sortWorstFirst(std::vector<Finding>& findings);
/// The worst severity, or nullopt when there are none.
std::optional<Severity> worstSeverity(const std::vector<Finding>& findings);

}  // namespace certvigil
