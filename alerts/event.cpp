// SPDX-License-Identifier: Apache-2.0
#include "alerts/event.h"

#include <algorithm>
#include <array>
#include <utility>

namespace certvigil::alerts {
namespace {

// Alertmanager routes on alertname: one per code, stable like the codes themselves.
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kAlertNames{{
    {"expired", "CertificateExpired"},
    {"not_yet_valid", "CertificateNotYetValid"},
    {"expires_soon", "CertificateExpiringSoon"},
    {"chain_incomplete", "CertificateChainIncomplete"},
    {"untrusted_root", "CertificateUntrustedRoot"},
    {"not_a_ca", "CertificateIssuerNotCA"},
    {"eku_client_auth_missing", "CertificateClientAuthMissing"},
    {"eku_server_auth_missing", "CertificateServerAuthMissing"},
    {"hostname_mismatch", "CertificateHostnameMismatch"},
    {"key_mismatch", "CertificateKeyMismatch"},
    {"key_permissions", "CertificateKeyPermissions"},
    {"weak_key", "CertificateWeakKey"},
    {"weak_signature", "CertificateWeakSignature"},
    {"self_signed", "CertificateSelfSigned"},
    {"nonconforming", "CertificateNonconforming"},
    {"leaf_is_ca", "CertificateLeafIsCa"},
    {"revoked", "CertificateRevoked"},
    {"revocation_unknown", "CertificateRevocationUnknown"},
    {"renewal_due", "CertificateRenewalDue"},
    {"served_cert_mismatch", "CertificateServedMismatch"},
    {"parse_error", "CertificateParseError"},
    {"pem_empty", "CertificatePemEmpty"},
    {"bundle_no_ca", "CaBundleNoCa"},
    {"bundle_multiple_roots", "CaBundleMultipleRoots"},
    {"bundle_no_root", "CaBundleNoRoot"},
    {"bundle_contains_private_key", "CaBundleContainsPrivateKey"},
    {"client_cert_not_requested", "ClientCertificateNotRequested"},
    {"client_cert_not_enforced", "ClientCertificateNotEnforced"},
    {"client_cert_rejected", "ClientCertificateRejected"},
    {"connect_failed", "EndpointConnectFailed"},
    {"handshake_failed", "EndpointHandshakeFailed"},
    {"timeout", "EndpointProbeTimeout"},
    {"certificate_changed", "CertificateChanged"},
}};

constexpr long kDay = 86400;

}  // namespace

std::string_view alertName(std::string_view code) {
  for (const auto& [c, name] : kAlertNames) {
    if (c == code) return name;
  }
  return "CertvigilFinding";
}

std::vector<std::string_view> alertNameCodes() {
  std::vector<std::string_view> codes;
  for (const auto& entry : kAlertNames) codes.push_back(entry.first);
  return codes;
}

std::optional<long> daysLeft(const AlertEvent& event) {
  if (!event.not_after) return std::nullopt;
  const long seconds = static_cast<long>(toUnix(*event.not_after) - toUnix(event.created_at));
  // Floor division: 1 second past notAfter is day -1, not day 0.
  return seconds >= 0 ? seconds / kDay : -((-seconds + kDay - 1) / kDay);
}

bool EventFilter::matches(std::string_view severity, std::string_view code) const {
  const auto allows = [](const std::vector<std::string>& list, std::string_view value) {
    return list.empty() || std::find(list.begin(), list.end(), value) != list.end();
  };
  return allows(severities, severity) && allows(codes, code);
}

std::string summaryLine(const AlertEvent& event) {
  std::string line;
  switch (event.kind) {
    case EventKind::Resolved:
      line = "RESOLVED ";
      break;
    case EventKind::SeverityChanged:
      line = "NOW " + event.severity + " (was " + event.previous_severity + ") ";
      break;
    case EventKind::Repeat:
      line = "STILL ";
      break;
    case EventKind::Firing:
    case EventKind::CertificateChanged:
      break;
  }
  if (event.kind != EventKind::SeverityChanged) line += event.severity + " ";
  line += event.code + " at " + event.target + ": " + event.message;
  return line;
}

}  // namespace certvigil::alerts
