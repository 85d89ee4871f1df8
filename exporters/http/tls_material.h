// SPDX-License-Identifier: Apache-2.0
// exporters/http/tls_material.h: what one `tls_server_config` becomes in OpenSSL: the
// certificate chain and key, the client CAs (verify store and the names sent in the
// CertificateRequest), versions, cipher suites and groups. Loaded once per change of the files it
// comes from, applied to each connection from the ClientHello callback, so a renewed certificate
// is served from the next connection on. Internal to exporters/http.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "config/web_config.h"
#include "core/result.h"

namespace certvigil::exporters {

/// Immutable OpenSSL objects of one TLS configuration.
class TlsMaterial {
 public:
  /// Loads and checks everything `tls` names (files or inline PEM): the certificate chain, a key
  /// that belongs to it, the client CAs. Errors name the file and OpenSSL's reason, never key
  /// material.
  static Result<std::shared_ptr<const TlsMaterial>> load(const config::WebTlsConfig& tls);

  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  /// Whether a client certificate is accepted without verification (RequestClientCert,
  /// RequireAnyClientCert).
  bool acceptsAnyClientCert() const;
  /// Whether `leaf` carries one of client_allowed_sans (true when the list is empty).
  bool allowsClient(X509* leaf) const;

 private:
  friend bool applyTlsMaterial(SSL* ssl, std::shared_ptr<const TlsMaterial> material);
  TlsMaterial() = default;

  config::WebTlsConfig settings_;  ///< without the inline key
  X509* cert_ = nullptr;
  STACK_OF(X509) * chain_ = nullptr;
  EVP_PKEY* key_ = nullptr;
  X509_STORE* client_cas_ = nullptr;
  STACK_OF(X509_NAME) * client_ca_names_ = nullptr;
  std::string ciphers_;  ///< OpenSSL cipher list (TLS 1.2 and below), or "" for the default
  std::string groups_;   ///< OpenSSL group list, or "" for the default
};

/// Applies `material` to a connection in its ClientHello callback (before the version, cipher
/// and certificate are chosen) and keeps it alive with the connection.
bool applyTlsMaterial(SSL* ssl, std::shared_ptr<const TlsMaterial> material);

}  // namespace certvigil::exporters
