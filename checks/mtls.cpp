// SPDX-License-Identifier: Apache-2.0
// checks/mtls.cpp: the client side of an mTLS endpoint: client_cert_not_requested (mTLS is
// expected, no CertificateRequest came), client_cert_not_enforced (mTLS is required, a client
// without a certificate was served) and client_cert_rejected with its cause (client_chain.h).
#include "checks/check.h"
#include "checks/client_chain.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

bool handshakeGotThrough(const EndpointFacts& facts) {
  return facts.failure == ProbeFailureKind::None;
}

// The answer a client without a certificate got: the second probe, or the main one when no
// client certificate was configured.
const ServerAnswer* anonymousAnswer(const ClientAuthFacts& client) {
  if (client.anonymous) return &*client.anonymous;
  return client.certificate_sent || !client.client_chain.empty() ? nullptr : &client.answer;
}

std::vector<Finding> notRequested(const Observation& obs, const EndpointFacts& facts) {
  return {makeFinding(
      FindingCode::ClientCertNotRequested,
      obs.target + " is expected to ask for a client certificate (mtls: " +
          (facts.client->expected == MtlsExpectation::Required ? "required" : "optional") +
          ") but sent no CertificateRequest: any client gets in")};
}

Finding notEnforced(const Observation& obs, const ServerAnswer& answer) {
  std::string how = answer.http_status ? "answered HTTP " + std::to_string(*answer.http_status)
                                       : std::string("completed the handshake");
  return makeFinding(FindingCode::ClientCertNotEnforced,
                     obs.target + " requires mTLS (mtls: required) but " + how +
                         " for a client that sent no certificate (nginx: ssl_verify_client "
                         "optional?)");
}

Finding rejected(const Observation& obs, const ClientAuthFacts& client, TimePoint now) {
  const ClientChainAnalysis analysis = analyzeClientChain(client, now);
  const RejectCause cause = classifyRejection(client.answer, analysis);
  Finding f =
      makeFinding(FindingCode::ClientCertRejected,
                  obs.target + ": " + explainRejection(cause, client.answer, analysis, client),
                  client.client_chain.front()->fingerprint_sha256, 0);
  f.cause = cause;
  f.remedy = rejectionRemedy(cause, client);
  return f;
}

}  // namespace

std::vector<Finding> checkClientAuth(const Observation& obs, const Policy& /*policy*/,
                                     TimePoint now) {
  if (!obs.endpoint || !handshakeGotThrough(*obs.endpoint)) return {};
  const EndpointFacts& facts = *obs.endpoint;
  const ClientAuthFacts& client = facts.client;
  std::vector<Finding> findings;
  if (client.expected != MtlsExpectation::None && !client.certificate_requested) {
    return notRequested(obs, facts);
  }
  if (client.certificate_sent && !client.client_chain.empty() && client.answer.refused()) {
    findings.push_back(rejected(obs, client, now));
  }
  const ServerAnswer* anonymous = anonymousAnswer(client);
  if (client.expected == MtlsExpectation::Required && anonymous != nullptr && anonymous->served()) {
    findings.push_back(notEnforced(obs, *anonymous));
  }
  return findings;
}

}  // namespace certvigil::checks
