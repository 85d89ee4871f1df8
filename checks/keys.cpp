// SPDX-License-Identifier: Apache-2.0
// checks/keys.cpp: the private key (key_mismatch, key_permissions) and the certificates' public
// keys (weak_key).
//
// weak_key names who rejects the key and is critical when a listed client does (the client
// profiles' rule; docs/FINDINGS.md): RSA below 1024 bits and curves below P-224 fail everywhere;
// RSA-1024 fails OpenSSL at security level 2 (Debian's default for TLS) and rustls (webpki
// takes 2048-8192 bits); P-224 fails Chromium and rustls. A trust anchor's key is judged too: it
// verifies the next signature on the path.
//
// A key that could not be read is parse_error ("a file or block that is not a certificate, key
// or bundle we can read"): otherwise a broken key would silence key_mismatch. key_permissions
// concerns the key file, not a certificate, so it carries no fingerprint: renewing the
// certificate must not resolve and re-raise it.
#include <string>

#include "checks/check.h"
#include "checks/common.h"

namespace certvigil::checks {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr int kMinEcBits = 256;

/// "private key /etc/x.key", or "the private key in /etc/x.pem" when it shares the file.
std::string keyName(const Observation& obs, const KeyFacts& key) {
  return key.path.empty() ? "the private key in " + obs.target : "private key " + key.path;
}

std::string keyFile(const Observation& obs, const KeyFacts& key) {
  return key.path.empty() ? obs.target : key.path;
}

/// "0644".
std::string octalMode(unsigned mode) {
  std::string out;
  for (int shift = 9; shift >= 0; shift -= 3) {
    out += static_cast<char>('0' + ((mode >> shift) & 7U));
  }
  return out;
}

Finding keyMismatch(const Observation& obs, const KeyFacts& key) {
  const PresentedCertificate* leaf = findPosition(obs, 0);
  const std::string cert = leaf ? describeCertificate(*leaf) : "the certificate";
  std::string message = keyName(obs, key) + " does not belong to " + cert;
  Finding f = leaf ? certificateFinding(FindingCode::KeyMismatch, *leaf, std::move(message))
                   : makeFinding(FindingCode::KeyMismatch, std::move(message));
  f.remedy =
      "deploy the key the certificate was issued for (compare openssl x509 -noout -pubkey -in "
      "CERT and openssl pkey -pubout -in KEY), or reissue the certificate for this key";
  return f;
}

Finding keyPermissions(const Observation& obs, const KeyFacts& key) {
  const std::string file = keyFile(obs, key);
  Finding f = makeFinding(
      FindingCode::KeyPermissions,
      keyName(obs, key) + " is accessible to group or other (mode " + octalMode(key.mode) + ")");
  f.remedy = "chmod 600 " + file + " and chown it to the one user that reads it";
  return f;
}

Finding keyUnreadable(const Observation& obs, const KeyFacts& key) {
  const std::string why = key.problem.empty() ? "unreadable" : key.problem;
  Finding f = makeFinding(FindingCode::ParseError, keyName(obs, key) + " cannot be read: " + why);
  f.remedy = "check the key file and its password (openssl pkey -in " + keyFile(obs, key) +
             " -noout), and that certvigil may read it";
  return f;
}

/// The minimum size for this key type, 0 when size is not the measure (Ed25519, unknown).
int minimumBits(KeyType type) {
  switch (type) {
    case KeyType::Rsa:
    case KeyType::Dsa:
      return kMinRsaBits;
    case KeyType::Ec:
      return kMinEcBits;
    default:
      return 0;
  }
}

/// Who refuses a key below the minimum (see the decisions above).
ClientSet weakKeyRejecting(const CertificateFacts& facts) {
  constexpr int kRsaFloorEverywhere = 1024;
  constexpr int kEcFloorEverywhere = 224;
  switch (facts.key_type) {
    case KeyType::Rsa:
      return facts.key_bits < kRsaFloorEverywhere ? ClientSet::defaults()
                                                  : ClientSet{Client::OpenSsl, Client::Rustls};
    case KeyType::Ec:
      return facts.key_bits < kEcFloorEverywhere ? ClientSet::defaults()
                                                 : ClientSet{Client::Chromium, Client::Rustls};
    default:  // DSA: only OpenSSL verifies DSA at all (nonconforming names the others)
      return {Client::OpenSsl};
  }
}

Finding weakKey(const JudgedCertificate& cert, int minimum, const Policy& policy) {
  const CertificateFacts& facts = *cert.facts;
  const ClientSet rejecting = weakKeyRejecting(facts);
  Finding f = certificateFinding(
      FindingCode::WeakKey, cert,
      describeCertificate(cert) + " has a weak " + facts.keyText() + " key (" +
          std::string(toString(facts.key_type)) + " needs at least " + std::to_string(minimum) +
          " bits): " + whoRejects(rejecting) +
          (rejecting.contains(Client::OpenSsl) ? std::string(kOpensslSecurityLevelNote) : ""));
  f.severity = severityFor(rejecting, policy);
  if (facts.is_ca) {
    f.remedy = "replace CA " + certificateName(facts) +
               " with one whose key is stronger (RSA >= 2048 bits or EC P-256) and reissue "
               "what it signed";
  }
  return f;
}

}  // namespace

std::vector<Finding> checkKey(const Observation& obs, const Policy& /*policy*/, TimePoint /*now*/) {
  if (!obs.key) return {};
  const KeyFacts& key = *obs.key;
  std::vector<Finding> findings;
  if (!key.readable) findings.push_back(keyUnreadable(obs, key));
  if (key.readable && !key.matches) findings.push_back(keyMismatch(obs, key));
  if (key.group_or_other_readable) findings.push_back(keyPermissions(obs, key));
  return findings;
}

std::vector<Finding> checkWeakKey(const Observation& obs, const Policy& policy, TimePoint /*now*/) {
  std::vector<Finding> findings;
  for (const JudgedCertificate& cert : judgedCertificates(obs)) {
    const int minimum = minimumBits(cert.facts->key_type);
    if (minimum > 0 && cert.facts->key_bits > 0 && cert.facts->key_bits < minimum) {
      findings.push_back(weakKey(cert, minimum, policy));
    }
  }
  return findings;
}

}  // namespace certvigil::checks
