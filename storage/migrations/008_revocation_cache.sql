-- SPDX-License-Identifier: Apache-2.0
-- 008_revocation_cache: the CRLs fetched from distribution points, one row per URL, so that a
-- restart does not fetch every CRL again before its nextUpdate, and a refetch can be
-- conditional (ETag, Last-Modified). The body is the CRL as the CA served it; storage keeps
-- bytes and times, the revocation module decides what they mean.
CREATE TABLE crl_cache (
  url TEXT PRIMARY KEY,
  body BLOB NOT NULL,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL,
  fetched_at INTEGER NOT NULL,  -- unix seconds of the fetch that gave or confirmed the body
  next_update INTEGER           -- unix seconds, NULL when the CRL has none
) WITHOUT ROWID;
