// SPDX-License-Identifier: Apache-2.0
// checks/check.h: the contract of a check, and every check there is. A check is a pure function
// of what a prober collected: no I/O, no clock (`now` is an argument), no OpenSSL. Each one
// judges one concern and returns its findings in any order; runChecks() sorts them.
// New check = one .cpp here + one line in kChecks (checks.cpp), with its horizon when its
// findings depend on `now`.
#pragma once

#include <string_view>
#include <vector>

#include "core/finding.h"
#include "core/observation.h"
#include "core/policy.h"
#include "core/time.h"

namespace certvigil::checks {

/// Judges one concern of an observation.
using CheckFn = std::vector<Finding> (*)(const Observation&, const Policy&, TimePoint now);

/// The earliest instant after `now` at which a check's findings for the observation may change
/// by the passing of time alone (a validity bound or threshold crossed, a CRL going stale);
/// TimePoint::max() when none is ahead. The scheduler judges a target again at that instant
/// without reading it, so every check whose findings depend on `now` must declare one.
using HorizonFn = TimePoint (*)(const Observation&, const Policy&, TimePoint now);

/// One row of the check table: a stable name (logs, tests), the function, and its horizon
/// (nullptr: the findings do not depend on `now`).
struct CheckEntry {
  std::string_view name;
  CheckFn fn;
  HorizonFn horizon = nullptr;
};

/// expired, not_yet_valid, expires_soon on every certificate that matters.
std::vector<Finding> checkExpiry(const Observation& obs, const Policy& policy, TimePoint now);
/// The next notBefore, threshold or notAfter + 1 s of a certificate checkExpiry judges.
TimePoint expiryHorizon(const Observation& obs, const Policy& policy, TimePoint now);
/// chain_incomplete, untrusted_root, not_a_ca from the chain verdict (not for bundles).
std::vector<Finding> checkChain(const Observation& obs, const Policy& policy, TimePoint now);
/// eku_client_auth_missing, eku_server_auth_missing down the path of an explicit role.
std::vector<Finding> checkEku(const Observation& obs, const Policy& policy, TimePoint now);
/// hostname_mismatch when the observation names a host the leaf must cover.
std::vector<Finding> checkHostname(const Observation& obs, const Policy& policy, TimePoint now);
/// key_mismatch, key_permissions (and parse_error for a key that could not be read).
std::vector<Finding> checkKey(const Observation& obs, const Policy& policy, TimePoint now);
/// weak_key: RSA/DSA < 2048 bits, EC < 256 bits.
std::vector<Finding> checkWeakKey(const Observation& obs, const Policy& policy, TimePoint now);
/// weak_signature: MD5 / SHA-1 (or worse) signatures on certificates that are not self-signed.
std::vector<Finding> checkSignature(const Observation& obs, const Policy& policy, TimePoint now);
/// self_signed: a self-signed leaf that is not a CA.
std::vector<Finding> checkSelfSigned(const Observation& obs, const Policy& policy, TimePoint now);
/// nonconforming: RFC 5280 rules some clients enforce, on the issued certificates of the path.
std::vector<Finding> checkConformance(const Observation& obs, const Policy& policy, TimePoint now);
/// leaf_is_ca: the end-entity certificate of a client / server role is a CA.
std::vector<Finding> checkLeafIsCa(const Observation& obs, const Policy& policy, TimePoint now);
/// revoked, revocation_unknown (stale CRL) from the revocation facts.
std::vector<Finding> checkRevocation(const Observation& obs, const Policy& policy, TimePoint now);
/// The next nextUpdate + 1 s of the revocation facts (a CRL goes stale then).
TimePoint revocationHorizon(const Observation& obs, const Policy& policy, TimePoint now);
/// renewal_due: the ACME CA's suggested renewal window of the leaf has started (RFC 9773).
std::vector<Finding> checkRenewal(const Observation& obs, const Policy& policy, TimePoint now);
/// The next window start, or the next moment the CA may be asked again (its Retry-After).
TimePoint renewalHorizon(const Observation& obs, const Policy& policy, TimePoint now);
/// A CRL file a server checks peers against: expired / expires_soon on its CRLs' nextUpdate,
/// not_yet_valid, revocation_unknown (critical) for a CRL it cannot use or a CA without a CRL.
std::vector<Finding> checkCrlFile(const Observation& obs, const Policy& policy, TimePoint now);
/// The next thisUpdate, threshold or nextUpdate + 1 s of a CRL checkCrlFile judges.
TimePoint crlFileHorizon(const Observation& obs, const Policy& policy, TimePoint now);
/// parse_error, pem_empty from the read problems; parse_error for a file with nothing in it.
std::vector<Finding> checkReadProblems(const Observation& obs, const Policy& policy, TimePoint now);
/// bundle_no_ca, bundle_multiple_roots, bundle_no_root, bundle_contains_private_key.
std::vector<Finding> checkBundle(const Observation& obs, const Policy& policy, TimePoint now);

/// connect_failed, handshake_failed, timeout: an endpoint probe that did not get through.
std::vector<Finding> checkProbe(const Observation& obs, const Policy& policy, TimePoint now);
/// served_cert_mismatch: the endpoint's leaf is not the one in its expect_file.
std::vector<Finding> checkServedCertificate(const Observation& obs, const Policy& policy,
                                            TimePoint now);
/// client_cert_not_requested, client_cert_not_enforced, client_cert_rejected (with cause).
std::vector<Finding> checkClientAuth(const Observation& obs, const Policy& policy, TimePoint now);

}  // namespace certvigil::checks
