// SPDX-License-Identifier: Apache-2.0
// checks/revocation.cpp: revoked and revocation_unknown from CRL verdicts.
//
// Only certificates that matter are judged (checks/common.h judgedCertificates): a revoked
// old cross-sign off a valid path does not page anyone. A covering CRL whose nextUpdate has
// passed (nextUpdate < now) is stale: revocation_unknown, never revoked; but a certificate a
// stale CRL lists as revoked stays revoked (revocation is permanent). A CRL that cannot be
// trusted (x509/crl.h) is not used: revocation_unknown with the reason, never revoked.
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// The judged certificate these facts are about, or nullptr when it does not matter.
const JudgedCertificate* judgedSubject(const std::vector<JudgedCertificate>& judged,
                                       const RevocationFacts& facts) {
  for (const JudgedCertificate& cert : judged) {
    const bool sameFingerprint =
        !facts.fingerprint.empty() && facts.fingerprint == cert.facts->fingerprint_sha256;
    const bool samePosition = facts.fingerprint.empty() && facts.position == cert.position;
    if (sameFingerprint || samePosition) return &cert;
  }
  return nullptr;
}

Finding revoked(const JudgedCertificate& cert, const RevocationFacts& facts) {
  std::string message = describeCertificate(cert) + " is revoked";
  if (facts.revoked_at) message += " since " + formatRfc3339(*facts.revoked_at);
  if (!facts.reason.empty()) message += " (" + facts.reason + ")";
  Finding f = certificateFinding(FindingCode::Revoked, cert, message + " according to its CRL");
  f.remedy = "replace " + certificateName(*cert.facts) +
             " with a newly issued certificate (and a new key if the reason is keyCompromise)";
  return f;
}

Finding unusable(const JudgedCertificate& cert, const RevocationFacts& facts) {
  Finding f = certificateFinding(
      FindingCode::RevocationUnknown, cert,
      "revocation of " + describeCertificate(cert) + " is unknown: " + facts.problem);
  f.remedy =
      "configure the current CRL of the certificate's issuer, signed by that issuer "
      "(openssl crl -in FILE -noout -issuer -verify -CAfile issuer.crt)";
  return f;
}

Finding stale(const JudgedCertificate& cert, TimePoint next_update, TimePoint now) {
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
    const JudgedCertificate* cert = judgedSubject(judged, facts);
    if (cert == nullptr) continue;
    if (facts.revoked) {
      findings.push_back(revoked(*cert, facts));
    } else if (!facts.covered && !facts.problem.empty()) {
      findings.push_back(unusable(*cert, facts));
    } else if (facts.covered && facts.next_update && *facts.next_update < now) {
      findings.push_back(stale(*cert, *facts.next_update, now));
    }
  }
  return findings;
}

TimePoint revocationHorizon(const Observation& obs, const Policy& /*policy*/, TimePoint now) {
  TimePoint earliest = TimePoint::max();
  for (const RevocationFacts& facts : obs.revocation) {
    // Stale from the second after nextUpdate.
    if (facts.next_update && *facts.next_update + Seconds{1} > now) {
      earliest = std::min(earliest, *facts.next_update + Seconds{1});
    }
  }
  return earliest;
}

}  // namespace certvigil::checks
