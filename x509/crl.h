// SPDX-License-Identifier: Apache-2.0
// x509/crl.h: revocation from CRL files (no network). A CRL counts for a certificate only when
// it can be trusted: its issuer name matches the certificate's issuer, an issuer certificate of
// that name is at hand and verifies its signature, that issuer may sign CRLs (no keyUsage, or
// keyUsage with cRLSign), and the CRL has no critical extension we do not understand. A CRL
// that fails any of these is not used, and the certificate's facts say why (revocation_unknown).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/observation.h"
#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

class CrlSet {
 public:
  /// Loads every CRL (PEM, many blocks, or DER) from the files.
  static Result<CrlSet> load(const std::vector<std::filesystem::path>& files);
  /// Parses the bytes of one CRL file (PEM with one or more CRLs, or one DER CRL).
  static Result<CrlSet> parse(std::string_view bytes);
  bool empty() const { return crls_.empty(); }

  /// One entry per certificate of `judged` (leaf first) that a CRL covers or that a CRL was
  /// meant for but could not be used; for the leaf also when no CRL is from its issuer.
  /// `issuers` are the certificates that may have signed the CRLs.
  std::vector<RevocationFacts> check(const std::vector<X509*>& judged,
                                     const std::vector<X509*>& issuers) const;

  /// The verdict on one certificate from a CRL fetched for it (its distribution point): covered
  /// only when a CRL of this set is from `issuer` (name and authority key identifier match),
  /// verifies with its key, may be signed by it (cRLSign), has no unknown critical extension and
  /// is not from the future (thisUpdate after `now`). `issuer` null: the path has no issuer for it.
  RevocationFacts checkCertificate(X509* cert, X509* issuer, TimePoint now) const;

  /// The earliest nextUpdate of the set's CRLs; nullopt when none has one.
  std::optional<TimePoint> nextUpdate() const;

  /// The CRLs, in file order.
  const std::vector<std::shared_ptr<X509_CRL>>& crls() const { return crls_; }

 private:
  std::vector<std::shared_ptr<X509_CRL>> crls_;
};

/// Why `crl` cannot be trusted, "" when it can: an unknown critical extension, no certificate
/// of its issuer's name among `candidates`, none whose key verifies it, an issuer without cRLSign.
std::string crlUnusableBecause(X509_CRL* crl, const std::vector<X509*>& candidates);

}  // namespace certvigil::x509
