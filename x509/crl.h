// x509/crl.h: revocation from CRL files (no network). A CRL counts for a certificate when its
// issuer name matches the certificate's issuer and its signature verifies with the issuer's key
// when that issuer is at hand.
#pragma once

#include <filesystem>
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

  /// One entry per presented certificate a CRL covers. `issuers` helps verify CRL signatures.
  std::vector<RevocationFacts> check(const std::vector<X509*>& presented,
                                     const std::vector<X509*>& issuers) const;

 private:
  std::vector<std::shared_ptr<X509_CRL>> crls_;
};

}  // namespace certvigil::x509
