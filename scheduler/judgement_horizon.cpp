// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "checks/expiry.h"
#include "scheduler/unit_scanner.h"

namespace certvigil::scheduler {

namespace {

// Keeps the earliest instant after `now`.
void consider(TimePoint candidate, TimePoint now, TimePoint& earliest) {
  if (candidate > now && candidate < earliest) earliest = candidate;
}

void considerCertificate(const CertificateFacts& f, const Policy& policy, TimePoint now,
                         TimePoint& earliest) {
  const checks::ExpiryLevels levels = checks::expiryLevels(f, policy.thresholds);
  consider(f.not_before, now, earliest);
  consider(f.not_after - levels.warning, now, earliest);
  consider(f.not_after - levels.critical, now, earliest);
  // notAfter is the last valid second (RFC 5280): expired from the next one.
  consider(f.not_after + Seconds{1}, now, earliest);
}

}  // namespace

// Every certificate the checks judge counts: the presented ones and those the path took from
// the chain file and the trust store (their dates raise findings too).
TimePoint judgementHorizon(const Observation& obs, const Policy& policy, TimePoint now) {
  TimePoint earliest = now + Seconds{3600};
  for (const auto& cert : obs.certificates) {
    if (cert.facts) considerCertificate(*cert.facts, policy, now, earliest);
  }
  for (const PathCertificate& cert : obs.chain.path) {
    if (cert.facts && cert.source != CertSource::Presented) {
      considerCertificate(*cert.facts, policy, now, earliest);
    }
  }
  for (const auto& r : obs.revocation) {
    if (r.next_update) consider(*r.next_update + Seconds{1}, now, earliest);
  }
  return earliest;
}

}  // namespace certvigil::scheduler
