// SPDX-License-Identifier: Apache-2.0
// exporters/http/listener_tls.h: the listener's own TLS context (the `tls:` block): its
// certificate chain and key, TLS 1.2 or later, and optionally client certificates required and
// verified against given CAs. Internal to exporters/http.
#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <string>

namespace certvigil::exporters {

/// Where the listener's TLS material lives; TLS is off while cert_file is empty.
struct HttpTlsOptions {
  std::filesystem::path cert_file;       ///< PEM: certificate, then intermediates
  std::filesystem::path key_file;        ///< PEM: its private key
  std::filesystem::path client_ca_file;  ///< set: require a client certificate from these CAs
  bool enabled() const { return !cert_file.empty(); }
};

/// Sets up `ctx` from `options`. On failure returns false and says why in *error (file and
/// OpenSSL's reason; never key material).
bool configureListenerTls(SSL_CTX& ctx, const HttpTlsOptions& options, std::string* error);

}  // namespace certvigil::exporters
