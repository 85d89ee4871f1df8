// SPDX-License-Identifier: Apache-2.0
// checks/conformance.cpp: nonconforming (RFC 5280 rules that some clients enforce) and
// leaf_is_ca.
//
// Decisions (docs/FINDINGS.md, "Client profiles"):
// - Judged on the certificates of the path that an issuer made: the leaf and intermediates.
//   Self-signed certificates (roots) are the root programs' business: Debian's store holds
//   roots with serial 0 or a non-critical basicConstraints, and every leaf under them would
//   otherwise warn about something nobody can change. Except their key: an anchor's DSA key
//   must verify the next signature, which Go, Chromium and rustls cannot do.
// - Each rule names the clients that reject it, and the finding is critical only when one of
//   them is listed in `clients:`. A rule none of the modelled clients enforces is a warning
//   that says so.
// - leaf_is_ca (warning): rustls (webpki: CaUsedAsEndEntity) refuses a CA certificate as the
//   end-entity certificate; OpenSSL and Go accept it.
#include <array>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

struct Rule {
  std::string_view text;     ///< what is wrong, after "<certificate> "
  std::string_view section;  ///< "RFC 5280 4.2.1.9"
  ClientSet rejecting;       ///< who refuses the path because of it
  std::string_view remedy;
};

constexpr Rule kBasicConstraintsNotCritical{
    "is a CA whose basicConstraints is not marked critical",
    "RFC 5280 4.2.1.9",
    {Client::OpenSslStrict},
    "reissue the CA certificate with basicConstraints=critical,CA:TRUE"};
constexpr Rule kMissingSubjectKeyId{"is a CA without a subjectKeyIdentifier",
                                    "RFC 5280 4.2.1.2",
                                    {Client::OpenSslStrict},
                                    "reissue the CA certificate with subjectKeyIdentifier=hash"};
constexpr Rule kMissingAuthorityKeyId{
    "has no authorityKeyIdentifier",
    "RFC 5280 4.2.1.1",
    {Client::OpenSslStrict},
    "reissue it with authorityKeyIdentifier=keyid (openssl ca / x509 -extfile)"};
constexpr Rule kOldVersion{"is an X.509 v1 or v2 certificate",
                           "RFC 5280 4.1.2.1",
                           {Client::Rustls},
                           "reissue it as a v3 certificate (any extension makes openssl write v3)"};
constexpr Rule kNegativeSerial{"has a negative serial number",
                               "RFC 5280 4.1.2.2",
                               {Client::Go},
                               "reissue it with a positive serial number (Go 1.23+ refuses it)"};
constexpr Rule kZeroSerial{
    "has serial number 0", "RFC 5280 4.1.2.2", {}, "reissue it with a positive serial number"};
constexpr Rule kLongSerial{"has a serial number longer than 20 octets",
                           "RFC 5280 4.1.2.2",
                           {Client::Rustls},
                           "reissue it with a serial of at most 20 octets (e.g. 16 random bytes)"};
constexpr Rule kDsaKey{"has a DSA key",
                       "CA/Browser Forum BR 6.1.5",
                       {Client::Go, Client::Chromium, Client::Rustls},
                       "reissue it with an RSA (2048+) or ECDSA P-256 key"};
constexpr Rule kOddRsaSize{"has an RSA modulus whose size is not a multiple of 8 bits",
                           "CA/Browser Forum BR 6.1.5",
                           {},
                           "reissue it with a 2048, 3072 or 4096-bit RSA key"};

constexpr Rule kPathLenOnLeaf{"has a pathLenConstraint but is not a CA",
                              "RFC 5280 4.2.1.9",
                              {Client::OpenSslStrict, Client::Chromium},
                              "reissue it with basicConstraints=critical,CA:FALSE (no pathlen)"};
constexpr Rule kKeyCertSignOnNonCa{
    "has keyUsage keyCertSign but is not a CA (no basicConstraints CA:TRUE)",
    "RFC 5280 4.2.1.3",
    {Client::OpenSslStrict, Client::Chromium},
    "reissue it without keyCertSign (keyUsage=critical,digitalSignature), or as a real CA"};
constexpr Rule kEmptyIssuer{"has an empty issuer name",
                            "RFC 5280 4.1.2.4",
                            {Client::OpenSslStrict},
                            "reissue it from a CA whose subject name is not empty"};
constexpr Rule kCaEmptySubject{"is a CA with an empty subject name",
                               "RFC 5280 4.1.2.6",
                               {Client::OpenSslStrict},
                               "reissue the CA certificate with a subject name (CN=...)"};
constexpr Rule kEmptySubjectSanNotCritical{
    "has an empty subject and a subjectAltName not marked critical",
    "RFC 5280 4.2.1.6",
    {Client::OpenSslStrict},
    "reissue it with a subject name, or with subjectAltName marked critical"};

/// The RFC 5280 structure rules a certificate breaks.
std::vector<const Rule*> brokenRules(const CertificateFacts& f) {
  std::vector<const Rule*> broken;
  if (f.is_ca && f.has_basic_constraints && !f.basic_constraints_critical) {
    broken.push_back(&kBasicConstraintsNotCritical);
  }
  if (f.is_ca && !f.has_subject_key_id) broken.push_back(&kMissingSubjectKeyId);
  if (!f.self_issued && !f.has_authority_key_id) broken.push_back(&kMissingAuthorityKeyId);
  if (f.version < 3) broken.push_back(&kOldVersion);
  if (f.serial_sign < 0) broken.push_back(&kNegativeSerial);
  if (f.serial_sign == 0) broken.push_back(&kZeroSerial);
  if (f.serial_bytes > 20) broken.push_back(&kLongSerial);
  if (f.key_type == KeyType::Dsa) broken.push_back(&kDsaKey);
  if (f.key_type == KeyType::Rsa && f.key_bits % 8 != 0) broken.push_back(&kOddRsaSize);
  if (!f.is_ca && f.has_path_len) broken.push_back(&kPathLenOnLeaf);
  if (!f.is_ca && f.key_usage_cert_sign) broken.push_back(&kKeyCertSignOnNonCa);
  if (f.issuer_empty) broken.push_back(&kEmptyIssuer);
  if (f.is_ca && f.subject_empty) broken.push_back(&kCaEmptySubject);
  if (f.subject_empty && f.has_subject_alt_name && !f.subject_alt_name_critical) {
    broken.push_back(&kEmptySubjectSanNotCritical);
  }
  return broken;
}

/// Who refuses a certificate with this extension broken ("authorityInfoAccess (twice)"): what
/// OpenSSL reads while verifying makes it refuse (EXFLAG_INVALID), and webpki parses the same;
/// Go and Chromium parse every extension they know, and refuse the certificate when one fails.
ClientSet malformedRejecting(const std::string& extension) {
  constexpr std::array<std::string_view, 4> kReadOnlyByGoAndChromium = {
      "authorityInfoAccess", "crlDistributionPoints", "certificatePolicies", "policyConstraints"};
  for (std::string_view name : kReadOnlyByGoAndChromium) {
    if (extension.rfind(name, 0) == 0) return {Client::Go, Client::Chromium};
  }
  return ClientSet::defaults();
}

Finding malformedExtension(const JudgedCertificate& cert, const std::string& extension,
                           const Policy& policy) {
  const ClientSet rejecting = malformedRejecting(extension);
  Finding f = certificateFinding(FindingCode::Nonconforming, cert,
                                 describeCertificate(cert) + " has a malformed " + extension +
                                     " extension (RFC 5280 4.2): " + whoRejects(rejecting));
  f.severity = severityFor(rejecting, policy);
  f.remedy =
      "reissue it with well-formed extensions, each at most once (check with openssl "
      "x509 -noout -text, and asn1parse)";
  return f;
}

Finding nonconforming(const JudgedCertificate& cert, const Rule& rule, const Policy& policy) {
  const std::string who = rule.rejecting.empty() ? "none of the modelled clients rejects it yet"
                                                 : whoRejects(rule.rejecting);
  Finding f = certificateFinding(FindingCode::Nonconforming, cert,
                                 describeCertificate(cert) + " " + std::string(rule.text) + " (" +
                                     std::string(rule.section) + "): " + who);
  f.severity = rule.rejecting.empty() ? Severity::Warning : severityFor(rule.rejecting, policy);
  f.remedy = std::string(rule.remedy);
  return f;
}

}  // namespace

std::vector<Finding> checkConformance(const Observation& obs, const Policy& policy,
                                      TimePoint /*now*/) {
  std::vector<Finding> findings;
  for (const JudgedCertificate& cert : judgedCertificates(obs)) {
    if (cert.facts->self_signed || cert.anchor) {
      if (cert.facts->key_type == KeyType::Dsa)
        findings.push_back(nonconforming(cert, kDsaKey, policy));
      continue;
    }
    for (const Rule* rule : brokenRules(*cert.facts)) {
      findings.push_back(nonconforming(cert, *rule, policy));
    }
    for (const std::string& extension : cert.facts->malformed_extensions) {
      findings.push_back(malformedExtension(cert, extension, policy));
    }
  }
  return findings;
}

std::vector<Finding> checkLeafIsCa(const Observation& obs, const Policy& /*policy*/,
                                   TimePoint /*now*/) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  const Role role = leafRole(obs);
  if (leaf == nullptr || isBundle(obs) || (role != Role::Client && role != Role::Server)) return {};
  const CertificateFacts& f = *leaf->facts;
  if (!f.is_ca && !f.key_usage_cert_sign) return {};
  const std::string why = f.is_ca ? "basicConstraints CA:TRUE" : "keyUsage keyCertSign";
  Finding finding = certificateFinding(
      FindingCode::LeafIsCa, *leaf,
      describeCertificate(*leaf) + " is used as the " +
          (role == Role::Client ? "client" : "server") + " certificate but is a CA (" + why +
          "): " + whoRejects({Client::Rustls}) + " (webpki: CA used as end-entity)");
  return {finding};
}

}  // namespace certvigil::checks
