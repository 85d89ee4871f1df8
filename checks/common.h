// SPDX-License-Identifier: Apache-2.0
// checks/common.h: helpers the checks share (internal to checks/): which certificates matter,
// how to name a certificate in a message, and the role the leaf is judged for.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/client.h"
#include "core/finding.h"
#include "core/observation.h"
#include "core/policy.h"
#include "core/time.h"

namespace certvigil::checks {

/// A CA bundle (kind Bundle or role ca-bundle): judged as trust material, not as a chain.
bool isBundle(const Observation& obs);

/// What the leaf must be fit for: the explicit role; Server for an endpoint's leaf (what a
/// server sends is a server certificate); otherwise Auto (no fitness requirement).
Role leafRole(const Observation& obs);

/// The presented certificate at `position` (with facts), or nullptr.
const PresentedCertificate* findPosition(const Observation& obs, int position);

/// A certificate whose dates, keys and signature matter: presented, from the chain file, or the
/// trust anchor the path ends at.
struct JudgedCertificate {
  CertificateFactsPtr facts;
  int position = 0;  ///< its presented position; else its index on the path
  CertSource source = CertSource::Presented;
  bool anchor = false;  ///< the trust anchor a valid path ends at, above the target itself
};

/// The certificates clients judge, leaf first, each fingerprint once. With a valid path: every
/// certificate on it (presented, from the chain file, and the anchor), so a needlessly sent
/// root or an old cross-sign off the path never alerts. Otherwise (a broken chain, no chain, a
/// bundle): every presented certificate, plus what the path took from the chain file.
std::vector<JudgedCertificate> judgedCertificates(const Observation& obs);

/// True when the path the verifier built is complete (ChainStatus::Valid).
bool hasValidPath(const Observation& obs);

/// True when the leaf is self-signed and an end-entity certificate: not a CA, or a CA in a role
/// where position 0 is the leaf (an endpoint, an explicit client / server role).
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

/// describeCertificate plus where it came from when that is not the target itself:
/// "intermediate CN=Int (chain file)", "root CN=Root (trust store)".
std::string describeCertificate(const JudgedCertificate& cert);

/// A finding with the code's defaults about one presented certificate.
Finding certificateFinding(FindingCode code, const PresentedCertificate& cert, std::string message);
/// ... about one judged certificate.
Finding certificateFinding(FindingCode code, const JudgedCertificate& cert, std::string message);

/// Where clients differ: the severity of a finding that only `rejecting` clients fail on.
/// `listed` when one of the policy's clients rejects (the code's severity, usually critical),
/// Warning when only unlisted clients would.
Severity severityFor(ClientSet rejecting, const Policy& policy,
                     Severity listed = Severity::Critical);

/// "OpenSSL and Go reject it; Chromium and rustls accept it" (of every known family).
std::string whoRejects(ClientSet rejecting);

/// Said after whoRejects where OpenSSL rejects only through its security level (weak keys and
/// digests): why a bare `openssl verify` disagrees.
constexpr std::string_view kOpensslSecurityLevelNote =
    " (OpenSSL at security level 2, the default of Debian's TLS clients; a bare openssl verify "
    "checks no level)";

/// "5 days", "1 day", "11 hours", "3 minutes", "20 seconds" (rounded down, never negative).
std::string formatDuration(Seconds duration);

/// "a" + "b" + "c" -> "a, b, c"; at most `limit` items, then "and N more".
std::string joinNames(const std::vector<std::string>& names, size_t limit = 5);

}  // namespace certvigil::checks
