// SPDX-License-Identifier: Apache-2.0
// exporters/http/listener_tls.cpp: SSL_CTX setup for httplib::SSLServer. Everything that can
// change while the daemon runs is applied per connection (tls_material.cpp), from the
// ClientHello callback: it runs before OpenSSL picks the version, the cipher, the certificate
// and whether to ask for a client certificate.
#include "exporters/http/listener_tls.h"

#include "exporters/http/tls_material.h"
#include "exporters/http/web_config_source.h"

namespace certvigil::exporters {
namespace {

constexpr unsigned char kSessionContext[] = "certvigil";

int onClientHello(SSL* ssl, int* alert, void* arg) {
  std::shared_ptr<const WebState> state = static_cast<WebConfigSource*>(arg)->current();
  if (!state || !state->tls || !applyTlsMaterial(ssl, state->tls)) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

bool configureListenerTls(SSL_CTX& ctx, WebConfigSource& source, std::string* error) {
  if (!source.tlsEnabled()) {
    if (error != nullptr) *error = "no TLS certificate configured";
    return false;
  }
  SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Resumed sessions of clients with certificates need it; OpenSSL refuses them otherwise.
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_client_hello_cb(&ctx, onClientHello, &source);
  return true;
}

}  // namespace certvigil::exporters
