// SPDX-License-Identifier: Apache-2.0
// checks/checks.cpp: the check table and the role resolution. The table is explicit and
// ordered (no self-registration): adding a check is one file and one line here.
#include "checks/checks.h"

#include <algorithm>

#include "checks/common.h"

namespace certvigil::checks {
namespace {

constexpr CheckEntry kChecks[] = {
    {"read_problems", &checkReadProblems},
    {"expiry", &checkExpiry, &expiryHorizon},
    {"chain", &checkChain},
    {"eku", &checkEku},
    {"hostname", &checkHostname},
    {"key", &checkKey},
    {"weak_key", &checkWeakKey},
    {"signature", &checkSignature},
    {"self_signed", &checkSelfSigned},
    {"conformance", &checkConformance},
    {"leaf_is_ca", &checkLeafIsCa},
    {"revocation", &checkRevocation, &revocationHorizon},
    {"renewal", &checkRenewal, &renewalHorizon},
    {"crl_file", &checkCrlFile, &crlFileHorizon},
    {"bundle", &checkBundle},
    {"probe", &checkProbe},
    {"served_certificate", &checkServedCertificate},
    {"client_auth", &checkClientAuth},
};

/// The role a certificate's own extensions give it.
ResolvedRole roleFromFacts(const CertificateFacts& facts) {
  if (facts.is_ca) return ResolvedRole::Ca;
  if (facts.eku_server_auth) return ResolvedRole::Server;
  if (facts.eku_client_auth) return ResolvedRole::Client;
  return ResolvedRole::Any;
}

}  // namespace

std::span<const CheckEntry> allChecks() { return kChecks; }

std::vector<Finding> runChecks(const Observation& obs, const Policy& policy, TimePoint now) {
  std::vector<Finding> findings;
  for (const CheckEntry& entry : kChecks) {
    std::vector<Finding> found = entry.fn(obs, policy, now);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()),
                    std::make_move_iterator(found.end()));
  }
  sortWorstFirst(findings);
  return findings;
}

TimePoint nextChange(const Observation& obs, const Policy& policy, TimePoint now) {
  TimePoint earliest = TimePoint::max();
  for (const CheckEntry& entry : kChecks) {
    if (entry.horizon) earliest = std::min(earliest, entry.horizon(obs, policy, now));
  }
  return earliest;
}

ResolvedRole resolveRole(const CertificateFacts& facts, Role requested, int position) {
  const bool explicitRole = requested == Role::Client || requested == Role::Server;
  if (!explicitRole) return roleFromFacts(facts);
  if (position > 0) return ResolvedRole::Ca;
  return requested == Role::Client ? ResolvedRole::Client : ResolvedRole::Server;
}

std::vector<ResolvedRole> resolveRoles(const Observation& obs) {
  const Role requested = isBundle(obs) ? Role::CaBundle : leafRole(obs);
  std::vector<ResolvedRole> roles;
  roles.reserve(obs.certificates.size());
  for (const PresentedCertificate& cert : obs.certificates) {
    roles.push_back(cert.facts ? resolveRole(*cert.facts, requested, cert.position)
                               : ResolvedRole::Any);
  }
  return roles;
}

}  // namespace certvigil::checks
