// SPDX-License-Identifier: Apache-2.0
// exporters/prometheus/facts_label_cache.h: the escaped cert_info labels of each certificate,
// kept between scrapes. Certificates are immutable and the x509 parse cache shares one
// CertificateFacts among every file and endpoint presenting the same certificate, so the cache
// holds one entry per distinct certificate (100 entries for 100,000 copies of 100 certificates)
// and most of a cert_info line is a copy of cached text.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/certificate.h"

namespace certvigil::exporters {

/// Escaped cert_info labels keyed by CertificateFacts identity. Not thread-safe.
class FactsLabelCache {
 public:
  /// Shared label text: a stream still writing an older exposition keeps what it uses alive.
  using TextPtr = std::shared_ptr<const std::string>;

  /// `,subject="...",issuer="...",serial="...",fingerprint="...",key="...",signature="...",
  /// eku="..."` for `facts`. Valid until the next sweep().
  std::string_view labels(const CertificateFactsPtr& facts);
  /// The same, and the text's owner is appended to `keep` the first time a certificate is asked
  /// for since the previous sweep: whoever holds `keep` may use the views after later sweeps.
  std::string_view labels(const CertificateFactsPtr& facts, std::vector<TextPtr>& keep);

  /// Forgets the certificates not asked for since the previous sweep (they left the snapshot).
  void sweep();

  /// Number of cached certificates.
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::weak_ptr<const CertificateFacts> owner;  ///< identity without keeping it alive
    TextPtr text;
    uint64_t generation = 0;  ///< the last sweep period that asked for it
  };

  std::unordered_map<const CertificateFacts*, Entry> entries_;
  uint64_t generation_ = 1;
  size_t touched_ = 0;  ///< distinct entries asked for since the previous sweep
};

/// The cert_info labels of `facts` as FactsLabelCache::labels() returns them.
std::string formatInfoLabels(const CertificateFacts& facts);

}  // namespace certvigil::exporters
