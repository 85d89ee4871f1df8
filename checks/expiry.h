// SPDX-License-Identifier: Apache-2.0
// checks/expiry.h: the expires_soon thresholds of one certificate, shared by the expiry check
// and by the scheduler (which re-judges a target when a certificate crosses one of them).
#pragma once

#include "core/certificate.h"
#include "core/policy.h"
#include "core/time.h"

namespace certvigil::checks {

/// How much time left makes a certificate expires_soon, per level.
struct ExpiryLevels {
  Seconds warning{0};
  Seconds critical{0};
};

/// min(days, fraction x lifetime) per level, the fraction part rounded to the second, so that
/// short-lived certificates do not alert all their life. A non-positive lifetime gives 0.
/// expires_soon fires when time left <= the level (critical wins).
ExpiryLevels expiryLevels(const CertificateFacts& facts, const Thresholds& thresholds);
/// The same for anything valid for `lifetime` (a CRL: nextUpdate - thisUpdate).
ExpiryLevels expiryLevels(Seconds lifetime, const Thresholds& thresholds);

}  // namespace certvigil::checks
