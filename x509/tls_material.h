// SPDX-License-Identifier: Apache-2.0
// x509/tls_material.h: what the endpoint prober needs from OpenSSL besides reading files: the
// root a client chain leads to in the trust store (to tell a wrong CA from a missing
// intermediate), and the status a stapled OCSP response gives the leaf.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "x509/chain.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// The subject (RFC 2253) of the anchor a path from presented[0] reaches in `trust`, using
/// presented[1..] as untrusted intermediates; "" when there is no path.
std::string anchorSubject(const std::vector<X509*>& presented, const TrustStore& trust);

/// What a stapled OCSP response says about `leaf` (issued by `issuer`).
enum class OcspStatus { None, Good, Revoked, Unknown, Unreadable };
std::string_view toString(
    OcspStatus status);  ///< "" | "good" | "revoked" | "unknown" | "unreadable"
/// Reads a DER OCSPResponse. `issuer` may be null (then the status cannot be matched: Unknown).
OcspStatus stapledOcspStatus(std::string_view der, X509* leaf, X509* issuer);

}  // namespace certvigil::x509
