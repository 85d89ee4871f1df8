-- SPDX-License-Identifier: Apache-2.0
-- 003_endpoints: what the last probe of an endpoint target saw besides its certificates: the
-- negotiated TLS parameters and the mTLS side (whether the server asked for a client
-- certificate, the client CA names it accepts, and how it answered ours). One row per endpoint
-- target, rewritten only when something changed (UPSERT ... WHERE differs), so an unchanged
-- rescan writes nothing here.
CREATE TABLE endpoint_facts (
  target_id INTEGER PRIMARY KEY REFERENCES targets (id) ON DELETE CASCADE,
  ip TEXT NOT NULL,
  servername TEXT NOT NULL,
  probe_failure TEXT NOT NULL,         -- '' | 'connect_failed' | 'handshake_failed' | 'timeout'
  failure_detail TEXT NOT NULL,
  tls_version TEXT NOT NULL,
  cipher TEXT NOT NULL,
  ocsp_status TEXT NOT NULL,           -- '' (none stapled) | good | revoked | unknown | unreadable
  mtls_expected TEXT NOT NULL,         -- none | optional | required
  certificate_requested INTEGER NOT NULL CHECK (certificate_requested IN (0, 1)),
  acceptable_ca_names TEXT NOT NULL,   -- JSON array of RFC 2253 names, in the server's order
  client_certificate_sent INTEGER NOT NULL CHECK (client_certificate_sent IN (0, 1)),
  server_answer TEXT NOT NULL,         -- "TLS alert 48 (unknown CA) ...", "HTTP 400: ...", "served the request"
  changed_at INTEGER NOT NULL          -- when these facts were first seen as they are
);
