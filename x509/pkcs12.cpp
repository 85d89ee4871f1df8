// SPDX-License-Identifier: Apache-2.0
#include "x509/pkcs12.h"

#include <climits>
#include <memory>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "x509/openssl_util.h"

namespace certvigil::x509 {
namespace {

struct Pkcs12Deleter {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};
using Pkcs12Ptr = std::unique_ptr<PKCS12, Pkcs12Deleter>;

/// Appends a certificate's DER to the material (OpenSSL re-encodes the decoded certificate).
void addCertificate(X509* cert, Material& out) {
  std::string der = derOf(cert);
  if (!der.empty()) out.certificate_ders.push_back(std::move(der));
}

/// The providers, loaded once and unloaded at exit. Unloading matters: the legacy provider
/// holds a child library context that LeakSanitizer reports as a leak cycle otherwise. This
/// static's destructor runs before OpenSSL's own atexit cleanup (registered earlier, at the
/// first OpenSSL call).
class LegacyProviders {
 public:
  // Loading any provider explicitly stops OpenSSL from loading "default" implicitly, so load
  // both. A missing legacy module only means old PKCS#12 files fail with a reason.
  LegacyProviders()
      : default_(OSSL_PROVIDER_load(nullptr, "default")),
        legacy_(OSSL_PROVIDER_load(nullptr, "legacy")) {
    ERR_clear_error();
  }
  ~LegacyProviders() {
    if (legacy_ != nullptr) OSSL_PROVIDER_unload(legacy_);
    if (default_ != nullptr) OSSL_PROVIDER_unload(default_);
  }
  LegacyProviders(const LegacyProviders&) = delete;
  LegacyProviders& operator=(const LegacyProviders&) = delete;

 private:
  OSSL_PROVIDER* default_;
  OSSL_PROVIDER* legacy_;
};

}  // namespace

void enableLegacyAlgorithms() {
  static const LegacyProviders providers;  // thread-safe one-time initialisation
}

bool readPkcs12(std::string_view der, const std::string& password, Material& out) {
  ERR_clear_error();
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const long size = der.size() > LONG_MAX ? LONG_MAX : static_cast<long>(der.size());
  Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, size));
  if (!p12) {
    ERR_clear_error();
    return false;
  }
  out.format = FileFormat::Pkcs12;
  enableLegacyAlgorithms();
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  STACK_OF(X509)* cas = nullptr;
  // NULL for "no password": PKCS12_parse then tries both the absent and the empty password.
  if (PKCS12_parse(p12.get(), password.empty() ? nullptr : password.c_str(), &key, &cert, &cas) !=
      1) {
    const unsigned long last = ERR_peek_last_error();
    const bool mac =
        ERR_GET_LIB(last) == ERR_LIB_PKCS12 && ERR_GET_REASON(last) == PKCS12_R_MAC_VERIFY_FAILURE;
    const std::string reason = takeOpensslErrors();
    out.problems.push_back(
        {FindingCode::ParseError, mac ? std::string(kPkcs12BadPassword) : "PKCS#12: " + reason});
    return true;
  }
  if (cert != nullptr) addCertificate(cert, out);
  for (int i = 0; i < sk_X509_num(cas); ++i) addCertificate(sk_X509_value(cas, i), out);
  if (key != nullptr) {
    out.private_keys.emplace_back(key);
    out.private_key_blocks += 1;
  }
  // Certificates without a key: a trust store (keytool -importcert -storetype PKCS12).
  out.trust_store = key == nullptr && !out.certificate_ders.empty();
  X509_free(cert);
  sk_X509_pop_free(cas, X509_free);
  ERR_clear_error();
  return true;
}

}  // namespace certvigil::x509
