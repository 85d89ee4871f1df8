// SPDX-License-Identifier: Apache-2.0
// checks/signature.cpp: weak_signature, MD5 or SHA-1 (or older MD2/MD4) signatures.
//
// Self-signed certificates and trust anchors are never judged: an anchor is trusted by being in
// a store, not by its signature, and the same holds for a pinned self-signed leaf. Only what a
// verifier actually checks (a signature by an issuer) can be weak in a way that matters, and
// that includes intermediates from the chain file: clients receive them like the rest.
//
// Every modelled client refuses these signatures: Go since 1.18, Chromium since 2017, rustls
// never had them, and OpenSSL at security level 2 (Debian's default for TLS: curl, nginx,
// Python) refuses SHA-1 and worse in the chain ("CA signature digest algorithm too weak"), even
// though a bare `openssl verify` does not. So the finding is critical when any client is listed
// (the client profiles' rule), a warning only when `clients:` lists none of them.
#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

struct WeakDigest {
  std::string_view token;  ///< as it appears in digest / algorithm names, lower case
  std::string_view label;  ///< for the message
};

constexpr std::array<WeakDigest, 4> kWeakDigests = {
    {{"md2", "MD2"}, {"md4", "MD4"}, {"md5", "MD5"}, {"sha1", "SHA-1"}}};

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

/// The weak digest the certificate is signed with; the algorithm name is consulted only when
/// the digest is unknown ("sha1WithRSAEncryption", "ecdsa-with-SHA1").
std::optional<std::string_view> weakDigest(const CertificateFacts& facts) {
  const std::string digest = lower(facts.signature_digest);
  const std::string algorithm = lower(facts.signature_algorithm);
  for (const WeakDigest& weak : kWeakDigests) {
    if (digest == weak.token) return weak.label;
    if (digest.empty() && algorithm.find(weak.token) != std::string::npos) return weak.label;
  }
  return std::nullopt;
}

Finding weakSignature(const Observation& obs, const JudgedCertificate& cert, std::string_view label,
                      const Policy& policy) {
  const CertificateFacts& facts = *cert.facts;
  const std::string algorithm =
      facts.signature_algorithm.empty() ? "" : " (" + facts.signature_algorithm + ")";
  const ClientSet rejecting = ClientSet::defaults();
  Finding f = certificateFinding(FindingCode::WeakSignature, cert,
                                 describeCertificate(cert) + " is signed with " +
                                     std::string(label) + algorithm + ": " + whoRejects(rejecting) +
                                     std::string(kOpensslSecurityLevelNote));
  f.severity = severityFor(rejecting, policy);
  if (cert.source == CertSource::ChainFile) {
    f.remedy = "replace " + certificateName(facts) +
               " in the chain file with the CA's SHA-256 signed intermediate";
  } else if (facts.is_ca && !isBundle(obs)) {
    f.remedy = "get the CA's SHA-256 signed intermediate and send it in the chain instead";
  } else if (facts.is_ca) {
    f.remedy = "replace " + certificateName(facts) + " in the bundle with a SHA-256 signed one";
  }
  return f;
}

}  // namespace

std::vector<Finding> checkSignature(const Observation& obs, const Policy& policy,
                                    TimePoint /*now*/) {
  std::vector<Finding> findings;
  for (const JudgedCertificate& cert : judgedCertificates(obs)) {
    // An anchor is trusted by being in the store, not by a signature anyone checks.
    if (cert.facts->self_signed || cert.anchor) continue;
    if (auto label = weakDigest(*cert.facts)) {
      findings.push_back(weakSignature(obs, cert, *label, policy));
    }
  }
  return findings;
}

}  // namespace certvigil::checks
