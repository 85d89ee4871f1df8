-- SPDX-License-Identifier: Apache-2.0
-- 004_alerts_in_code: the alert rules move to C++ (core/transitions.h, called by storage's
-- recorder inside the scan's transaction), so the triggers of 002_alerts and the view they read
-- go. Target kinds stop being frozen in SQL: the CHECK (kind IN (...)) of units, targets and
-- scans goes, so a new kind of source needs no migration.
--
-- SQLite cannot drop a CHECK constraint: each table is rebuilt the documented way
-- (https://www.sqlite.org/lang_altertable.html#otheralter): create the new table, copy every
-- row, drop the old one, rename the new one, recreate its indexes. The migration runner turns
-- foreign keys off around the migration and runs PRAGMA foreign_key_check before it commits,
-- as that procedure requires (dropping `targets` with foreign keys on would cascade into
-- observations, findings and endpoint_facts). The events table and its rows are untouched: no
-- undelivered event is lost.

DROP TRIGGER IF EXISTS findings_event_firing;
DROP TRIGGER IF EXISTS findings_event_severity;
DROP TRIGGER IF EXISTS findings_event_resolved;
DROP TRIGGER IF EXISTS observations_event_changed;
DROP VIEW IF EXISTS finding_event_source;

CREATE TABLE units_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,  -- TargetKind: 'endpoint', 'file', 'bundle', ...
  last_scan_at INTEGER  -- NULL until the first scan is recorded
);
INSERT INTO units_new (id, name, kind, last_scan_at)
  SELECT id, name, kind, last_scan_at FROM units;
DROP TABLE units;
ALTER TABLE units_new RENAME TO units;

CREATE TABLE targets_new (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER,  -- NULL while present: units.last_scan_at
  gone_at INTEGER,    -- NULL while present
  UNIQUE (unit_id, name)
);
INSERT INTO targets_new (id, unit_id, name, kind, first_seen, last_seen, gone_at)
  SELECT id, unit_id, name, kind, first_seen, last_seen, gone_at FROM targets;
DROP TABLE targets;
ALTER TABLE targets_new RENAME TO targets;
CREATE INDEX targets_name ON targets (name);
CREATE INDEX targets_gone ON targets (gone_at) WHERE gone_at IS NOT NULL;

CREATE TABLE scans_new (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES units (id),
  kind TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  duration_seconds REAL NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  targets INTEGER NOT NULL,
  findings INTEGER NOT NULL
);
INSERT INTO scans_new (id, unit_id, kind, started_at, duration_seconds, outcome, targets, findings)
  SELECT id, unit_id, kind, started_at, duration_seconds, outcome, targets, findings FROM scans;
DROP TABLE scans;
ALTER TABLE scans_new RENAME TO scans;
CREATE INDEX scans_started_at ON scans (started_at);
CREATE INDEX scans_unit ON scans (unit_id, started_at);
