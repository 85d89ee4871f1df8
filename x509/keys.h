// SPDX-License-Identifier: Apache-2.0
// x509/keys.h: private key facts (does it belong to the certificate, who can read its file).
#pragma once

#include <filesystem>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/observation.h"

namespace certvigil::x509 {

/// True when `key` is the private half of the certificate's public key.
bool keyMatchesCertificate(EVP_PKEY* key, X509* cert);

/// Reads a key file (password from password_file's contents if non-empty) and compares it with
/// the certificate; fills KeyFacts including the file mode. Never throws.
KeyFacts inspectKeyFile(const std::filesystem::path& path, const std::string& password, X509* cert);

}  // namespace certvigil::x509
