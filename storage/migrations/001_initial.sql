-- SPDX-License-Identifier: Apache-2.0
-- 001_initial: certvigil's state. Times are Unix seconds (UTC).
--
-- "last seen" is kept per unit (units.last_scan_at) rather than per row: a current row (a
-- present target, a current observation, an active finding) was last seen at its unit's last
-- scan. The row's own last_seen column is written only when it ends (gone / ended / resolved),
-- so a rescan that changed nothing writes two rows (scans, units) instead of one per target.

PRAGMA application_id = 1668707177; -- 'cvgi'

-- One configured entry (a file glob, a bundle path, an endpoint address).
CREATE TABLE units (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('endpoint', 'file', 'bundle')),
  last_scan_at INTEGER  -- NULL until the first scan is recorded
);

-- Every certificate ever seen, once, by SHA-256 fingerprint of its DER.
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,  -- lowercase hex SHA-256
  subject TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  key TEXT NOT NULL,                 -- "RSA-2048", "EC-256", "Ed25519"
  signature_algorithm TEXT NOT NULL,
  is_ca INTEGER NOT NULL CHECK (is_ca IN (0, 1)),
  eku TEXT NOT NULL,                 -- "serverAuth,clientAuth" or ""
  der BLOB,
  first_seen INTEGER NOT NULL
);
CREATE INDEX certificates_not_after ON certificates (not_after);

-- A file or endpoint a unit expanded to. The same path may belong to two units (a file glob
-- and a bundle entry both matching it) and is judged differently by each, so names are unique
-- per unit, not globally.
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('endpoint', 'file', 'bundle')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER,  -- NULL while present: units.last_scan_at
  gone_at INTEGER,    -- NULL while present
  UNIQUE (unit_id, name)
);
CREATE INDEX targets_name ON targets (name);
CREATE INDEX targets_gone ON targets (gone_at) WHERE gone_at IS NOT NULL;

CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  kind TEXT NOT NULL CHECK (kind IN ('endpoint', 'file', 'bundle')),
  started_at INTEGER NOT NULL,
  duration_seconds REAL NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  targets INTEGER NOT NULL,
  findings INTEGER NOT NULL
);
CREATE INDEX scans_started_at ON scans (started_at);
CREATE INDEX scans_unit ON scans (unit_id, started_at);

-- An interval during which a certificate was presented at a position of a target.
CREATE TABLE observations (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  certificate_id INTEGER NOT NULL REFERENCES certificates (id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER,  -- NULL while current: units.last_scan_at
  ended_at INTEGER    -- NULL while current
);
CREATE UNIQUE INDEX observations_current ON observations (target_id, certificate_id, position)
  WHERE ended_at IS NULL;
CREATE INDEX observations_ended ON observations (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX observations_target ON observations (target_id);  -- child keys: deleting a target
CREATE INDEX observations_certificate ON observations (certificate_id);

-- An interval during which a finding was active at a target. A finding that resolves and later
-- comes back gets a new row: the history keeps both intervals.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  fingerprint TEXT NOT NULL,  -- '' when the finding concerns no certificate
  position INTEGER NOT NULL,  -- -1 when the finding concerns no certificate
  message TEXT NOT NULL,
  remedy TEXT NOT NULL,
  cause TEXT,                 -- client_cert_rejected only
  first_seen INTEGER NOT NULL,
  last_seen INTEGER,          -- NULL while active: units.last_scan_at
  resolved_at INTEGER         -- NULL while active
);
CREATE UNIQUE INDEX findings_active ON findings (target_id, code, fingerprint, position)
  WHERE resolved_at IS NULL;
CREATE INDEX findings_target ON findings (target_id);
CREATE INDEX findings_resolved ON findings (resolved_at) WHERE resolved_at IS NOT NULL;
