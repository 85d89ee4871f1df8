// SPDX-License-Identifier: Apache-2.0
// core/observation.h: what a prober collected about one target, before any judgement.
// Collect first, judge second: everything presented is recorded here even when it is broken,
// and checks (pure functions) turn it into findings.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/boxed.h"
#include "core/certificate.h"
#include "core/crl_facts.h"
#include "core/endpoint.h"
#include "core/finding.h"
#include "core/probe_timing.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil {

/// One certificate as presented: its facts and its position (0 = leaf / first block).
struct PresentedCertificate {
  CertificateFactsPtr facts;
  int position = 0;
  /// The certificate cache hands out one object per DER: the same pointer is the same certificate.
  friend bool operator==(const PresentedCertificate&, const PresentedCertificate&) = default;
};

/// Something in the input we could not read: becomes parse_error or pem_empty.
struct ReadProblem {
  ReadProblem() = default;
  ReadProblem(FindingCode code_, std::string detail_, std::string denied_to_ = {})
      : code(code_), detail(std::move(detail_)), denied_to(std::move(denied_to_)) {}

  FindingCode code = FindingCode::ParseError;  ///< ParseError or PemEmpty
  std::string detail;                          ///< "block 3: truncated base64", "permission denied"
  /// Set when the file or directory could not be opened for lack of permission: who certvigil
  /// runs as ("user certvigil, groups certvigil ssl-cert"), for a remedy about access, not format.
  std::string denied_to;
  friend bool operator==(const ReadProblem&, const ReadProblem&) = default;
};

/// The outcome of building a path from the leaf to a trust anchor with OpenSSL's verifier
/// (presented certificates + --chain as untrusted, configured anchors as trusted, time not checked:
/// expiry is judged separately so that the two causes are never confused).
enum class ChainStatus {
  NotBuilt,       ///< nothing to build (no certificate, or a bundle)
  Valid,          ///< a path to a trust anchor exists
  Incomplete,     ///< an issuer is missing: the path stops below a root
  UntrustedRoot,  ///< the path ends at a self-signed root that is not trusted
  NotACa,         ///< a certificate in an issuer position lacks CA:TRUE
  Other,          ///< any other verifier failure (detail says which)
};

/// Where a certificate on the path a client builds came from.
enum class CertSource {
  Presented,   ///< the target itself: the file, or what the server sent
  ChainFile,   ///< the `chain:` / --chain file
  TrustStore,  ///< the trust anchors (system store, trust.ca_files, --ca)
};

/// "file" | "chain" | "trust store" (a presented certificate of an endpoint says "sent").
std::string_view toString(CertSource source, TargetKind kind);

/// One certificate of the path a client builds, leaf first.
struct PathCertificate {
  CertificateFactsPtr facts;
  CertSource source = CertSource::Presented;
  int position = -1;  ///< its presented position; -1 when it was not presented
};

/// The certificates of a built path, leaf..anchor. Shared copy-on-write: a verdict is copied
/// out of the verdict cache into every target that presents the same chain (10^5 files holding
/// copies of one certificate), and each copy of the list would cost ~100 bytes per target.
class CertificatePath {
 public:
  using List = std::vector<PathCertificate>;

  CertificatePath() = default;
  /// Implicit: a verdict's path is assigned from the list it stands for.
  CertificatePath(List certificates)  // NOLINT(google-explicit-constructor)
      : list_(certificates.empty() ? nullptr : std::make_shared<List>(std::move(certificates))) {}

  bool empty() const { return !list_ || list_->empty(); }
  size_t size() const { return list_ ? list_->size() : 0; }
  const PathCertificate& operator[](size_t i) const { return (*list_)[i]; }
  List::const_iterator begin() const { return list_ ? list_->cbegin() : List::const_iterator(); }
  List::const_iterator end() const { return list_ ? list_->cend() : List::const_iterator(); }
  /// The fingerprint of the certificate at index i.
  const std::string& fingerprint(size_t i) const { return (*list_)[i].facts->fingerprint_sha256; }
  /// True when a certificate with this fingerprint is on the path.
  bool contains(const std::string& fingerprint) const {
    return std::any_of(begin(), end(), [&](const PathCertificate& c) {
      return c.facts && c.facts->fingerprint_sha256 == fingerprint;
    });
  }
  friend bool operator==(const CertificatePath& a, const CertificatePath& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const PathCertificate& x, const PathCertificate& y) {
                        return x.facts == y.facts && x.source == y.source &&
                               x.position == y.position;
                      });
  }

 private:
  std::shared_ptr<const List> list_;  ///< never modified once built
};

/// An optional value kept on the heap and shared between copies (it is never modified once
/// set): for a member that most observations leave empty, a pointer instead of the value's
/// size inline in each of 10^5 results. Reads like std::optional.
template <typename T>
class SharedOptional {
 public:
  SharedOptional() = default;
  SharedOptional(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): as std::optional
  SharedOptional(T value)            // NOLINT(google-explicit-constructor): as std::optional
      : value_(std::make_shared<const T>(std::move(value))) {}
  SharedOptional& operator=(std::nullopt_t) {
    value_.reset();
    return *this;
  }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const T& operator*() const { return *value_; }
  const T* operator->() const { return value_.get(); }
  void reset() { value_.reset(); }

  /// Equal when both are empty, share one value, or hold equal values.
  friend bool operator==(const SharedOptional& a, const SharedOptional& b) {
    if (a.value_ == b.value_) return true;
    return a.value_ && b.value_ && *a.value_ == *b.value_;
  }

 private:
  std::shared_ptr<const T> value_;
};

/// What a verdict says in words, beyond its status. Most verdicts (valid paths) have none, so
/// it is kept apart: five strings inline would cost ~160 bytes in each of 10^5 results.
struct ChainWords {
  std::string fingerprint;     ///< the certificate at ChainVerdict::position, empty if none
  std::string missing_issuer;  ///< Incomplete: the issuer name that was not found
  /// Incomplete, though a certificate named missing_issuer was presented or trusted: why the
  /// verifier could not use it ("its keyUsage lacks keyCertSign"). Empty when none was there.
  std::string issuer_refused;
  std::string detail;  ///< the verifier's own words
  /// A structurally valid path whose certificate policies fail RFC 5280 6.1 processing
  /// (requireExplicitPolicy, inhibitPolicyMapping): Go and Chromium refuse it, OpenSSL and
  /// rustls do not process policies. The verifier's words; empty when policies are fine.
  std::string policy_problem;
  friend bool operator==(const ChainWords&, const ChainWords&) = default;
};

struct ChainVerdict {
  ChainStatus status = ChainStatus::NotBuilt;
  int position = -1;  ///< the presented position the problem concerns, -1 if none
  /// The path the verifier built, leaf..anchor (Valid), or as far as it got (otherwise): the
  /// certificates clients judge, whichever file they came from, and not the presented extras
  /// (a needlessly sent root, an old cross-sign) that are not on it.
  CertificatePath path;
  /// The verifier prefers issuers valid at the instant it verifies for, so the path it builds
  /// holds for judging instants in [valid_from, valid_until) (the validity bounds of the path's
  /// certificates): outside them it is built again.
  TimePoint valid_from = TimePoint::min();
  TimePoint valid_until = TimePoint::max();

  /// Whether the verdict was built for an instant like `at`.
  bool holdsAt(TimePoint at) const { return valid_from <= at && at < valid_until; }

  /// The verdict's words; all empty when it has none.
  const ChainWords& words() const { return words_.get(); }
  /// The words to change: copied first when another verdict shares them.
  ChainWords& editWords() { return words_.edit(); }
  /// Equal status, position, path, bounds and words (shared or not).
  friend bool operator==(const ChainVerdict&, const ChainVerdict&) = default;

 private:
  Shared<ChainWords> words_;  ///< shared between copies until one edits
};

/// The private key that belongs to the certificate, when one was given or found.
struct KeyFacts {
  std::string path;                      ///< where it was read, empty if it sat in the same file
  bool readable = true;                  ///< false: detail says why
  std::string problem;                   ///< why it could not be read
  bool matches = true;                   ///< the key belongs to the position-0 certificate
  bool group_or_other_readable = false;  ///< mode & 0077 (key_permissions)
  unsigned mode = 0;                     ///< st_mode & 07777
  friend bool operator==(const KeyFacts&, const KeyFacts&) = default;
};

/// Where a revocation verdict came from.
enum class RevocationSource {
  File,    ///< a CRL file the user named (`crl:` / --crl)
  Staple,  ///< the OCSP response the server stapled to its handshake
  Crl,     ///< the CRL fetched from the certificate's CRL distribution point
  Ocsp,    ///< the answer of the OCSP responder the certificate names
};

/// "CRL file" | "stapled OCSP" | "CRL" | "OCSP": for messages, reports and labels.
std::string_view toString(RevocationSource source);

/// A revocation verdict on one certificate of the path.
struct RevocationFacts {
  int position = 0;
  std::string fingerprint;
  bool revoked = false;
  std::optional<TimePoint> revoked_at;
  std::string reason;                    ///< e.g. "keyCompromise", may be empty
  std::optional<TimePoint> next_update;  ///< of the CRL that covered it (stale check)
  bool covered = false;                  ///< a CRL from this certificate's issuer was found
  /// Not covered: why no CRL could be used (a bad signature, an issuer without cRLSign, an
  /// unknown critical extension, no CRL from this issuer): revocation_unknown, never revoked.
  std::string problem;
  RevocationSource source = RevocationSource::File;
  std::string url;         ///< Crl / Ocsp: the URL asked (per CA, never a secret)
  bool hard_fail = false;  ///< revocation `soft_fail: false`: an unknown answer is critical
  friend bool operator==(const RevocationFacts&, const RevocationFacts&) = default;
};

/// "revoked", "good" (a verified answer covers it) or "unknown".
std::string_view statusText(const RevocationFacts& facts);

/// What the issuing ACME CA's renewal information (RFC 9773) says about a leaf: the window in
/// which it wants the certificate renewed. A failed request leaves the last window it gave (or
/// none) and says why in `problem`; that alone is never a finding.
struct RenewalFacts {
  int position = 0;
  std::string fingerprint;
  std::string cert_id;                    ///< the ARI certificate identifier asked about
  std::string url;                        ///< the renewalInfo URL asked (per CA and certificate)
  std::optional<TimePoint> window_start;  ///< suggestedWindow.start, when an answer came
  std::optional<TimePoint> window_end;    ///< suggestedWindow.end
  std::string explanation_url;            ///< explanationURL of the answer, may be empty
  std::string problem;                    ///< why the last request failed, "" when it worked
  /// When the CA may be asked again (its Retry-After): the answer may change then, so a target
  /// is judged again at that instant (checks' horizon) even when nothing else changed.
  std::optional<TimePoint> next_poll;
  friend bool operator==(const RenewalFacts&, const RenewalFacts&) = default;
};

/// What a file, bundle or endpoint prober hands to the checks.
struct Observation {
  std::string target;  ///< file path, or host:port
  TargetKind kind = TargetKind::File;
  Role role = Role::Auto;  ///< what the certificates were asked to be fit for
  std::string hostname;    ///< name the leaf must cover (--hostname), empty: no check
  std::vector<PresentedCertificate> certificates;  ///< as presented, position order
  std::vector<ReadProblem> problems;
  ChainVerdict chain;
  SharedOptional<KeyFacts> key;  ///< most targets have none: a pointer, not ~90 bytes
  int private_key_blocks = 0;    ///< private keys found inside the file itself
  std::vector<RevocationFacts> revocation;
  std::vector<RenewalFacts> renewal;  ///< ACME renewal information, leaves only
  /// A file that holds CRLs and no certificate: the CRLs, judged on their own (checks/crl_file).
  SharedOptional<CrlFileFacts> crl_file;
  ProbeTiming<TimePoint> collected_at;   ///< when the prober finished (the latest probe)
  ProbeTiming<double> duration_seconds;  ///< how long collecting took
  bool success = true;                   ///< the probe ran (false: unreadable, connect failed, ...)
  /// Endpoints only: the handshake and mTLS facts (shared: a file observation stays small).
  std::shared_ptr<const EndpointFacts> endpoint;

  /// The same observation: everything collected is equal, its timing aside. Certificates and
  /// endpoint facts compare by identity (one object per DER in the certificate cache; endpoint
  /// facts equal to the last probe's are shared with it first, scheduler/endpoint_scanner.cpp),
  /// so that equality never misses a change but may miss a sameness.
  friend bool operator==(const Observation&, const Observation&) = default;
};

}  // namespace certvigil
