// SPDX-License-Identifier: Apache-2.0
// exporters/http/listener_tls.h: the listener's TLS context. Certificate, key, client-auth policy,
// versions, ciphers and groups come from the live web configuration (web_config_source.h) and
// are applied to each connection in the ClientHello callback; the SSL_CTX itself only holds
// what never changes (no compression or renegotiation, a session id context). Internal to
// exporters/http.
#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <string>

namespace certvigil::exporters {

class WebConfigSource;

/// The `tls:` short form, for embedders and tests without a web-config file: TLS is off while
/// cert_file is empty; client_ca_file set means RequireAndVerifyClientCert.
struct HttpTlsOptions {
  std::filesystem::path cert_file;       ///< PEM: certificate, then intermediates
  std::filesystem::path key_file;        ///< PEM: its private key
  std::filesystem::path client_ca_file;  ///< set: require a client certificate from these CAs
  bool enabled() const { return !cert_file.empty(); }
};

/// Sets up `ctx` to take each connection's TLS settings from `source`, which must outlive it.
/// Returns false with the reason in *error when the source has no TLS configuration.
bool configureListenerTls(SSL_CTX& ctx, WebConfigSource& source, std::string* error);

}  // namespace certvigil::exporters
