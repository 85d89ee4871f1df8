// SPDX-License-Identifier: Apache-2.0
// x509/lean_provider.h: a library context whose decoders are only those for public keys.
//
// Why: OpenSSL 3.0 decodes a certificate's public key by building a decoder chain afresh, each
// time walking every decoder of the context and asking each whether it serves each key manager
// (`OSSL_DECODER_CTX_new_for_pkey`; 3.1 caches this, Debian 12 ships 3.0). The default provider
// offers 40 decoders; 12 read a SubjectPublicKeyInfo, the only structure a certificate holds. The
// others read private keys, PKCS#8, PEM, MSBLOB and PVK, which certvigil decodes in the default
// context only (x509/private_key.cpp). With the 12 alone `d2i_X509` costs 34 µs instead of 86
// for an RSA certificate and 55 instead of 91 for a P-256 one; every key type the default
// provider knows still decodes (tests/unit/x509/lean_provider_test.cpp).
//
// How: a provider ("certvigil-lean") that hands out the default provider's own algorithm tables,
// the decoder table cut to those 12. Its algorithms run on the default provider of a second,
// hidden context (the backing): that one's provider context goes to every algorithm, so they
// fetch what they need inside it (a signature's digest, a KDF's hash), never in a context
// another thread uses.
#pragma once

#include <openssl/types.h>

namespace certvigil::x509 {

/// A new library context with the lean provider loaded, backed by a context of its own with the
/// default provider. If OpenSSL refuses any step, a plain context with the default provider
/// (still usable, not lean); null only if no context can be made at all.
OSSL_LIB_CTX* newLeanLibrary();

/// The number of decoders a context offers (for tests and diagnostics).
int decoderCount(OSSL_LIB_CTX* library);

}  // namespace certvigil::x509
