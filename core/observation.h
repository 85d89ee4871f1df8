// core/observation.h: what a prober collected about one target, before any judgement.
// Collect first, judge second: everything presented is recorded here even when it is broken,
// and checks (pure functions) turn it into findings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/endpoint.h"
#include "core/finding.h"
#include "core/target.h"
#include "core/time.h"

namespace certvigil {

/// One certificate as presented: its facts and its position (0 = leaf / first block).
struct PresentedCertificate {
  CertificateFactsPtr facts;
  int position = 0;
};

/// Something in the input we could not read: becomes parse_error or pem_empty.
struct ReadProblem {
  FindingCode code = FindingCode::ParseError;  ///< ParseError or PemEmpty
  std::string detail;                          ///< "block 3: truncated base64", "permission denied"
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

struct ChainVerdict {
  ChainStatus status = ChainStatus::NotBuilt;
  int position = -1;           ///< the presented position the problem concerns, -1 if none
  std::string fingerprint;     ///< that certificate's fingerprint, empty if none
  std::string missing_issuer;  ///< Incomplete: the issuer name that was not found
  std::string detail;          ///< the verifier's own words
  /// Valid: fingerprints of the path leaf..anchor, so checks can ignore presented extras
  /// (a needlessly sent root, an old cross-sign) that are not on it.
  std::vector<std::string> path;
};

/// The private key that belongs to the certificate, when one was given or found.
struct KeyFacts {
  std::string path;                      ///< where it was read, empty if it sat in the same file
  bool readable = true;                  ///< false: detail says why
  std::string problem;                   ///< why it could not be read
  bool matches = true;                   ///< the key belongs to the position-0 certificate
  bool group_or_other_readable = false;  ///< mode & 0077 (key_permissions)
  unsigned mode = 0;                     ///< st_mode & 07777
};

/// A CRL verdict on one presented certificate.
struct RevocationFacts {
  int position = 0;
  std::string fingerprint;
  bool revoked = false;
  std::optional<TimePoint> revoked_at;
  std::string reason;                    ///< e.g. "keyCompromise", may be empty
  std::optional<TimePoint> next_update;  ///< of the CRL that covered it (stale check)
  bool covered = false;                  ///< a CRL from this certificate's issuer was found
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
  std::optional<KeyFacts> key;
  int private_key_blocks = 0;  ///< private keys found inside the file itself
  std::vector<RevocationFacts> revocation;
  TimePoint collected_at{};     ///< when the prober finished
  double duration_seconds = 0;  ///< how long collecting took
  bool success = true;          ///< the probe ran (false: unreadable, connect failed, ...)
  /// Endpoints only: the handshake and mTLS facts (shared: a file observation stays small).
  std::shared_ptr<const EndpointFacts> endpoint;
};

}  // namespace certvigil
