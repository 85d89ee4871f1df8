// SPDX-License-Identifier: Apache-2.0
// checks/renewal.cpp: renewal_due from the renewal information (RFC 9773) the revocation
// module recorded for a leaf. The CA's suggested window is the whole judgement: due from its
// start on (RFC 9773 lets a client pick a moment inside the window; a monitor says the window
// is open). A request that failed is no finding: it leaves the last window, or none.
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

const PresentedCertificate* subjectOf(const Observation& obs, const RenewalFacts& facts) {
  for (const PresentedCertificate& cert : obs.certificates) {
    if (cert.facts && cert.facts->fingerprint_sha256 == facts.fingerprint) return &cert;
  }
  return nullptr;
}

Finding due(const PresentedCertificate& cert, const RenewalFacts& facts) {
  std::string message = describeCertificate(cert) +
                        " is due for renewal: its CA's suggested renewal window started " +
                        formatRfc3339(*facts.window_start);
  if (facts.window_end) message += " (ends " + formatRfc3339(*facts.window_end) + ")";
  if (!facts.explanation_url.empty()) message += "; see " + facts.explanation_url;
  Finding f = certificateFinding(FindingCode::RenewalDue, cert, std::move(message));
  f.remedy = "renew " + certificateName(*cert.facts) +
             " now (certbot renew --cert-name NAME --force-renewal, or let an ARI-aware ACME "
             "client do it) and deploy it";
  return f;
}

}  // namespace

std::vector<Finding> checkRenewal(const Observation& obs, const Policy& /*policy*/, TimePoint now) {
  std::vector<Finding> findings;
  for (const RenewalFacts& facts : obs.renewal) {
    if (!facts.window_start || now < *facts.window_start) continue;
    const PresentedCertificate* cert = subjectOf(obs, facts);
    if (cert != nullptr && cert->facts) findings.push_back(due(*cert, facts));
  }
  return findings;
}

TimePoint renewalHorizon(const Observation& obs, const Policy& /*policy*/, TimePoint now) {
  TimePoint earliest = TimePoint::max();
  for (const RenewalFacts& facts : obs.renewal) {
    if (facts.window_start && *facts.window_start > now) {
      earliest = std::min(earliest, *facts.window_start);
    }
    // The CA may move the window when it may be asked again: judge (and ask) then.
    if (facts.next_poll && *facts.next_poll > now) earliest = std::min(earliest, *facts.next_poll);
  }
  return earliest;
}

}  // namespace certvigil::checks
