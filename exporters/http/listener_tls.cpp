// SPDX-License-Identifier: Apache-2.0
// exporters/http/listener_tls.cpp: SSL_CTX setup for httplib::SSLServer. cpp-httplib's own
// constructor cannot say why a file failed to load; this one names the file and the reason,
// checks that the key belongs to the certificate, and sends the intermediates.
#include "exporters/http/listener_tls.h"

#include <openssl/err.h>

#include <array>

namespace certvigil::exporters {
namespace {

// The newest OpenSSL error as text, with the file it concerns; clears the error queue.
bool fail(const std::filesystem::path& file, const std::string& what, std::string* error) {
  std::array<char, 256> reason{};
  const unsigned long code = ERR_peek_last_error();
  if (code != 0) ERR_error_string_n(code, reason.data(), reason.size());
  ERR_clear_error();
  if (error != nullptr) {
    *error =
        file.string() + ": " + what + (code != 0 ? std::string(" (") + reason.data() + ")" : "");
  }
  return false;
}

bool requireClientCertificates(SSL_CTX& ctx, const std::filesystem::path& ca_file,
                               std::string* error) {
  if (SSL_CTX_load_verify_locations(&ctx, ca_file.c_str(), nullptr) != 1) {
    return fail(ca_file, "cannot load the client CA certificates", error);
  }
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca_file.c_str());
  if (names == nullptr) return fail(ca_file, "no CA certificate found", error);
  SSL_CTX_set_client_CA_list(&ctx, names);  // takes ownership; sent in the CertificateRequest
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return true;
}

}  // namespace

bool configureListenerTls(SSL_CTX& ctx, const HttpTlsOptions& options, std::string* error) {
  ERR_clear_error();
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      &ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(&ctx, options.cert_file.c_str()) != 1) {
    return fail(options.cert_file, "cannot load the certificate chain", error);
  }
  if (SSL_CTX_use_PrivateKey_file(&ctx, options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return fail(options.key_file, "cannot load the private key", error);
  }
  if (SSL_CTX_check_private_key(&ctx) != 1) {
    return fail(options.key_file, "the key does not belong to the certificate", error);
  }
  if (!options.client_ca_file.empty() &&
      !requireClientCertificates(ctx, options.client_ca_file, error)) {
    return false;
  }
  return true;
}

}  // namespace certvigil::exporters
