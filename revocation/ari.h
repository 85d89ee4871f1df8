// SPDX-License-Identifier: Apache-2.0
// revocation/ari.h: the pure parts of ACME Renewal Information (RFC 9773): the certificate
// identifier a CA's renewalInfo resource is asked with, the two JSON documents involved (the
// ACME directory, which names the renewalInfo URL, and a RenewalInfo answer), and which
// `acme:` entry a leaf belongs to. No I/O: AriCache (ari_cache.h) fetches, these decide.
#pragma once

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/certificate.h"
#include "core/result.h"
#include "core/time.h"

namespace certvigil::revocation {

/// base64url (RFC 4648 §5) without padding.
std::string base64Url(std::string_view bytes);

/// The ARI certificate identifier (RFC 9773 §4.1): base64url(keyIdentifier of the
/// authorityKeyIdentifier) "." base64url(the serial's DER INTEGER content octets, sign byte
/// included), from raw bytes.
std::string ariCertId(std::string_view key_identifier, std::string_view serial_content);

/// The ARI certificate identifier of a certificate; an error when it has no
/// authorityKeyIdentifier with a keyIdentifier (the CA cannot be asked about it).
Result<std::string> ariCertId(X509* cert);

/// The authorityKeyIdentifier's keyIdentifier in lower-case hex (config `aki:`), "" if none.
std::string authorityKeyIdHex(X509* cert);

/// A suggested renewal window from a renewalInfo answer.
struct RenewalInfo {
  TimePoint start{};
  TimePoint end{};
  std::string explanation_url;  ///< "" when the CA sent none (or not an http(s) URL)
};

/// Parses a RenewalInfo JSON object: `suggestedWindow` with RFC 3339 `start` and `end`
/// (start before end), optional `explanationURL`. Anything else is a Parse error naming
/// what is wrong; never throws.
Result<RenewalInfo> parseRenewalInfo(std::string_view json);

/// The `renewalInfo` URL of an ACME directory object; a Parse error when it has none (the CA
/// does not support ARI) or the text is not a directory. Never throws.
Result<std::string> parseDirectoryRenewalInfo(std::string_view json);

/// What a leaf is matched against `acme:` entries by.
struct LeafIdentity {
  std::string_view issuer;   ///< RFC 2253
  std::string_view aki_hex;  ///< authorityKeyIdentifier, lower-case hex
  std::string_view target;   ///< the target it was seen in (a file path, host:port)
};

/// The first `acme:` entry whose every selector matches the leaf: `issuer` (spacing and case
/// aside), `aki`, `target` (a glob, `*` not crossing `/`); an entry naming none matches every
/// leaf. nullptr when none matches.
const config::AcmeConfig* acmeEntryFor(const std::vector<config::AcmeConfig>& entries,
                                       const LeafIdentity& leaf);

}  // namespace certvigil::revocation
