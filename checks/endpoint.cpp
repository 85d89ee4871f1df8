// SPDX-License-Identifier: Apache-2.0
// checks/endpoint.cpp: what only an endpoint can get wrong besides its certificates: the probe
// did not get through (connect_failed, handshake_failed, timeout), and it serves another
// certificate than the file it is configured to serve (served_cert_mismatch).
#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

FindingCode codeOf(ProbeFailureKind failure) {
  switch (failure) {
    case ProbeFailureKind::Connect:
      return FindingCode::ConnectFailed;
    case ProbeFailureKind::Timeout:
      return FindingCode::Timeout;
    case ProbeFailureKind::Handshake:
    case ProbeFailureKind::None:
      break;
  }
  return FindingCode::HandshakeFailed;
}

std::string failureMessage(const Observation& obs, const EndpointFacts& facts) {
  const std::string where =
      facts.ip.empty() || facts.ip == obs.target ? obs.target : obs.target + " (" + facts.ip + ")";
  const ProbeFailureWords& words = facts.failure_words.get();
  switch (facts.failure) {
    case ProbeFailureKind::Connect:
      return "cannot connect to " + where + ": " + words.detail;
    case ProbeFailureKind::Timeout:
      return "no answer from " + where + " within the deadline (stopped at " + words.stage + ")" +
             (words.detail.empty() ? "" : ": " + words.detail);
    case ProbeFailureKind::Handshake:
    case ProbeFailureKind::None:
      break;
  }
  return "TLS " + (words.stage == "starttls" ? std::string("STARTTLS") : "handshake") + " with " +
         where + " failed: " + words.detail;
}

Finding mismatch(const Observation& obs, const ExpectedLeaf& expected) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  Finding f = certificateFinding(FindingCode::ServedCertMismatch, *leaf,
                                 obs.target + " serves " + describeCertificate(*leaf) +
                                     " (sha256 " + leaf->facts->fingerprint_sha256.substr(0, 16) +
                                     "...), not the certificate in " + expected.file + " (sha256 " +
                                     expected.fingerprint.substr(0, 16) +
                                     "...): renewed on disk but not reloaded?");
  return f;
}

}  // namespace

std::vector<Finding> checkProbe(const Observation& obs, const Policy& /*policy*/,
                                TimePoint /*now*/) {
  if (!obs.endpoint || obs.endpoint->failure == ProbeFailureKind::None) return {};
  const EndpointFacts& facts = *obs.endpoint;
  return {makeFinding(codeOf(facts.failure), failureMessage(obs, facts))};
}

std::vector<Finding> checkServedCertificate(const Observation& obs, const Policy& /*policy*/,
                                            TimePoint /*now*/) {
  if (!obs.endpoint || obs.endpoint->expected_leaf->file.empty()) return {};
  const ExpectedLeaf& expected = obs.endpoint->expected_leaf.get();
  if (!expected.problem.empty()) {
    return {makeFinding(FindingCode::ParseError,
                        "expect_file " + expected.file + ": " + expected.problem)};
  }
  const PresentedCertificate* leaf = findPosition(obs, 0);
  if (leaf == nullptr || expected.fingerprint.empty()) return {};
  if (leaf->facts->fingerprint_sha256 == expected.fingerprint) return {};
  return {mismatch(obs, expected)};
}

}  // namespace certvigil::checks
