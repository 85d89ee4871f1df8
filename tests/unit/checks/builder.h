// SPDX-License-Identifier: Apache-2.0
// tests/unit/checks/builder.h: synthetic certificate facts and observations for the checks
// tests, at a fixed `now`. Checks never see OpenSSL, so neither do their tests.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/certificate.h"
#include "core/finding.h"
#include "core/observation.h"
#include "core/policy.h"
#include "core/time.h"

namespace certvigil::checks::testing {

/// 2026-11-22T12:00:00Z.
constexpr TimePoint kNow{Seconds{1795348800}};
constexpr Seconds kSecond{1};
constexpr Seconds kHour{3600};
constexpr Seconds kDay{86400};

/// CertificateFacts with a healthy default: an RSA-2048, SHA-256, serverAuth leaf valid from
/// 30 days ago for 90 days, issued by "Int CA".
class Cert {
 public:
  explicit Cert(const std::string& cn) {
    f_.common_name = cn;
    f_.subject = "CN=" + cn;
    f_.issuer = "CN=Int CA";
    f_.fingerprint_sha256 = "fp-" + cn;
    f_.not_before = kNow - 30 * kDay;
    f_.not_after = kNow + 60 * kDay;
    f_.has_eku = true;
    f_.eku_server_auth = true;
    f_.key_type = KeyType::Rsa;
    f_.key_bits = 2048;
    f_.signature_algorithm = "sha256WithRSAEncryption";
    f_.signature_digest = "sha256";
    f_.has_subject_key_id = true;
    f_.has_authority_key_id = true;
  }
  /// notAfter = now + left, notBefore = notAfter - lifetime.
  Cert& expiresIn(Seconds left, Seconds lifetime = 90 * kDay) {
    f_.not_after = kNow + left;
    f_.not_before = f_.not_after - lifetime;
    return *this;
  }
  Cert& validity(TimePoint not_before, TimePoint not_after) {
    f_.not_before = not_before;
    f_.not_after = not_after;
    return *this;
  }
  Cert& issuedBy(const std::string& cn) {
    f_.issuer = "CN=" + cn;
    return *this;
  }
  /// An intermediate CA: CA:TRUE, no EKU, issued by "Root CA".
  Cert& ca() {
    f_.is_ca = true;
    f_.has_basic_constraints = f_.basic_constraints_critical = true;
    f_.has_eku = f_.eku_server_auth = f_.eku_client_auth = false;
    return issuedBy("Root CA");
  }
  /// A self-signed root: CA:TRUE, subject == issuer.
  Cert& root() {
    ca();
    return selfSigned();
  }
  Cert& selfSigned() {
    f_.self_signed = f_.self_issued = true;
    f_.issuer = f_.subject;
    return *this;
  }
  Cert& eku(bool server, bool client, bool any = false) {
    f_.has_eku = server || client || any;
    f_.eku_server_auth = server;
    f_.eku_client_auth = client;
    f_.eku_any = any;
    return *this;
  }
  /// An EKU extension with none of serverAuth, clientAuth, anyEKU (e.g. codeSigning only).
  Cert& ekuOther() {
    eku(false, false);
    f_.has_eku = true;
    return *this;
  }
  Cert& noEku() { return eku(false, false); }
  Cert& key(KeyType type, int bits) {
    f_.key_type = type;
    f_.key_bits = bits;
    return *this;
  }
  Cert& signature(const std::string& algorithm, const std::string& digest) {
    f_.signature_algorithm = algorithm;
    f_.signature_digest = digest;
    return *this;
  }
  Cert& dns(std::vector<std::string> names) {
    f_.dns_names = std::move(names);
    return *this;
  }
  Cert& ips(std::vector<std::string> addresses) {
    f_.ip_addresses = std::move(addresses);
    return *this;
  }
  /// Edits any fact the helpers above do not cover.
  template <typename Edit>
  Cert& with(const Edit& edit) {
    edit(f_);
    return *this;
  }
  Cert& noCommonName() {
    f_.common_name.clear();
    f_.subject = "O=Nameless";
    return *this;
  }
  CertificateFactsPtr build() const { return std::make_shared<const CertificateFacts>(f_); }
  operator CertificateFactsPtr() const { return build(); }  // NOLINT(google-explicit-constructor)

 private:
  CertificateFacts f_;
};

/// An Observation: certificates get positions in the order they are added.
class Obs {
 public:
  Obs() {
    o_.target = "/etc/ssl/test.pem";
    o_.collected_at = kNow;
  }
  Obs& kind(TargetKind kind) {
    o_.kind = kind;
    if (kind == TargetKind::Endpoint) o_.target = "api.internal:443";
    return *this;
  }
  Obs& role(Role role) {
    o_.role = role;
    return *this;
  }
  Obs& hostname(std::string name) {
    o_.hostname = std::move(name);
    return *this;
  }
  Obs& cert(CertificateFactsPtr facts) {
    const int position = static_cast<int>(o_.certificates.size());
    o_.certificates.push_back({std::move(facts), position});
    return *this;
  }
  /// A verdict without a path (or a valid one with the fingerprints of the presented
  /// certificates on its path; pathCert() adds the ones from the chain file or the store).
  Obs& chain(ChainStatus status, int position = -1, std::vector<std::string> path = {}) {
    o_.chain.status = status;
    o_.chain.position = position;
    path_.clear();
    for (const std::string& fingerprint : path) {
      for (const PresentedCertificate& c : o_.certificates) {
        if (c.facts->fingerprint_sha256 == fingerprint) {
          path_.push_back({c.facts, CertSource::Presented, c.position});
          break;
        }
      }
    }
    o_.chain.path = path_;
    if (position >= 0 && position < static_cast<int>(o_.certificates.size())) {
      o_.chain.editWords().fingerprint =
          o_.certificates[static_cast<size_t>(position)].facts->fingerprint_sha256;
    }
    return *this;
  }
  /// Appends a certificate the path took from the chain file or the trust store.
  Obs& pathCert(CertificateFactsPtr facts, CertSource source) {
    path_.push_back({std::move(facts), source, -1});
    o_.chain.path = path_;
    return *this;
  }
  Obs& missingIssuer(std::string name) {
    o_.chain.editWords().missing_issuer = std::move(name);
    return *this;
  }
  Obs& chainDetail(std::string detail) {
    o_.chain.editWords().detail = std::move(detail);
    return *this;
  }
  Obs& key(KeyFacts key) {
    o_.key = std::move(key);
    return *this;
  }
  Obs& keyBlocks(int count) {
    o_.private_key_blocks = count;
    return *this;
  }
  Obs& problem(FindingCode code, std::string detail) {
    o_.problems.push_back({code, std::move(detail)});
    return *this;
  }
  Obs& revocation(RevocationFacts facts) {
    o_.revocation.push_back(std::move(facts));
    return *this;
  }
  Obs& renewal(RenewalFacts facts) {
    o_.renewal.push_back(std::move(facts));
    return *this;
  }
  /// A CRL file's facts (makes the observation a CRL file target).
  Obs& crlFile(CrlFileFacts facts) {
    o_.crl_file = std::move(facts);
    return *this;
  }
  /// Endpoint facts (makes the observation an endpoint's).
  Obs& endpoint(EndpointFacts facts) {
    kind(TargetKind::Endpoint);
    o_.endpoint = std::make_shared<const EndpointFacts>(std::move(facts));
    return *this;
  }
  Observation build() const { return o_; }
  operator Observation() const { return o_; }  // NOLINT(google-explicit-constructor)

 private:
  Observation o_;
  CertificatePath::List path_;
};

/// The default policy (28 d / 7 d, 0.33 / 0.10).
inline Policy defaultPolicy() { return Policy{}; }

/// How many findings carry `code`.
inline size_t countOf(const std::vector<Finding>& findings, FindingCode code) {
  return static_cast<size_t>(std::count_if(findings.begin(), findings.end(),
                                           [code](const Finding& f) { return f.code == code; }));
}

/// The first finding with `code`, or nullptr.
inline const Finding* findCode(const std::vector<Finding>& findings, FindingCode code) {
  auto it = std::find_if(findings.begin(), findings.end(),
                         [code](const Finding& f) { return f.code == code; });
  return it == findings.end() ? nullptr : &*it;
}

/// Whether `text` contains `part`.
inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace certvigil::checks::testing
