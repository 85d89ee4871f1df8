// SPDX-License-Identifier: Apache-2.0
// checks/expiry.cpp: expired, not_yet_valid, expires_soon.
//
// Validity is inclusive at both ends (RFC 5280 4.1.2.5): at now == notBefore and at
// now == notAfter the certificate is valid. So notAfter == now is expires_soon (critical,
// nothing left), and expired means notAfter < now.
//
// expires_soon fires per level when the time left <= min(days, fraction x lifetime): a 90-day
// certificate warns at 28 days left, a 24-hour one at 7.9 hours left (not all day long). The
// critical level wins when both apply. The fraction threshold is rounded to the second.
//
// Every certificate on the path a client builds is judged: presented, from the chain file, and
// the trust anchor. An anchor's dates split clients (the 2021 "DST Root CA X3" outage):
// OpenSSL and Go reject a path whose anchor expired or is not yet valid; Chromium (like NSS)
// and rustls (webpki trust anchors carry no dates) ignore them. So an anchor's finding names
// who rejects, and is critical only when a listed client does (policy.clients).
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

/// The clients that reject a path whose trust anchor is out of its validity period.
constexpr ClientSet kRejectAnchorDates{Client::OpenSsl, Client::Go};

/// What to do about a certificate that expires, by what it is.
std::string renewRemedy(const Observation& obs, const JudgedCertificate& cert) {
  const CertificateFacts& f = *cert.facts;
  const std::string name = certificateName(f);
  if (cert.anchor) {
    return "move clients to a path that ends at a current root: update their trust store "
           "(ca-certificates) and serve the chain of the CA's current root, not " +
           name;
  }
  if (f.self_signed && f.is_ca) {
    return "replace root " + name + " with its successor in every trust store and bundle";
  }
  if (isBundle(obs)) return "put the renewed certificate of " + name + " in the bundle and reload";
  if (cert.source == CertSource::ChainFile) {
    return "replace " + name + " in the chain file with the CA's current intermediate";
  }
  if (cert.position > 0) {
    return "put the CA's current intermediate in the chain (cat leaf.crt intermediate.crt > "
           "fullchain.pem) and reload";
  }
  if (leafRole(obs) == Role::Client) {
    return "renew client certificate " + name + " and deploy it (then restart its client)";
  }
  return "renew " + name + " and deploy it (then reload the service that uses it)";
}

/// An anchor's finding: who rejects it, and critical only when a listed client does.
void splitByClients(Finding& f, const JudgedCertificate& cert, const Policy& policy) {
  if (!cert.anchor) return;
  f.message += ": the path ends at this trust anchor, and " + whoRejects(kRejectAnchorDates) +
               " (they ignore an anchor's dates)";
  f.severity = std::min(f.severity, severityFor(kRejectAnchorDates, policy));
}

Finding expired(const Observation& obs, const Policy& policy, const JudgedCertificate& cert,
                TimePoint now) {
  const TimePoint end = cert.facts->not_after;
  Finding f =
      certificateFinding(FindingCode::Expired, cert,
                         describeCertificate(cert) + " expired " + formatDuration(now - end) +
                             " ago (" + formatRfc3339(end) + ")");
  f.remedy = renewRemedy(obs, cert);
  splitByClients(f, cert, policy);
  return f;
}

Finding notYetValid(const Policy& policy, const JudgedCertificate& cert, TimePoint now) {
  const TimePoint start = cert.facts->not_before;
  Finding f = certificateFinding(FindingCode::NotYetValid, cert,
                                 describeCertificate(cert) + " is not valid until " +
                                     formatRfc3339(start) + " (in " + formatDuration(start - now) +
                                     "): is this host's clock right?");
  splitByClients(f, cert, policy);
  return f;
}

std::optional<Finding> expiresSoon(const Observation& obs, const Policy& policy,
                                   const JudgedCertificate& cert, TimePoint now) {
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
  splitByClients(f, cert, policy);
  return f;
}

}  // namespace

ExpiryLevels expiryLevels(const CertificateFacts& facts, const Thresholds& thresholds) {
  return expiryLevels(facts.not_after - facts.not_before, thresholds);
}

ExpiryLevels expiryLevels(Seconds lifetime, const Thresholds& thresholds) {
  return {levelThreshold(thresholds.warning, thresholds.warning_fraction, lifetime),
          levelThreshold(thresholds.critical, thresholds.critical_fraction, lifetime)};
}

std::vector<Finding> checkExpiry(const Observation& obs, const Policy& policy, TimePoint now) {
  std::vector<Finding> findings;
  for (const JudgedCertificate& cert : judgedCertificates(obs)) {
    if (now < cert.facts->not_before) {
      findings.push_back(notYetValid(policy, cert, now));
    } else if (now > cert.facts->not_after) {
      findings.push_back(expired(obs, policy, cert, now));
    } else if (auto soon = expiresSoon(obs, policy, cert, now)) {
      findings.push_back(std::move(*soon));
    }
  }
  return findings;
}

namespace {

/// Keeps the earliest instant after `now`.
void considerInstant(TimePoint candidate, TimePoint now, TimePoint& earliest) {
  if (candidate > now && candidate < earliest) earliest = candidate;
}

void considerCertificate(const CertificateFacts& f, const Policy& policy, TimePoint now,
                         TimePoint& earliest) {
  const ExpiryLevels levels = expiryLevels(f, policy.thresholds);
  considerInstant(f.not_before, now, earliest);
  considerInstant(f.not_after - levels.warning, now, earliest);
  considerInstant(f.not_after - levels.critical, now, earliest);
  // notAfter is the last valid second (RFC 5280): expired from the next one.
  considerInstant(f.not_after + Seconds{1}, now, earliest);
}

}  // namespace

// Every certificate checkExpiry judges counts: the presented ones and those the path took from
// the chain file and the trust store.
TimePoint expiryHorizon(const Observation& obs, const Policy& policy, TimePoint now) {
  TimePoint earliest = TimePoint::max();
  for (const auto& cert : obs.certificates) {
    if (cert.facts) considerCertificate(*cert.facts, policy, now, earliest);
  }
  for (const PathCertificate& cert : obs.chain.path) {
    if (cert.facts && cert.source != CertSource::Presented) {
      considerCertificate(*cert.facts, policy, now, earliest);
    }
  }
  return earliest;
}

}  // namespace certvigil::checks
