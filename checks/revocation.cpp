// checks/revocation.cpp: revoked and revocation_unknown from CRL verdicts.
//
// Only certificates that matter are judged (checks/common.h judgedCertificates): a revoked
// old cross-sign off a valid path does not page anyone. A covering CRL whose nextUpdate has
// passed (nextUpdate < now) is stale: revocation_unknown, never revoked; but a certificate a
// stale CRL lists as revoked stays revoked (revocation is permanent).
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// The judged certificate these facts are about, or nullptr when it does not matter.
const PresentedCertificate* judgedSubject(const std::vector<const PresentedCertificate*>& judged,
                                          const RevocationFacts& facts) {
  for (const PresentedCertificate* cert : judged) {
    const bool sameFingerprint =
        !facts.fingerprint.empty() && facts.fingerprint == cert->facts->fingerprint_sha256;
    const bool samePosition = facts.fingerprint.empty() && facts.position == cert->position;
    if (sameFingerprint || samePosition) return cert;
  }
  return nullptr;
}

Finding revoked(const PresentedCertificate& cert, const RevocationFacts& facts) {
  std::string message = describeCertificate(cert) + " is revoked";
  if (facts.revoked_at) message += " since " + formatRfc3339(*facts.revoked_at);
  if (!facts.reason.empty()) message += " (" + facts.reason + ")";
  Finding f = certificateFinding(FindingCode::Revoked, cert, message + " according to its CRL");
  f.remedy = "replace " + certificateName(*cert.facts) +
             " with a newly issued certificate (and a new key if the reason is keyCompromise)";
  return f;
}

Finding stale(const PresentedCertificate& cert, TimePoint next_update, TimePoint now) {
  Finding f = certificateFinding(
      FindingCode::RevocationUnknown, cert,
      "revocation of " + describeCertificate(cert) + " is unknown: its CRL is stale (nextUpdate " +
          formatRfc3339(next_update) + ", " + formatDuration(now - next_update) + " ago)");
  f.remedy =
      "fetch the issuer's current CRL (see the certificate's CRL distribution point) "
      "and replace the CRL file";
  return f;
}

}  // namespace

std::vector<Finding> checkRevocation(const Observation& obs, const Policy& /*policy*/,
                                     TimePoint now) {
  const auto judged = judgedCertificates(obs);
  std::vector<Finding> findings;
  for (const RevocationFacts& facts : obs.revocation) {
    const PresentedCertificate* cert = judgedSubject(judged, facts);
    if (cert == nullptr) continue;
    if (facts.revoked) {
      findings.push_back(revoked(*cert, facts));
    } else if (facts.covered && facts.next_update && *facts.next_update < now) {
      findings.push_back(stale(*cert, *facts.next_update, now));
    }
  }
  return findings;
}

}  // namespace certvigil::checks
