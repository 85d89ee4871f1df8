// SPDX-License-Identifier: Apache-2.0
// x509/private_key.h: decoding one private key (PEM block or DER) with OpenSSL 3's decoder,
// which covers PKCS#1, SEC1, PKCS#8 and encrypted PKCS#8 / legacy PEM encryption in one call.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "x509/handles.h"

namespace certvigil::x509 {

/// Messages users see when a key cannot be decrypted (they name the config key to fix).
inline constexpr std::string_view kKeyNoPassword =
    "encrypted private key and no password given (password_file)";
inline constexpr std::string_view kKeyWrongPassword =
    "encrypted private key: wrong password (password_file)";

/// "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", ...
bool isPrivateKeyLabel(std::string_view label);

/// True for an ENCRYPTED PRIVATE KEY block, a legacy "Proc-Type: 4,ENCRYPTED" block, or DER
/// EncryptedPrivateKeyInfo.
bool isEncryptedKey(std::string_view data, bool pem);

/// Decodes one key: `data` is a single PEM block's text (pem) or DER bytes. `password` may be
/// empty. The error says whether a password is missing or wrong, else gives OpenSSL's reason.
Result<PkeyPtr> decodePrivateKey(std::string_view data, bool pem, const std::string& password);

}  // namespace certvigil::x509
