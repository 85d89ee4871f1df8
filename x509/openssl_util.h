// SPDX-License-Identifier: Apache-2.0
// x509/openssl_util.h: small conversions shared by the x509 module: OpenSSL's error queue to
// text, ASN.1 times and names to the core model, a certificate's DER and fingerprint.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "core/time.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// Drains this thread's OpenSSL error queue; the distinct reasons joined by "; ", or "" if empty.
/// Every x509 function that calls OpenSSL leaves the queue empty, so errors never leak into an
/// unrelated later call (OpenSSL's queue is per thread and sticky).
std::string takeOpensslErrors();

/// `message`, plus ": <OpenSSL reasons>" when the queue held any (the queue is drained).
std::string withOpensslReason(std::string message);

/// A read-only memory BIO over `bytes` (which must outlive it).
BioPtr memoryBio(std::string_view bytes);

/// An ASN.1 UTCTime/GeneralizedTime as a TimePoint; nullopt if absent or malformed.
std::optional<TimePoint> toTimePoint(const ASN1_TIME* time);

/// A distinguished name as one RFC 2253 line, with non-ASCII kept as readable UTF-8.
std::string nameText(const X509_NAME* name);

/// The DER encoding of a certificate ("" on failure).
std::string derOf(X509* cert);

/// Lowercase hex SHA-256 of the certificate's DER.
std::string fingerprintOf(X509* cert);

/// strerror text with a lowercase first letter ("permission denied"), thread-safe.
std::string errnoText(int error);

}  // namespace certvigil::x509
