// SPDX-License-Identifier: Apache-2.0
#include "probers/tls_context.h"

#include <arpa/inet.h>
#include <algorithm>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "x509/openssl_util.h"
#include "x509/thread_library.h"

namespace certvigil::probers {
namespace {

// Distinct credential sets are few (one per client identity in the config); the bound only
// matters if a caller loads fresh credential objects for every scan.
constexpr std::size_t kMaxCachedContexts = 64;

// Verification is deferred to checks/: accept every chain without building a path, which also
// spares OpenSSL a pointless X509_verify_cert per handshake.
int acceptWithoutVerifying(X509_STORE_CTX* /*store*/, void* /*arg*/) { return 1; }

SSL_CTX* newCollectingContext(OSSL_LIB_CTX* library = nullptr) {
  SSL_CTX* ctx = SSL_CTX_new_ex(library, nullptr, TLS_client_method());
  if (ctx == nullptr) return nullptr;
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, acceptWithoutVerifying, nullptr);
  // A monitor must reach legacy servers to report on them: weak keys, old protocols and small
  // DH groups are findings for checks/, not reasons to fail the collection.
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
  SSL_CTX_set_max_cert_list(ctx, kMaxCertificateListBytes);
  // Every probe must see the full handshake with the chain, never a resumed session.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  // A probe mostly waits for the server: its read and write buffers (~17 KiB each) are freed
  // between records instead of held for the whole probe, at 64 probes in flight.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  // Whole flights in one read: without it libssl reads each record's 5-byte header, then its
  // body (14.5 reads a probe; 3.2 with it). Safe with TlsStream::drive, which waits on the
  // socket only when libssl asks for more than it has buffered (SSL_ERROR_WANT_READ).
  SSL_CTX_set_read_ahead(ctx, 1);
  return ctx;
}

// Installs leaf, chain and key; "" on success, else OpenSSL's reason.
std::string installCredentials(SSL_CTX* ctx, const ClientCredentials& client) {
  if (!client.certificate || !client.key) return "client certificate or key missing";
  bool ok = SSL_CTX_use_certificate(ctx, client.certificate.get()) == 1 &&
            SSL_CTX_use_PrivateKey(ctx, client.key.get()) == 1 &&
            SSL_CTX_check_private_key(ctx) == 1;
  for (const auto& cert : client.chain) {
    // SSL_CTX_add1_chain_cert, without the macro's C cast.
    ok = ok && cert && SSL_CTX_ctrl(ctx, SSL_CTRL_CHAIN_CERT, 1, cert.get()) == 1;
  }
  if (ok) return {};
  std::string reason = x509::takeOpensslErrors();
  return "client credentials not presented: " + (reason.empty() ? "unusable" : reason);
}

HandshakeFacts& factsOf(void* arg) { return *static_cast<HandshakeFacts*>(arg); }

// A Certificate handshake message with a non-empty certificate_list (RFC 5246 7.4.2 and
// RFC 8446 4.4.2, where a certificate_request_context precedes the list).
bool carriesCertificate(const unsigned char* msg, std::size_t len, bool tls13) {
  std::size_t pos = 4;  // type + 24-bit length
  if (tls13) {
    if (len <= pos) return false;
    pos += 1 + msg[pos];
  }
  if (len < pos + 3) return false;
  return (msg[pos] | msg[pos + 1] | msg[pos + 2]) != 0;
}

// OpenSSL's long name of an alert; OpenSSL 3.0 has none for a few RFC 8446 / RFC 7507 codes.
std::string alertText(int description) {
  switch (description) {
    case 86:
      return "inappropriate fallback";
    case 109:
      return "missing extension";
    case 116:
      return "certificate required";
    default:
      return SSL_alert_desc_string_long(description);
  }
}

void recordAlert(HandshakeFacts& facts, const unsigned char* body, std::size_t len) {
  if (len < 2 || facts.alert) return;
  const int description = body[1];
  if (description == SSL_AD_CLOSE_NOTIFY || description == SSL_AD_USER_CANCELLED) return;
  facts.alert = TlsAlert{description, alertText(description), facts.handshake_done};
  if (facts.handshake_done && facts.on_verdict) facts.on_verdict();
}

void onMessage(int write_p, int /*version*/, int content_type, const void* buf, std::size_t len,
               SSL* ssl, void* arg) {
  HandshakeFacts& facts = factsOf(arg);
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (write_p != 0) {
    if (content_type == SSL3_RT_HANDSHAKE && len > 0 && bytes[0] == SSL3_MT_CERTIFICATE) {
      facts.certificate_sent = carriesCertificate(bytes, len, SSL_version(ssl) >= TLS1_3_VERSION);
    }
    return;
  }
  if (content_type == SSL3_RT_HEADER && facts.first_bytes.empty()) {
    facts.first_bytes.assign(static_cast<const char*>(buf), len);
  } else if (content_type == SSL3_RT_ALERT) {
    recordAlert(facts, bytes, len);
  } else if (content_type == SSL3_RT_HANDSHAKE && len > 0 &&
             bytes[0] == SSL3_MT_NEWSESSION_TICKET && facts.handshake_done &&
             !facts.ticket_after_handshake) {
    facts.ticket_after_handshake = true;
    if (facts.on_verdict) facts.on_verdict();
  }
}

// Called on the client only when the server sent a CertificateRequest (TLS 1.2 and 1.3).
int onCertificateRequest(SSL* ssl, void* arg) {
  HandshakeFacts& facts = factsOf(arg);
  facts.certificate_requested = true;
  facts.acceptable_ca_names.clear();
  if (const STACK_OF(X509_NAME)* names = SSL_get_client_CA_list(ssl)) {
    for (int i = 0; i < sk_X509_NAME_num(names); ++i) {
      facts.acceptable_ca_names.push_back(x509::nameText(sk_X509_NAME_value(names, i)));
    }
  }
  return 1;
}

bool isIpLiteral(const std::string& name) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

}  // namespace

TlsContextCache::Context TlsContextCache::get(
    const std::shared_ptr<const ClientCredentials>& client) {
  auto found = std::find_if(entries_.begin(), entries_.end(),
                            [&](const Entry& e) { return e.owner == client; });
  if (found != entries_.end()) return {found->ctx.get(), found->problem, &ders_};
  if (entries_.size() >= kMaxCachedContexts) entries_.erase(entries_.begin());
  // Why the calling thread's library context (x509/thread_library.h), not the default one:
  // during every handshake libssl decodes the server's certificates, and OpenSSL 3.0 looks up a
  // decoder for each public key under read locks of the library context. The TLS prober runs
  // each event loop on a thread of its own, each with its own cache; with one shared (the
  // default) context the loops bounced those locks between cores, ~15 % of a sweep's CPU (perf,
  // 2,000 endpoints). A context per loop shares nothing between loops (the sweep took 1.50 CPU-s
  // instead of 1.63–1.85), and the thread's own is one already made: the daemon's single loop
  // runs on the scheduler's thread, whose context decoded the trust store (~300 KB not spent on
  // another). A helper loop's thread ends with its batch and its context goes back to the pool:
  // the loop's next thread may share it with another thread, which costs locks, not
  // correctness. Client credentials stay in the default context, where their keys were loaded
  // (a key is used by the provider of its own context).
  OSSL_LIB_CTX* library = client ? nullptr : x509::threadLibrary();
  Entry entry{client, std::unique_ptr<SSL_CTX, CtxDeleter>(newCollectingContext(library)), {}};
  if (!entry.ctx) {
    return {nullptr, "cannot create a TLS context: " + x509::takeOpensslErrors(), &ders_};
  }
  if (client) {
    entry.problem = installCredentials(entry.ctx.get(), *client);
    if (!entry.problem.empty()) {  // present nothing rather than half a set
      entry.ctx.reset(newCollectingContext());
      if (!entry.ctx) return {nullptr, entry.problem, &ders_};
    }
  }
  entries_.push_back(std::move(entry));
  return {entries_.back().ctx.get(), entries_.back().problem, &ders_};
}

SSL* newProbeSsl(SSL_CTX* ctx, const std::string& servername, HandshakeFacts& facts) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return nullptr;
  if (!servername.empty() && !isIpLiteral(servername)) {
    // SSL_set_tlsext_host_name, without the macro's C cast.
    SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(servername.c_str()));
  }
  SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
  SSL_set_msg_callback(ssl, onMessage);
  SSL_set_msg_callback_arg(ssl, &facts);
  SSL_set_cert_cb(ssl, onCertificateRequest, &facts);
  return ssl;
}

std::shared_ptr<const std::string> DerPool::intern(std::string der) {
  for (const auto& kept : recent_) {
    if (*kept == der) return kept;
  }
  auto fresh = std::make_shared<const std::string>(std::move(der));
  if (recent_.size() < kRecent) {
    recent_.push_back(fresh);
  } else {
    recent_[next_] = fresh;
    next_ = (next_ + 1) % kRecent;
  }
  return fresh;
}

void collectPresented(SSL* ssl, TlsProbeOutcome& out, DerPool& ders) {
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
    const int count = sk_X509_num(chain);
    const int kept = std::min(count, static_cast<int>(kMaxPresentedCertificates));
    out.presented_der.clear();
    out.presented_der.reserve(static_cast<std::size_t>(kept));
    for (int i = 0; i < kept; ++i) {
      std::string der = x509::derOf(sk_X509_value(chain, i));
      out.presented_der.push_back(ders.intern(std::move(der)));
    }
    out.presented_truncated = count > kept;
  }
  // The cipher is set once the ServerHello is processed; before that the version is unknown.
  if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl)) {
    out.cipher = SSL_CIPHER_get_name(cipher);
    out.tls_version = SSL_get_version(ssl);
  }
  const unsigned char* ocsp = nullptr;
  const long ocsp_len = SSL_get_tlsext_status_ocsp_resp(ssl, &ocsp);
  if (ocsp != nullptr && ocsp_len > 0) {
    out.ocsp_response.assign(reinterpret_cast<const char*>(ocsp),
                             static_cast<std::size_t>(ocsp_len));
  }
}

}  // namespace certvigil::probers
