// SPDX-License-Identifier: Apache-2.0
// x509/der.h: cheap looks at DER without decoding it: is this shaped like an X.509 certificate,
// where does the first element end. The reader uses them to sort blocks and files without a
// full X.509 decode (that happens once per fingerprint, in facts.cpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certvigil::x509 {

/// The first complete DER element (header + content) of `bytes`, or "" if there is none.
/// A TRUSTED CERTIFICATE block is a certificate followed by OpenSSL's trust data: this is the
/// certificate part (what d2i_X509_AUX reads first).
std::string_view firstDerElement(std::string_view bytes);

/// Structural test, headers only: SEQUENCE { tbsCertificate SEQUENCE { [0]? INTEGER SEQUENCE x5 },
/// SEQUENCE, BIT STRING } spanning exactly all of `der`. A CRL or a key fails it.
bool looksLikeCertificate(std::string_view der);

/// nullopt when `der` is a certificate; otherwise why not, in OpenSSL's words. Uses the shape
/// test first and decodes with d2i_X509 only when the shape test fails (so it never rejects a
/// certificate OpenSSL accepts).
std::optional<std::string> whyNotCertificate(std::string_view der);

}  // namespace certvigil::x509
