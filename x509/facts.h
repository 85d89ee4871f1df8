// SPDX-License-Identifier: Apache-2.0
// x509/facts.h: decodes a certificate once and reads off the facts checks need, with a cache
// keyed by the bytes read so that 100,000 copies of 100 certificates cost 100 decodes.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/certificate.h"
#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// Lowercase hex SHA-256 of bytes (the certificate fingerprint when given the DER).
std::string sha256Hex(std::string_view bytes);

/// Reads every fact of CertificateFacts off a decoded certificate (der included).
CertificateFacts extractFacts(X509* cert);

/// A decoded certificate and its facts.
struct ParsedCertificate {
  X509Shared cert;
  CertificateFactsPtr facts;
};

/// Decodes DER; the error says why it is not a certificate.
Result<ParsedCertificate> parseCertificate(std::string_view der);

/// Thread-safe parse cache keyed by SHA-256 of the DER.
class CertificateCache {
 public:
  /// The parsed certificate for these DER bytes, decoding only on the first sight of them.
  Result<ParsedCertificate> get(std::string_view der);
  size_t size() const;
  /// Forgets certificates no longer referenced anywhere else (call after a full scan).
  void prune();

 private:
  mutable std::mutex mutex_;
  struct Entry {
    ParsedCertificate parsed;
    /// The bytes as read, when they differ from facts->der (BER re-encoded as DER).
    std::unique_ptr<const std::string> read_as;
  };
  /// Keyed by the bytes as read (a view into the entry's facts->der, or into read_as; neither
  /// moves): a file seen before costs a hash and a compare, not a SHA-256.
  std::unordered_map<std::string_view, Entry> by_der_;
};

}  // namespace certvigil::x509
