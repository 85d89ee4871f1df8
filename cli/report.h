// SPDX-License-Identifier: Apache-2.0
// cli/report.h: how results are shown to a person (short, worst first, a remedy under every
// finding, coloured on a terminal) and to a script (one JSON document, shaped as in
// tests/golden/check_synthetic.json), and the Nagios exit code they add up to.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::cli {

/// Nagios plugin exit codes.
enum class ExitCode { Ok = 0, Warning = 1, Critical = 2, Unknown = 3 };

/// {"evaluated_at"?,"results":[{"target","kind","certificates":[...],"path"?:[...],
/// "findings":[...]}]}: `evaluated_at` (the instant judged, --at) when given; `path` when the
/// verifier built one: every certificate a client judges, with where it came from.
nlohmann::ordered_json resultsToJson(const std::vector<TargetResultPtr>& results,
                                     std::optional<TimePoint> evaluated_at = std::nullopt);
/// One entry of "results".
nlohmann::ordered_json resultToJson(const TargetResult& result);
/// Prints the document of resultsToJson exactly as `std::setw(2) << document` does, building
/// one result's JSON at a time (what `check --json` prints).
void writeResultsJson(std::ostream& out, const std::vector<TargetResultPtr>& results,
                      std::optional<TimePoint> evaluated_at = std::nullopt);
/// One certificate as JSON (also used by inventory).
nlohmann::ordered_json certificateToJson(const CertificateFacts& facts, int position,
                                         ResolvedRole role);
/// An endpoint's handshake and mTLS facts, and one server answer, as JSON.
nlohmann::ordered_json endpointToJson(const EndpointFacts& facts);
nlohmann::ordered_json answerToJson(const ServerAnswer& answer);
/// One finding as JSON.
nlohmann::ordered_json findingToJson(const Finding& finding);

/// The human report: targets worst first, each certificate's expiry, each finding with its
/// remedy, then a one-line summary.
void printReport(std::ostream& out, const std::vector<TargetResultPtr>& results, bool color,
                 TimePoint now);

/// Critical if any finding is critical, Warning if any is a warning, else Ok.
ExitCode exitCodeFor(const std::vector<TargetResultPtr>& results);

}  // namespace certvigil::cli
