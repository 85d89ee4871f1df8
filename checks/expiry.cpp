// checks/expiry.cpp: expired, not_yet_valid, expires_soon.
//
// Validity is inclusive at both ends (RFC 5280 4.1.2.5): at now == notBefore and at
// now == notAfter the certificate is valid. So notAfter == now is expires_soon (critical,
// nothing left), and expired means notAfter < now.
//
// expires_soon fires per level when the time left <= min(days, fraction x lifetime): a 90-day
// certificate warns at 28 days left, a 24-hour one at 7.9 hours left (not all day long). The
// critical level wins when both apply. The fraction threshold is rounded to the second.
#include "checks/expiry.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

/// One level's threshold: min(days, fraction x lifetime).
Seconds levelThreshold(Seconds days, double fraction, Seconds lifetime) {
  const auto life = static_cast<double>(std::max<int64_t>(lifetime.count(), 0));
  return std::min(days, Seconds{std::llround(fraction * life)});
}

/// What to do about a certificate that expires, by what it is.
std::string renewRemedy(const Observation& obs, const PresentedCertificate& cert) {
  const CertificateFacts& f = *cert.facts;
  const std::string name = certificateName(f);
  if (f.self_signed && f.is_ca) {
    return "replace root " + name + " with its successor in every trust store and bundle";
  }
  if (isBundle(obs)) return "put the renewed certificate of " + name + " in the bundle and reload";
  if (cert.position > 0) {
    return "put the CA's current intermediate in the chain (cat leaf.crt intermediate.crt > "
           "fullchain.pem) and reload";
  }
  if (leafRole(obs) == Role::Client) {
    return "renew client certificate " + name + " and deploy it (then restart its client)";
  }
  return "renew " + name + " and deploy it (then reload the service that uses it)";
}

Finding expired(const Observation& obs, const PresentedCertificate& cert, TimePoint now) {
  const TimePoint end = cert.facts->not_after;
  Finding f =
      certificateFinding(FindingCode::Expired, cert,
                         describeCertificate(cert) + " expired " + formatDuration(now - end) +
                             " ago (" + formatRfc3339(end) + ")");
  f.remedy = renewRemedy(obs, cert);
  return f;
}

Finding notYetValid(const PresentedCertificate& cert, TimePoint now) {
  const TimePoint start = cert.facts->not_before;
  return certificateFinding(FindingCode::NotYetValid, cert,
                            describeCertificate(cert) + " is not valid until " +
                                formatRfc3339(start) + " (in " + formatDuration(start - now) +
                                "): is this host's clock right?");
}

std::optional<Finding> expiresSoon(const Observation& obs, const Policy& policy,
                                   const PresentedCertificate& cert, TimePoint now) {
  const CertificateFacts& facts = *cert.facts;
  const Seconds left = facts.not_after - now;
  const ExpiryLevels levels = expiryLevels(facts, policy.thresholds);
  const bool critical = left <= levels.critical;
  if (!critical && left > levels.warning) return std::nullopt;
  const std::string when = left.count() == 0 ? "now" : "in " + formatDuration(left);
  Finding f = certificateFinding(
      FindingCode::ExpiresSoon, cert,
      describeCertificate(cert) + " expires " + when + " (" + formatRfc3339(facts.not_after) + ")");
  if (critical) f.severity = Severity::Critical;
  f.remedy = renewRemedy(obs, cert);
  return f;
}

}  // namespace

ExpiryLevels expiryLevels(const CertificateFacts& facts, const Thresholds& thresholds) {
  const Seconds lifetime = facts.not_after - facts.not_before;
  return {levelThreshold(thresholds.warning, thresholds.warning_fraction, lifetime),
          levelThreshold(thresholds.critical, thresholds.critical_fraction, lifetime)};
}

std::vector<Finding> checkExpiry(const Observation& obs, const Policy& policy, TimePoint now) {
  std::vector<Finding> findings;
  for (const PresentedCertificate* cert : judgedCertificates(obs)) {
    if (now < cert->facts->not_before) {
      findings.push_back(notYetValid(*cert, now));
    } else if (now > cert->facts->not_after) {
      findings.push_back(expired(obs, *cert, now));
    } else if (auto soon = expiresSoon(obs, policy, *cert, now)) {
      findings.push_back(std::move(*soon));
    }
  }
  return findings;
}

}  // namespace certvigil::checks
