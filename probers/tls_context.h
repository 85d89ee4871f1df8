// SPDX-License-Identifier: Apache-2.0
// probers/tls_context.h (internal to the TLS prober): the OpenSSL side of a probe. One client
// SSL_CTX per distinct set of client credentials, built once and cached for the prober's
// lifetime; and the per-connection callbacks that record what the server asked for and said
// (CertificateRequest and its CA names, alerts, the first bytes it sent, session tickets).
// No sockets here: tls_session.cpp drives the connection.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/ssl.h>

#include "probers/tls_probe.h"

namespace certvigil::probers {

/// At most this many certificates of the server's chain are kept (the rest are counted only).
inline constexpr std::size_t kMaxPresentedCertificates = 200;
/// The largest certificate chain OpenSSL accepts from a server (SSL_CTX_set_max_cert_list).
inline constexpr long kMaxCertificateListBytes = 1024L * 1024;

/// What OpenSSL's callbacks saw on one connection. Owned by the session, which outlives the SSL
/// object and therefore every callback.
struct HandshakeFacts {
  bool certificate_requested = false;
  std::vector<std::string> acceptable_ca_names;
  bool certificate_sent = false;        ///< our Certificate message carried a certificate
  std::optional<TlsAlert> alert;        ///< the first alert from the server other than close_notify
  bool handshake_done = false;          ///< set by the session when our side finished the handshake
  bool ticket_after_handshake = false;  ///< a NewSessionTicket arrived after our Finished
  std::string first_bytes;              ///< the first record header the server sent (5 bytes)
  std::function<void()> on_verdict;     ///< called on a post-handshake alert or ticket
};

/// The certificates one event loop's probes were presented, each distinct DER kept once while
/// recent: identical ones (2,000 ports behind one nginx presented one leaf and one intermediate)
/// share one string instead of a copy per probe. Bounded: the last kRecent distinct ones.
class DerPool {
 public:
  std::shared_ptr<const std::string> intern(std::string der);

 private:
  static constexpr std::size_t kRecent = 32;
  std::vector<std::shared_ptr<const std::string>> recent_;  ///< a ring of kRecent at most
  std::size_t next_ = 0;                                    ///< where the next new one goes
};

/// One client SSL_CTX per credential set, all configured for collecting (verification deferred,
/// every protocol version and cipher OpenSSL still has, large chains accepted).
class TlsContextCache {
 public:
  TlsContextCache() = default;
  TlsContextCache(const TlsContextCache&) = delete;
  TlsContextCache& operator=(const TlsContextCache&) = delete;

  struct Context {
    SSL_CTX* ctx = nullptr;   ///< null: OpenSSL could not create one (see problem)
    std::string problem;      ///< why the credentials are not presented, "" if fine
    DerPool* ders = nullptr;  ///< the loop's pool for what servers present (never null)
  };
  /// The context for `client` (null: present no certificate), built on first use. Keyed by the
  /// credentials object: pass the same shared_ptr again to reuse it.
  Context get(const std::shared_ptr<const ClientCredentials>& client);

 private:
  struct CtxDeleter {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
  };
  struct Entry {
    std::shared_ptr<const ClientCredentials> owner;  ///< keeps the key pointer unique
    std::unique_ptr<SSL_CTX, CtxDeleter> ctx;
    std::string problem;
  };
  DerPool ders_;
  std::vector<Entry> entries_;  ///< a handful of credential sets; bounded, oldest evicted
};

/// A new SSL object for one connection: SNI (none when empty or an IP literal), an OCSP
/// stapling request, and the callbacks that fill `facts`. Null if OpenSSL fails.
SSL* newProbeSsl(SSL_CTX* ctx, const std::string& servername, HandshakeFacts& facts);

/// Copies what the server presented into `out`: its chain as sent (leaf first, DER), the
/// version, the cipher and a stapled OCSP response. Safe after a failed handshake.
/// `ders`: the loop's pool, where presented certificates are kept once.
void collectPresented(SSL* ssl, TlsProbeOutcome& out, DerPool& ders);

}  // namespace certvigil::probers
