// SPDX-License-Identifier: Apache-2.0
// x509/chain.h: trust anchors and chain building with OpenSSL's verifier. No network: a missing
// issuer is never fetched. The verifier runs for the instant being judged, because that is how
// it chooses between candidate issuers (a valid one before an expired one: a cross-sign, a
// renewed root); but validity errors never make a verdict: expiry is the expiry check's job, so
// an expired intermediate or anchor is reported as expired, not as a broken chain.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/observation.h"
#include "core/result.h"
#include "x509/facts.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// The certificates a verifier trusts.
class TrustStore {
 public:
  /// The system store (OpenSSL's default paths) if `system`, plus every certificate of ca_files.
  static Result<TrustStore> load(bool system, const std::vector<std::filesystem::path>& ca_files);
  /// A store holding exactly these anchors (tests, --ca).
  static TrustStore fromCertificates(const std::vector<X509Shared>& anchors);

  X509_STORE* get() const { return store_.get(); }
  /// A stable identity of the configuration, for caching verdicts.
  const std::string& identity() const { return identity_; }

 private:
  std::shared_ptr<X509_STORE> store_;
  std::string identity_;
};

/// What a path is built for: the judging instant, and where certificate facts come from.
struct ChainContext {
  std::optional<TimePoint> at;        ///< the instant judged; unset: now
  CertificateCache* facts = nullptr;  ///< facts of path certificates (null: decoded here)
};

/// Builds a path from presented[0] to an anchor of `trust`, with presented[1..] and
/// `extra_untrusted` (--chain) as untrusted intermediates. `presented` is in position order.
/// The verdict's path lists every certificate on it (leaf..anchor, or as far as it got) with
/// where it came from, and the instants it holds for.
/// Maps the verifier's outcome onto ChainStatus; position/fingerprint name the presented
/// certificate concerned (the top of the presented chain for Incomplete, the non-CA issuer for
/// NotACa, the self-signed root for UntrustedRoot).
/// Any certificate in the store is an anchor (X509_V_FLAG_PARTIAL_CHAIN): a ca_file holding
/// only an intermediate trusts that intermediate, and a presented certificate that is itself in
/// the store is Valid. Key strength and digests do not break a chain (auth level 0): they are
/// weak_key / weak_signature findings. No purpose is set: EKU is judged per role elsewhere.
ChainVerdict buildChain(const std::vector<X509*>& presented,
                        const std::vector<X509*>& extra_untrusted, const TrustStore& trust,
                        const ChainContext& context = {});

}  // namespace certvigil::x509
