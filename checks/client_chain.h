// SPDX-License-Identifier: Apache-2.0
// checks/client_chain.h: our own analysis of the client certificate we present to an mTLS
// server, against what the server said it accepts (the CertificateRequest's CA names). It
// names the likely cause of a rejection even when the server says nothing useful (nginx's
// HTTP 400 page, a bare handshake_failure alert), and `diagnose` walks it step by step.
#pragma once

#include <string>
#include <vector>

#include "core/endpoint.h"
#include "core/finding.h"
#include "core/time.h"

namespace certvigil::checks {

/// Whether the issuer of what we send is one the server accepts.
enum class IssuerFit {
  Unknown,         ///< the server listed no CA names, or we sent nothing
  Listed,          ///< a certificate we send is issued by (or is) a listed CA
  UnlistedRoot,    ///< what we send ends at a self-signed root the server does not list
  MissingIssuer,   ///< what we send stops below a root; its top issuer is not listed, but
                   ///< the root it leads to (known locally) is: an intermediate is missing
  UnlistedIssuer,  ///< stops below a root; neither its top issuer nor (if known) its root is
                   ///< listed
};

struct ClientChainAnalysis {
  bool present = false;  ///< a client certificate was configured and loaded
  bool expired = false;  ///< a certificate we send has expired
  bool not_yet_valid = false;
  std::string expired_name;  ///< which one, "CN=client"
  TimePoint expired_at{};
  bool client_auth_ok = true;  ///< the leaf may be used for TLS client authentication
  IssuerFit issuer = IssuerFit::Unknown;
  std::string top_issuer;  ///< the issuer of the last certificate we send
  std::string root;        ///< the root it leads to, when known locally
};

/// Analyses `facts.client_chain` against `facts.acceptable_ca_names` (and `client_root`) at
/// `now`.
ClientChainAnalysis analyzeClientChain(const ClientAuthFacts& facts, TimePoint now);

/// The cause of a refusal: the server's alert where it is specific (45 certificate_expired,
/// 43 unsupported_certificate, 48 unknown_ca refined by our analysis into unknown_ca or
/// incomplete_chain), otherwise our analysis in the order OpenSSL verifies (issuer, purpose,
/// time), otherwise `other`.
RejectCause classifyRejection(const ServerAnswer& answer, const ClientChainAnalysis& analysis);

/// One line each, for the finding and for `diagnose`.
std::string explainRejection(RejectCause cause, const ServerAnswer& answer,
                             const ClientChainAnalysis& analysis, const ClientAuthFacts& facts);
std::string rejectionRemedy(RejectCause cause, const ClientAuthFacts& facts);

}  // namespace certvigil::checks
