// SPDX-License-Identifier: Apache-2.0
#include "cli/diagnosis.h"

#include <algorithm>

#include "checks/client_chain.h"

namespace certvigil::cli {
namespace {

bool isProbeCode(FindingCode c) {
  return c == FindingCode::ConnectFailed || c == FindingCode::HandshakeFailed ||
         c == FindingCode::Timeout;
}

bool isClientSideCode(FindingCode c) {
  return c == FindingCode::ClientCertRejected || c == FindingCode::ClientCertNotRequested ||
         c == FindingCode::ClientCertNotEnforced;
}

const Finding* firstWith(const std::vector<Finding>& findings, FindingCode code) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [code](const Finding& f) { return f.code == code; });
  return it == findings.end() ? nullptr : &*it;
}

// The server certificate's own findings (everything but the probe and the mTLS codes).
std::vector<const Finding*> serverCertificateFindings(const TargetResult& server) {
  std::vector<const Finding*> out;
  for (const Finding& f : server.findings) {
    if (!isProbeCode(f.code) && !isClientSideCode(f.code)) out.push_back(&f);
  }
  return out;
}

StepStatus statusOf(const std::vector<const Finding*>& findings) {
  StepStatus status = StepStatus::Ok;
  for (const Finding* f : findings) {
    if (f->severity == Severity::Critical) return StepStatus::Fail;
    if (f->severity == Severity::Warning) status = StepStatus::Warn;
  }
  return status;
}

// No TCP connection: refused, unresolvable, or out of time while resolving or connecting.
bool failedBeforeTls(const EndpointFacts& e) {
  return e.failure == ProbeFailureKind::Connect ||
         (e.failure == ProbeFailureKind::Timeout &&
          (e.failure_words->stage == "resolve" || e.failure_words->stage == "connect"));
}

DiagnosisStep connectStep(const EndpointFacts& e) {
  DiagnosisStep s{"connect", "Can we connect?", StepStatus::Ok, {}, {}};
  if (failedBeforeTls(e)) {
    s.status = StepStatus::Fail;
    s.summary = "no: " + e.failure_words->detail + " (at " + e.failure_words->stage + ")";
    return s;
  }
  s.summary = "yes, to " + (e.ip.empty() ? e.address : e.ip);
  return s;
}

DiagnosisStep handshakeStep(const EndpointFacts& e) {
  DiagnosisStep s{"handshake", "Does the TLS handshake complete?", StepStatus::Ok, {}, {}};
  // Checked first: a timeout before the connection is the connect step's failure, not this one.
  if (failedBeforeTls(e)) {
    s.status = StepStatus::Skipped;
    s.summary = "not reached";
    return s;
  }
  if (e.failure == ProbeFailureKind::Handshake || e.failure == ProbeFailureKind::Timeout) {
    s.status = StepStatus::Fail;
    s.summary = "no: " + e.failure_words->detail + " (at " + e.failure_words->stage + ")";
    return s;
  }
  s.summary = "yes: " + e.tls_version.str() + ", " + e.cipher.str() +
              (e.servername.empty() ? "" : ", SNI " + e.servername);
  if (e.ocsp_stapled) s.details.push_back("stapled OCSP response: " + e.ocsp_status.str());
  return s;
}

DiagnosisStep serverCertificateStep(const TargetResult& server, TimePoint now) {
  DiagnosisStep s{"server_certificate",
                  "Is the server's certificate good (chain, name, dates)?",
                  StepStatus::Ok,
                  {},
                  {}};
  const auto& certs = server.observation.certificates;
  if (certs.empty()) {
    s.status = StepStatus::Skipped;
    s.summary = "no certificate received";
    return s;
  }
  const CertificateFacts& leaf = *certs.front().facts;
  const auto days = std::chrono::duration_cast<Seconds>(leaf.not_after - now).count() / 86400;
  s.summary = leaf.subject + ", issued by " + leaf.issuer + ", expires " +
              formatRfc3339(leaf.not_after) + " (" + std::to_string(days) + " days), " +
              std::to_string(certs.size()) + " certificate(s) sent";
  const auto findings = serverCertificateFindings(server);
  s.status = statusOf(findings);
  for (const Finding* f : findings) {
    s.details.push_back(std::string(toString(f->severity)) + ": " + f->message);
  }
  if (findings.empty()) s.details.push_back("chain, name and dates are fine");
  for (const RevocationFacts& r : server.observation.revocation) {
    if (r.position != 0) continue;
    s.details.push_back("revocation: " + std::string(statusText(r)) + " (" +
                        std::string(toString(r.source)) + (r.url.empty() ? "" : " " + r.url) + ")");
  }
  return s;
}

DiagnosisStep requestStep(const ClientAuthFacts& c) {
  DiagnosisStep s{"certificate_request",
                  "Does the server ask for a client certificate?",
                  StepStatus::Ok,
                  {},
                  {}};
  if (!c.certificate_requested) {
    s.status = c.expected == MtlsExpectation::None ? StepStatus::Ok : StepStatus::Fail;
    s.summary = "no CertificateRequest: the server does not ask for client certificates";
    return s;
  }
  s.summary = c.acceptable_ca_names.empty()
                  ? "yes; it names no CAs (any CA it trusts)"
                  : "yes; it accepts certificates issued by " +
                        std::to_string(c.acceptable_ca_names.size()) + " CA(s):";
  for (const auto& name : c.acceptable_ca_names) s.details.push_back(name);
  return s;
}

void addFitness(DiagnosisStep& s, bool ok, const std::string& good, const std::string& bad) {
  s.details.push_back((ok ? "ok: " : "PROBLEM: ") + (ok ? good : bad));
  if (!ok) s.status = StepStatus::Fail;
}

DiagnosisStep clientStep(const ClientAuthFacts& c, const TargetResult* client, TimePoint now) {
  DiagnosisStep s{"client_certificate", "Is our client certificate fit?", StepStatus::Ok, {}, {}};
  if (c.client_source.empty()) {
    s.status = StepStatus::Skipped;
    s.summary = "none configured (give --client-cert/--client-key or --client-pkcs12)";
    return s;
  }
  if (!c.client_problem.empty()) {
    s.status = StepStatus::Fail;
    s.summary = "cannot be used: " + c.client_problem;
    return s;
  }
  const auto a = checks::analyzeClientChain(c, now);
  const CertificateFacts& leaf = *c.client_chain.front();
  s.summary = leaf.subject + ", issued by " + leaf.issuer + ", we send " +
              std::to_string(c.client_chain.size()) + " certificate(s)";
  using checks::IssuerFit;
  if (a.issuer == IssuerFit::MissingIssuer) {
    addFitness(s, false, "",
               "the chain we send stops at " + a.top_issuer +
                   ": the intermediate that links it to an accepted CA is missing");
  } else {
    addFitness(s, a.issuer == IssuerFit::Listed || a.issuer == IssuerFit::Unknown,
               a.issuer == IssuerFit::Listed ? "its issuer is among the accepted CAs"
                                             : "the server names no CAs to compare with",
               "its issuer \"" + a.top_issuer + "\" is not among the accepted CAs");
  }
  addFitness(s, a.client_auth_ok, "extendedKeyUsage allows clientAuth",
             "extendedKeyUsage lacks clientAuth");
  addFitness(s, !a.expired && !a.not_yet_valid, "dates are valid now",
             a.expired ? a.expired_name + " has expired" : "not valid yet");
  const bool key_ok =
      client == nullptr || firstWith(client->findings, FindingCode::KeyMismatch) == nullptr;
  addFitness(s, key_ok, "the private key matches", "the private key does not match");
  return s;
}

DiagnosisStep answerStep(const ClientAuthFacts& c) {
  DiagnosisStep s{"server_answer", "What did the server answer?", StepStatus::Ok, {}, {}};
  s.summary = c.answer.describe();
  if (c.answer.refused()) s.status = StepStatus::Fail;
  if (c.anonymous) {
    s.details.push_back("without a client certificate: " + c.anonymous->describe() +
                        (c.anonymous->served() ? " (served: mTLS is not enforced)" : ""));
  }
  return s;
}

Verdict verdictFor(const TargetResult& server) {
  const auto& findings = server.findings;
  for (FindingCode code :
       {FindingCode::ConnectFailed, FindingCode::Timeout, FindingCode::HandshakeFailed}) {
    if (const Finding* f = firstWith(findings, code)) {
      return {"network", std::string(toString(code)), f->message, f->remedy};
    }
  }
  for (const Finding* f : serverCertificateFindings(server)) {
    if (f->severity != Severity::Critical) continue;
    return {"client", std::string(toString(f->code)),
            "clients reject the server's certificate: " + f->message, f->remedy};
  }
  const ClientAuthFacts& c = server.observation.endpoint->client;
  if (!c.client_problem.empty()) {
    return {"local", "client_certificate_unusable", c.client_problem,
            "fix the client certificate files (certificate, key, password)"};
  }
  if (const Finding* f = firstWith(findings, FindingCode::ClientCertRejected)) {
    return {"server", f->cause ? std::string(toString(*f->cause)) : "other", f->message, f->remedy};
  }
  for (FindingCode code :
       {FindingCode::ClientCertNotRequested, FindingCode::ClientCertNotEnforced}) {
    if (const Finding* f = firstWith(findings, code)) {
      return {"server", std::string(toString(code)), f->message, f->remedy};
    }
  }
  return {"none", "", "the handshake succeeds and the server accepts what we present", ""};
}

}  // namespace

std::string_view toString(StepStatus status) {
  switch (status) {
    case StepStatus::Warn:
      return "warn";
    case StepStatus::Fail:
      return "fail";
    case StepStatus::Skipped:
      return "skipped";
    case StepStatus::Ok:
      break;
  }
  return "ok";
}

Diagnosis diagnose(const TargetResult& server, const TargetResult* client, TimePoint now) {
  Diagnosis d;
  d.target = server.observation.target;
  if (!server.observation.endpoint) return d;
  const EndpointFacts& e = *server.observation.endpoint;
  d.steps.push_back(connectStep(e));
  d.steps.push_back(handshakeStep(e));
  const bool got_through = e.failure == ProbeFailureKind::None;
  if (got_through) {
    d.steps.push_back(serverCertificateStep(server, now));
    d.steps.push_back(requestStep(e.client));
    d.steps.push_back(clientStep(e.client, client, now));
    d.steps.push_back(answerStep(e.client));
  }
  d.verdict = verdictFor(server);
  return d;
}

}  // namespace certvigil::cli
