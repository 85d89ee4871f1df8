// SPDX-License-Identifier: Apache-2.0
#include "x509/private_key.h"

#include <climits>
#include <memory>

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

struct DecoderDeleter {
  void operator()(OSSL_DECODER_CTX* p) const { OSSL_DECODER_CTX_free(p); }
};
using DecoderPtr = std::unique_ptr<OSSL_DECODER_CTX, DecoderDeleter>;

bool isEncryptedDer(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  X509_SIG* sig = d2i_X509_SIG(nullptr, &p, size);
  X509_SIG_free(sig);
  ERR_clear_error();
  return sig != nullptr;
}

}  // namespace

bool isPrivateKeyLabel(std::string_view label) { return label.ends_with("PRIVATE KEY"); }

bool isEncryptedKey(std::string_view data, bool pem) {
  if (!pem) return isEncryptedDer(data);
  return data.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") != std::string_view::npos ||
         data.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos;
}

Result<PkeyPtr> decodePrivateKey(std::string_view data, bool pem, const std::string& password) {
  ERR_clear_error();
  EVP_PKEY* key = nullptr;
  DecoderPtr decoder(OSSL_DECODER_CTX_new_for_pkey(&key, pem ? "PEM" : "DER", nullptr, nullptr,
                                                   EVP_PKEY_KEYPAIR, nullptr, nullptr));
  // Always set a passphrase (possibly empty): with none set OpenSSL would have no way to ask,
  // and with one set it never falls back to prompting on a terminal.
  if (!decoder || OSSL_DECODER_CTX_set_passphrase(
                      decoder.get(), reinterpret_cast<const unsigned char*>(password.data()),
                      password.size()) != 1) {
    return makeError(ErrorCode::Crypto, withOpensslReason("cannot set up the key decoder"));
  }
  const auto* cursor = reinterpret_cast<const unsigned char*>(data.data());
  size_t left = data.size();
  if (OSSL_DECODER_from_data(decoder.get(), &cursor, &left) == 1 && key != nullptr) {
    ERR_clear_error();
    return PkeyPtr(key);
  }
  EVP_PKEY_free(key);
  if (isEncryptedKey(data, pem)) {
    takeOpensslErrors();
    return makeError(ErrorCode::Parse,
                     std::string(password.empty() ? kKeyNoPassword : kKeyWrongPassword));
  }
  return makeError(ErrorCode::Parse, withOpensslReason("not a private key"));
}

}  // namespace certvigil::x509
