// SPDX-License-Identifier: Apache-2.0
// x509/ocsp.h: OCSP requests and verified answers (RFC 6960), without the network. An answer
// counts only when it verifies: signed by the certificate's issuer, or by a responder the
// issuer certified with the OCSP-signing EKU; its CertID matches the certificate; it is within
// thisUpdate .. nextUpdate (five minutes of clock skew allowed). Anything else is a problem
// (revocation_unknown), never `revoked`.
#pragma once

#include <string>
#include <string_view>

#include "core/observation.h"
#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// The DER OCSPRequest for `cert` issued by `issuer` (SHA-1 CertID, as responders expect).
Result<std::string> ocspRequest(X509* cert, X509* issuer);

/// The verdict of a DER OCSPResponse on `cert` (checked against the system clock): covered
/// (good or revoked, with date, reason and nextUpdate) when it verifies, else `problem` says why.
RevocationFacts ocspVerdict(std::string_view der, X509* cert, X509* issuer);

}  // namespace certvigil::x509
