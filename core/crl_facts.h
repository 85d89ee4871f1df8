// SPDX-License-Identifier: Apache-2.0
// core/crl_facts.h: what a CRL file that a server checks its peers against holds (nginx
// `ssl_crl`, Apache `SSLCARevocationFile`, HAProxy `crl-file`). Such a server runs OpenSSL's CRL
// check over the whole path of every peer certificate: a CRL past its nextUpdate, one whose
// signature does not verify, or a CA of the path without a CRL in the file makes it reject every
// certificate issued under that CA. Std-only; x509/crl_file.h fills it in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace certvigil {

/// One CRL of the file, in file order.
struct CrlFacts {
  std::string issuer;                    ///< RFC 2253 one line
  TimePoint this_update{};               ///< thisUpdate (OpenSSL: lastUpdate)
  std::optional<TimePoint> next_update;  ///< none: never stale
  int entries = 0;                       ///< revoked certificates it lists
  /// Why the server cannot use it, "" when it can or when no issuers were given: its signature
  /// does not verify with the key of the CA of its name, that CA lacks cRLSign, it has a
  /// critical extension OpenSSL does not understand.
  std::string problem;
  /// The issuers were given and none of them is the CA of this CRL's name: the server never
  /// consults it (its dates do not matter).
  bool foreign = false;
  /// Another CRL of the file from the same CA is the one the server uses (a newer, usable one).
  bool superseded = false;
  friend bool operator==(const CrlFacts&, const CrlFacts&) = default;
};

/// A CA of the server's issuer bundle with no CRL of its name in the file.
struct CrlGap {
  std::string subject;      ///< the CA's subject, RFC 2253
  std::string fingerprint;  ///< its SHA-256
  friend bool operator==(const CrlGap&, const CrlGap&) = default;
};

/// The facts of a CRL file target.
struct CrlFileFacts {
  std::vector<CrlFacts> crls;
  /// The CAs the server verifies peers with were given (its client-CA bundle): signatures and
  /// gaps were checked. False: only the dates are judged.
  bool issuers_given = false;
  std::vector<CrlGap>
      gaps;  ///< CAs with no CRL in the file (OpenSSL: "unable to get certificate CRL")
  /// Who checks peers against the file, for messages: "nginx (ssl_crl at /etc/nginx/x.conf:12)";
  /// "" when not known (a file configured by hand).
  std::string used_by;
  friend bool operator==(const CrlFileFacts&, const CrlFileFacts&) = default;
};

}  // namespace certvigil
