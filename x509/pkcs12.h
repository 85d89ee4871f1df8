// SPDX-License-Identifier: Apache-2.0
// x509/pkcs12.h: PKCS#12 (.p12/.pfx) files: the certificate, its key and the CA certificates,
// decrypted with the password from password_file. Old RC2/3DES files need OpenSSL 3's legacy
// provider, which is loaded on first use.
#pragma once

#include <string>
#include <string_view>

#include "x509/reader.h"

namespace certvigil::x509 {

/// What users see for a MAC failure: the password is wrong or was not given.
inline constexpr std::string_view kPkcs12BadPassword =
    "PKCS#12: wrong or missing password (password_file)";

/// False when `der` is not a PKCS#12 structure at all (nothing is added). Otherwise fills `out`
/// (format Pkcs12; certificate first, then the CA certificates in file order; the key) or adds
/// a parse_error problem saying why it could not be opened, and returns true. A file with
/// certificates and no key is a trust store (`trust_store`).
bool readPkcs12(std::string_view der, const std::string& password, Material& out);

}  // namespace certvigil::x509
