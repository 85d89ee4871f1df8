// SPDX-License-Identifier: Apache-2.0
// cli/diagnosis.h: the mTLS doctor's reasoning, pure: from what one probe of an endpoint
// collected and concluded (the server target and the client certificate target), the steps an
// expert walks — connect, handshake, the server's certificate, the CertificateRequest and its
// CA names, our client certificate's fitness, the server's answer — and the verdict: which side
// rejects, the cause, and the fix as a command.
#pragma once

#include <string>
#include <vector>

#include "core/snapshot.h"

namespace certvigil::cli {

enum class StepStatus { Ok, Warn, Fail, Skipped };
std::string_view toString(StepStatus status);  ///< "ok" | "warn" | "fail" | "skipped"

struct DiagnosisStep {
  std::string name;   ///< "connect", "server_certificate", ...
  std::string title;  ///< "Can we connect?"
  StepStatus status = StepStatus::Ok;
  std::string summary;  ///< one line
  std::vector<std::string> details;
};

struct Verdict {
  /// Who refuses: "none" (it works), "server" (the server refuses us or is misconfigured),
  /// "client" (a client must refuse the server's certificate), "network" (no handshake),
  /// "local" (our own client credentials cannot be used).
  std::string rejecting_side;
  std::string cause;  ///< a finding code or reject cause, "" when it works
  std::string explanation;
  std::string fix;
};

struct Diagnosis {
  std::string target;
  std::vector<DiagnosisStep> steps;
  Verdict verdict;
};

/// `server` is the endpoint's result; `client` the result of the client certificate target, or
/// null when none was configured.
Diagnosis diagnose(const TargetResult& server, const TargetResult* client, TimePoint now);

}  // namespace certvigil::cli
