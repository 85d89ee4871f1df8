// SPDX-License-Identifier: Apache-2.0
// core/endpoint.h: what the TLS prober collected about one endpoint besides the certificates it
// presented: how far the probe got, the negotiated parameters, and the mTLS side (the server's
// CertificateRequest and its acceptable client CA names, the client certificate we presented,
// and the server's answer to it). Std-only, like the rest of core: checks judge it without
// OpenSSL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/boxed.h"
#include "core/certificate.h"
#include "core/shared_text.h"

namespace certvigil {

/// What the configuration says the endpoint demands of clients.
enum class MtlsExpectation { None, Optional, Required };
/// "none" | "optional" | "required".
std::string_view toString(MtlsExpectation expectation);

/// How a probe ended early; None when it got through the handshake.
enum class ProbeFailureKind { None, Connect, Handshake, Timeout };
/// The finding code it raises: "connect_failed" | "handshake_failed" | "timeout" | "" (None).
std::string_view toString(ProbeFailureKind failure);

/// The server's answer to a client that presented a certificate (or none).
struct ServerAnswer {
  bool handshake_completed = false;  ///< our side finished the handshake
  std::optional<int> alert;          ///< a fatal TLS alert from the server (RFC 8446 code)
  std::string alert_text;            ///< "unknown CA"
  bool alert_after_handshake = false;
  std::optional<int> http_status;  ///< answer to our minimal HTTP request, if one was sent
  std::string http_excerpt;        ///< start of that answer's body (nginx's reason)
  std::string failure_detail;      ///< the prober's words when the connection failed
  friend bool operator==(const ServerAnswer&, const ServerAnswer&) = default;

  /// The server served us: the handshake completed, no alert, and no HTTP 400-class refusal
  /// of the certificate (nginx answers 400 instead of an alert).
  bool served() const;
  /// The server refused what we presented: an alert, or nginx's "SSL certificate" 400 page.
  bool refused() const;
  /// In words: "TLS alert 48 (unknown CA) after the handshake", "HTTP 400: No required SSL
  /// certificate was sent", the failure detail, "served the request" or "no answer".
  std::string describe() const;
};

/// The client side of an mTLS endpoint.
struct ClientAuthFacts {
  MtlsExpectation expected = MtlsExpectation::None;
  bool certificate_requested = false;            ///< the server sent a CertificateRequest
  std::vector<std::string> acceptable_ca_names;  ///< its certificate_authorities (RFC 2253)
  /// The client certificate we were configured to present, as we sent it (leaf first).
  std::vector<CertificateFactsPtr> client_chain;
  std::string client_source;   ///< the file it came from (client_cert or client_pkcs12)
  std::string client_problem;  ///< why it could not be loaded (then nothing was presented)
  /// The root our client chain leads to in the configured trust store (its subject), "" when
  /// unknown: tells a wrong CA from a missing intermediate when the server lists only roots.
  std::string client_root;
  bool certificate_sent = false;  ///< we answered the request with a certificate
  ServerAnswer answer;            ///< to the main probe (with our certificate, if any)
  /// mtls: required and a certificate was configured: a second probe without one. Empty when
  /// not made.
  std::optional<ServerAnswer> anonymous;
  /// Client chains compare by identity (the certificate cache hands out one object per DER).
  friend bool operator==(const ClientAuthFacts&, const ClientAuthFacts&) = default;
};

/// expect_file: the certificate an endpoint should serve, read from the file that holds it.
struct ExpectedLeaf {
  std::string file;         ///< the expect_file; empty: none
  std::string fingerprint;  ///< SHA-256 of the file's first certificate
  std::string problem;      ///< why the file could not be read
  friend bool operator==(const ExpectedLeaf&, const ExpectedLeaf&) = default;
};

/// Where a probe stopped and why, in words.
struct ProbeFailureWords {
  std::string stage;   ///< "resolve", "connect", "starttls", "handshake", ...
  std::string detail;  ///< plain words
  friend bool operator==(const ProbeFailureWords&, const ProbeFailureWords&) = default;
};

struct EndpointFacts {
  std::string address;     ///< host:port as configured
  std::string ip;          ///< the address connected to, empty if none
  std::string servername;  ///< SNI sent, also the name verified
  ProbeFailureKind failure = ProbeFailureKind::None;
  /// Where and why it failed, set with `failure`. Boxed: 64 bytes inline in every probe's
  /// facts, and most probes get through.
  Boxed<ProbeFailureWords> failure_words;
  /// Shared texts (interned by the prober): the same few values in every endpoint's facts.
  SharedText tls_version;  ///< "TLSv1.3"
  SharedText cipher;
  bool ocsp_stapled = false;
  SharedText ocsp_status;  ///< "good" | "revoked" | "unknown" | "" (none or unreadable)
  /// Boxed: few endpoints name an expect_file (96 bytes inline in every probe's facts).
  Boxed<ExpectedLeaf> expected_leaf;
  /// Why the server's chain was not judged against any trust anchors (a kubeconfig cluster
  /// with insecure-skip-tls-verify); empty when it was.
  SharedText trust_not_judged;
  /// Shared: endpoints that ask for no client certificate hold one value (EndpointProber).
  Shared<ClientAuthFacts> client;
  friend bool operator==(const EndpointFacts&, const EndpointFacts&) = default;
};

}  // namespace certvigil
