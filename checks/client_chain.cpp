// SPDX-License-Identifier: Apache-2.0
// checks/client_chain.cpp: see client_chain.h. Telling a wrong CA from a missing intermediate
// (docs/FINDINGS.md): what we send ending at a self-signed root the server does not list is a wrong
// CA; what we send stopping below a root whose top issuer the server does not list is an
// incomplete chain — unless we know locally which root it leads to and the server does not list
// that root either, which makes it a wrong CA after all.
#include "checks/client_chain.h"

#include <algorithm>

#include "checks/common.h"

namespace certvigil::checks {
namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
  return !name.empty() && std::find(names.begin(), names.end(), name) != names.end();
}

IssuerFit issuerFit(const ClientAuthFacts& facts) {
  const auto& names = facts.acceptable_ca_names;
  if (names.empty() || facts.client_chain.empty()) return IssuerFit::Unknown;
  for (const CertificateFactsPtr& cert : facts.client_chain) {
    if (listed(names, cert->issuer) || (cert->is_ca && listed(names, cert->subject))) {
      return IssuerFit::Listed;
    }
  }
  if (facts.client_chain.back()->self_signed) return IssuerFit::UnlistedRoot;
  if (listed(names, facts.client_root)) return IssuerFit::MissingIssuer;
  return facts.client_root.empty() ? IssuerFit::MissingIssuer : IssuerFit::UnlistedIssuer;
}

void checkValidity(const ClientAuthFacts& facts, TimePoint now, ClientChainAnalysis& out) {
  for (const CertificateFactsPtr& cert : facts.client_chain) {
    if (cert->self_signed) continue;  // a root we send is not judged by the server's verifier
    if (now > cert->not_after && !out.expired) {
      out.expired = true;
      out.expired_name = certificateName(*cert);
      out.expired_at = cert->not_after;
    }
    if (now < cert->not_before) out.not_yet_valid = true;
  }
}

bool specificAlert(const ServerAnswer& answer, int code) {
  return answer.alert.has_value() && *answer.alert == code;
}

constexpr int kAlertUnsupportedCertificate = 43;
constexpr int kAlertCertificateExpired = 45;
constexpr int kAlertUnknownCa = 48;

}  // namespace

ClientChainAnalysis analyzeClientChain(const ClientAuthFacts& facts, TimePoint now) {
  ClientChainAnalysis analysis;
  analysis.present = !facts.client_chain.empty();
  if (!analysis.present) return analysis;
  const CertificateFacts& leaf = *facts.client_chain.front();
  analysis.client_auth_ok = !leaf.has_eku || leaf.eku_client_auth;
  analysis.issuer = issuerFit(facts);
  analysis.top_issuer = facts.client_chain.back()->issuer;
  analysis.root = facts.client_root;
  checkValidity(facts, now, analysis);
  return analysis;
}

RejectCause classifyRejection(const ServerAnswer& answer, const ClientChainAnalysis& analysis) {
  if (specificAlert(answer, kAlertCertificateExpired)) return RejectCause::Expired;
  if (specificAlert(answer, kAlertUnsupportedCertificate)) return RejectCause::UnsupportedPurpose;
  switch (analysis.issuer) {
    case IssuerFit::UnlistedRoot:
    case IssuerFit::UnlistedIssuer:
      return RejectCause::UnknownCa;
    case IssuerFit::MissingIssuer:
      return RejectCause::IncompleteChain;
    case IssuerFit::Listed:
    case IssuerFit::Unknown:
      break;
  }
  if (specificAlert(answer, kAlertUnknownCa)) return RejectCause::UnknownCa;
  if (!analysis.client_auth_ok) return RejectCause::UnsupportedPurpose;
  if (analysis.expired || analysis.not_yet_valid) return RejectCause::Expired;
  return RejectCause::Other;
}

std::string explainRejection(RejectCause cause, const ServerAnswer& answer,
                             const ClientChainAnalysis& analysis, const ClientAuthFacts& facts) {
  const std::string said = "the server refused our client certificate (" + answer.describe() + ")";
  const std::string accepted = facts.acceptable_ca_names.empty()
                                   ? std::string()
                                   : "; it accepts " + joinNames(facts.acceptable_ca_names, 3);
  switch (cause) {
    case RejectCause::UnknownCa:
      // The name in quotes, not in parentheses: a DN has commas, and "(...)" after "trusts"
      // read as part of it.
      return said + ": its issuer \"" + analysis.top_issuer + "\" is not a CA the server trusts" +
             accepted;
    case RejectCause::IncompleteChain:
      return said + ": we send no certificate for " + analysis.top_issuer +
             ", so the server cannot link it to its CA" + accepted;
    case RejectCause::Expired:
      return said + ": " +
             (analysis.expired ? analysis.expired_name + " has expired"
                               : std::string("the certificate is expired or not yet valid by the "
                                             "server's clock"));
    case RejectCause::UnsupportedPurpose:
      return said +
             ": the certificate is not valid for client authentication (no clientAuth in "
             "its extendedKeyUsage)";
    case RejectCause::Other:
      break;
  }
  return said;
}

std::string rejectionRemedy(RejectCause cause, const ClientAuthFacts& facts) {
  const std::string file = facts.client_source.empty() ? "client.crt" : facts.client_source;
  switch (cause) {
    case RejectCause::UnknownCa:
      return "issue the client certificate from a CA the server accepts, or add its root to the "
             "server's client CA bundle (nginx: ssl_client_certificate)";
    case RejectCause::IncompleteChain:
      return "send leaf + intermediate: cat " + file +
             " intermediate.crt > client-fullchain.pem, and configure client-fullchain.pem";
    case RejectCause::Expired:
      return "renew the client certificate (and check both clocks: timedatectl)";
    case RejectCause::UnsupportedPurpose:
      return "reissue with extendedKeyUsage=clientAuth: openssl x509 -req -in client.csr -CA "
             "ca.crt -CAkey ca.key -out client.crt -extfile <(printf "
             "\"extendedKeyUsage=clientAuth\")";
    case RejectCause::Other:
      break;
  }
  return "read the server's error log for the reason it gives for refusing the certificate";
}

}  // namespace certvigil::checks
