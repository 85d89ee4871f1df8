// SPDX-License-Identifier: Apache-2.0
// probers/tls_probe.h: the TLS endpoint prober. Collects, never judges: what the server
// presented (its chain as sent, with verification deferred), the negotiated version and cipher,
// a stapled OCSP response, whether it sent a CertificateRequest and which client CA names it
// accepts, what happened to the client certificate we presented (an alert during or after the
// handshake, or nginx's HTTP 400 page), and where and why the probe ended. Checks turn this into
// findings (checks/endpoint.cpp, checks/mtls.cpp).
//
// Asynchronous on standalone Asio with OpenSSL: one event loop holds every probe in flight, at
// most `concurrency` at once, each bounded by one deadline that covers DNS, connect, STARTTLS,
// the handshake and the read after it. Verification is deferred (checks/ judge the chain), so
// a probe costs one handshake and nothing more when the server asks for no client certificate.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "x509/handles.h"

namespace certvigil::probers {

/// The client credentials to present, already loaded (secrets never leave memory).
struct ClientCredentials {
  x509::X509Shared certificate;         ///< the leaf
  std::vector<x509::X509Shared> chain;  ///< intermediates sent after the leaf
  std::shared_ptr<EVP_PKEY> key;
};

struct TlsProbeRequest {
  std::string host;  ///< DNS name or IP literal (without brackets)
  int port = 0;
  std::string servername;  ///< SNI (none when empty or an IP literal); XMPP's domain; HTTP Host
  config::StartTls starttls = config::StartTls::None;
  std::shared_ptr<const ClientCredentials> client;  ///< null: present no certificate
  /// After the handshake, send a minimal "GET / HTTP/1.1" and read the status line: nginx
  /// answers 400 to a rejected or missing client certificate instead of sending an alert.
  bool http_request = false;
  /// Probe every resolved address (at most 16, at once, under the one deadline; one outcome
  /// each); otherwise try them in order until one connects.
  bool all_addresses = false;
  std::chrono::milliseconds timeout{10000};  ///< one deadline for the whole probe
};

/// Where a probe ended.
enum class ProbeStage { Resolve, Connect, StartTls, Handshake, AfterHandshake, Done };

/// How a probe failed; None when it got through the handshake (a rejection after the handshake,
/// an alert or an HTTP 400, is data in the outcome, not a failure of the probe).
enum class ProbeFailure {
  None,
  Resolve,  ///< DNS: no such name, no address
  Connect,  ///< refused, unreachable
  /// The deadline passed (stage says where). After the handshake only when an HTTP answer had
  /// begun and did not finish: waiting for a verdict or an answer that never comes is not one.
  Timeout,
  StartTls,   ///< the plain-text upgrade was refused or garbled
  Handshake,  ///< not TLS, protocol error, an alert from the server, a closed connection
};

/// A TLS alert the server sent us.
struct TlsAlert {
  int description = 0;  ///< RFC 8446 code: 40 handshake_failure, 42 bad_certificate, 43
                        ///< unsupported_certificate, 45 certificate_expired, 48 unknown_ca,
                        ///< 116 certificate_required, ...
  std::string text;     ///< OpenSSL's long name, e.g. "unknown CA", "certificate required"
  bool after_handshake = false;  ///< arrived after our side finished (TLS 1.3 client auth)
};

struct TlsProbeOutcome {
  /// The IP connected to ("127.0.0.1", "::1"); with a Connect failure the last one tried;
  /// empty when resolution failed.
  std::string address;
  ProbeFailure failure = ProbeFailure::None;
  ProbeStage stage = ProbeStage::Resolve;  ///< Done when it got through everything
  /// Plain words on the failure: "connection refused", "the server does not speak TLS (it
  /// answered like HTTP)", "the server sent alert 48 (unknown CA)", "no answer within 10 s
  /// during the TLS handshake". Without a failure, "client credentials not presented: <reason>"
  /// when the configured credentials could not be used (the probe then presents none).
  std::string detail;
  /// The server's chain as sent, leaf first (DER). Shared: a sweep holds every probe's chain
  /// until it is decoded, and endpoints often present the same certificates (one intermediate
  /// behind many servers, one leaf behind many ports), which a loop keeps once (DerPool).
  std::vector<std::shared_ptr<const std::string>> presented_der;
  bool presented_truncated = false;    ///< the server sent more than presented_der keeps (200)
  std::string tls_version;             ///< "TLSv1.3"
  std::string cipher;                  ///< "TLS_AES_128_GCM_SHA256"
  std::string ocsp_response;           ///< DER of a stapled OCSP response; empty if none
  bool certificate_requested = false;  ///< the server sent a CertificateRequest
  /// Its certificate_authorities, as RFC 2253 one-line names (x509::nameText), in order. May
  /// be empty even when a certificate was requested (any CA the server trusts).
  std::vector<std::string> acceptable_ca_names;
  bool client_certificate_sent = false;  ///< we answered the request with a certificate
  /// The first alert the server sent (not close_notify). In TLS 1.3 a rejected or missing
  /// client certificate arrives after our Finished: when a certificate was requested the
  /// prober reads on for it, for at most 1 s of silence (a session ticket ends the wait).
  std::optional<TlsAlert> alert;
  std::optional<int> http_status;  ///< the status of the answer to http_request
  std::string http_excerpt;        ///< the start of that answer's body (bounded), e.g. nginx's
                                   ///< "No required SSL certificate was sent"
  double duration_seconds = 0;
};

/// How a TlsProber spreads a batch.
struct ProbeLimits {
  int in_flight = 64;  ///< probes at once (the config's `concurrency`)
  /// Event loops, each on a thread of its own (the calling thread runs the first). 0: one per
  /// CPU, at most four: the shortest batch (`check`). 1: the calling thread alone: the least
  /// CPU per probe, as no allocator arena or OpenSSL lock is shared between probing threads
  /// (the daemon: daemon/app.cpp says why).
  int loops = 0;
};

/// Probes endpoints concurrently. Thread-compatible: one probeAll() at a time per object. Keep
/// one for the daemon's lifetime: it holds one SSL_CTX per client credentials object (keyed by
/// the shared_ptr, so pass the same one again to reuse it).
class TlsProber {
 public:
  explicit TlsProber(ProbeLimits limits);
  ~TlsProber();
  TlsProber(const TlsProber&) = delete;
  TlsProber& operator=(const TlsProber&) = delete;

  /// Runs every request, at most `in_flight` at once, on its event loops (the calling thread
  /// runs the first), and returns when all have ended (each within its own deadline).
  /// result[i] belongs to requests[i]: one outcome, or one per resolved address with all_addresses.
  /// `heartbeat`, if set, is called every few seconds while the batch runs (the systemd watchdog).
  std::vector<std::vector<TlsProbeOutcome>> probeAll(const std::vector<TlsProbeRequest>& requests,
                                                     const std::function<void()>& heartbeat = {});
  /// The event loops a large batch runs on (a small one may use fewer).
  std::size_t loops() const;

 private:
  struct Impl;
  struct Batch;
  void runLoop(std::size_t index, Batch& batch, const std::function<void()>& heartbeat);
  std::unique_ptr<Impl> impl_;
};

/// "handshake", "connect", ... for messages and JSON.
std::string_view toString(ProbeStage stage);
std::string_view toString(ProbeFailure failure);

}  // namespace certvigil::probers
