-- SPDX-License-Identifier: Apache-2.0
-- 009_ari_cache: ACME renewal information (RFC 9773) asked of CAs, one row per directory and
-- certificate identifier, so that a restart honours the CA's Retry-After and keeps the last
-- suggested window. Storage keeps times and text; the revocation module decides what they mean.
CREATE TABLE ari_cache (
  directory TEXT NOT NULL,        -- the ACME directory URL
  cert_id TEXT NOT NULL,          -- base64url(AKI keyIdentifier) "." base64url(serial)
  url TEXT NOT NULL,              -- the renewalInfo URL asked
  window_start INTEGER,           -- unix seconds; NULL before a good answer
  window_end INTEGER,
  explanation_url TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,    -- unix seconds of the last good answer (0: none)
  attempted_at INTEGER NOT NULL,  -- unix seconds of the last request
  next_poll INTEGER NOT NULL,     -- unix seconds: not asked again before (Retry-After)
  error TEXT NOT NULL,            -- why the last request failed, '' when it worked
  PRIMARY KEY (directory, cert_id)
) WITHOUT ROWID;
