// checks/common.h: helpers the checks share (internal to checks/): which certificates matter,
// how to name a certificate in a message, and the role the leaf is judged for.
#pragma once

#include <string>
#include <vector>

#include "core/finding.h"
#include "core/observation.h"
#include "core/time.h"

namespace certvigil::checks {

/// A CA bundle (kind Bundle or role ca-bundle): judged as trust material, not as a chain.
bool isBundle(const Observation& obs);

/// What the leaf must be fit for: the explicit role; Server for an endpoint's leaf (what a
/// server sends is a server certificate); otherwise Auto (no fitness requirement).
Role leafRole(const Observation& obs);

/// The presented certificate at `position` (with facts), or nullptr.
const PresentedCertificate* findPosition(const Observation& obs, int position);

/// The certificates whose expiry, keys and signatures matter, in position order, each
/// fingerprint once. With a valid chain path: the leaf and the presented certificates on the
/// path, so a needlessly sent root or an old cross-sign off the path never alerts. Otherwise
/// (no path, a broken chain, a bundle): every presented certificate.
std::vector<const PresentedCertificate*> judgedCertificates(const Observation& obs);

/// True when the leaf is self-signed and not a CA (a self-signed end-entity certificate).
bool isSelfSignedLeaf(const Observation& obs);

/// True when an untrusted self-signed leaf is a real failure (untrusted_root, critical) rather
/// than a fact (self_signed, info): it is sent to peers (an endpoint) or the user named the role
/// a peer must accept it for (client / server).
bool selfSignedLeafMustBeTrusted(const Observation& obs);

/// "CN=api", else the subject, else "sha256:<first 16 hex digits>".
std::string certificateName(const CertificateFacts& facts);

/// What the certificate is and its name: "leaf CN=api", "intermediate CN=Int CA",
/// "root CN=Root CA", "CA CN=Int CA" (a CA at position 0), "certificate #2 CN=x".
std::string describeCertificate(const PresentedCertificate& cert);

/// A finding with the code's defaults about one presented certificate.
Finding certificateFinding(FindingCode code, const PresentedCertificate& cert, std::string message);

/// "5 days", "1 day", "11 hours", "3 minutes", "20 seconds" (rounded down, never negative).
std::string formatDuration(Seconds duration);

/// "a" + "b" + "c" -> "a, b, c"; at most `limit` items, then "and N more".
std::string joinNames(const std::vector<std::string>& names, size_t limit = 5);

}  // namespace certvigil::checks
