-- SPDX-License-Identifier: Apache-2.0
-- 002_alerts: the alert outbox. Times are Unix seconds (UTC).
--
-- Every transition of a finding (it appears, changes severity, clears) and every change of the
-- certificate a target presents first is written to `events` by the triggers below, inside the
-- very transaction that records the scan: a scan is never recorded without its events, and no
-- event exists for a scan that rolled back. Triggers rather than C++ hooks, so every path that
-- changes a finding row (a scan, a target that disappears, a unit removed at reload) produces
-- its event. The dispatcher (alerts/) delivers events in id order to each notifier and keeps
-- one cursor per notifier: at-least-once, in order, surviving restarts.

-- The finding rows with everything an event carries. `uid` is a fresh UUID v4 per row read:
-- the stable id of the event written from it, sent to receivers as webhook-id.
CREATE VIEW finding_event_source AS
SELECT
  lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2)
        || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2)
        || '-' || hex(randomblob(6))) AS uid,
  f.id AS finding_id, t.name AS target, u.name AS unit, t.kind AS target_kind, f.code,
  f.severity, f.fingerprint, f.position, f.message, f.remedy, f.cause, f.first_seen,
  f.resolved_at, c.subject, c.issuer, c.serial, c.not_after
FROM findings f
JOIN targets t ON t.id = f.target_id
JOIN units u ON u.id = t.unit_id
LEFT JOIN certificates c ON c.fingerprint = f.fingerprint AND f.fingerprint <> '';

CREATE TABLE events (
  id INTEGER PRIMARY KEY,          -- delivery order
  uid TEXT NOT NULL UNIQUE,        -- stable event id (UUID v4): webhook-id, dedup key
  created_at INTEGER NOT NULL,     -- when written (wall clock); max_age counts from here
  kind TEXT NOT NULL CHECK (kind IN ('firing', 'severity_changed', 'resolved', 'repeat',
                                     'certificate_changed')),
  notifier TEXT,                   -- NULL: for every notifier; a repeat is for one notifier
  finding_id INTEGER,              -- findings.id (no foreign key: history pruning deletes it)
  target TEXT NOT NULL,
  unit TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  code TEXT NOT NULL,              -- a finding code, or 'certificate_changed'
  severity TEXT NOT NULL,          -- for 'resolved': the severity it had
  previous_severity TEXT,          -- 'severity_changed' only
  fingerprint TEXT NOT NULL,       -- '' when it concerns no certificate
  previous_fingerprint TEXT,       -- 'certificate_changed' only
  position INTEGER NOT NULL,
  message TEXT NOT NULL,
  remedy TEXT NOT NULL,
  cause TEXT,
  first_seen INTEGER,              -- when the finding became active
  resolved_at INTEGER,             -- 'resolved' only
  subject TEXT,                    -- the certificate concerned, when there is one
  issuer TEXT,
  serial TEXT,
  not_after INTEGER
);
CREATE INDEX events_finding ON events (finding_id, created_at);
CREATE INDEX events_created ON events (created_at);

-- Per notifier: every event up to last_event_id has been delivered, rejected, dropped or
-- filtered out.
CREATE TABLE notifier_cursors (
  notifier TEXT PRIMARY KEY,
  last_event_id INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TRIGGER findings_event_firing AFTER INSERT ON findings
BEGIN
  INSERT INTO events (uid, created_at, kind, finding_id, target, unit, target_kind, code,
                      severity, fingerprint, position, message, remedy, cause, first_seen,
                      subject, issuer, serial, not_after)
  SELECT uid, unixepoch(), 'firing', finding_id, target, unit, target_kind, code, severity,
         fingerprint, position, message, remedy, cause, first_seen, subject, issuer, serial,
         not_after
  FROM finding_event_source WHERE finding_id = NEW.id;
END;

-- A message-only change ("expires in 6 days" -> "5 days") is not a transition.
CREATE TRIGGER findings_event_severity AFTER UPDATE OF severity ON findings
WHEN OLD.severity <> NEW.severity AND NEW.resolved_at IS NULL
BEGIN
  INSERT INTO events (uid, created_at, kind, finding_id, target, unit, target_kind, code,
                      severity, previous_severity, fingerprint, position, message, remedy, cause,
                      first_seen, subject, issuer, serial, not_after)
  SELECT uid, unixepoch(), 'severity_changed', finding_id, target, unit, target_kind, code,
         severity, OLD.severity, fingerprint, position, message, remedy, cause, first_seen,
         subject, issuer, serial, not_after
  FROM finding_event_source WHERE finding_id = NEW.id;
END;

CREATE TRIGGER findings_event_resolved AFTER UPDATE OF resolved_at ON findings
WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL
BEGIN
  INSERT INTO events (uid, created_at, kind, finding_id, target, unit, target_kind, code,
                      severity, fingerprint, position, message, remedy, cause, first_seen,
                      resolved_at, subject, issuer, serial, not_after)
  SELECT uid, unixepoch(), 'resolved', finding_id, target, unit, target_kind, code, severity,
         fingerprint, position, message, remedy, cause, first_seen, resolved_at, subject, issuer,
         serial, not_after
  FROM finding_event_source WHERE finding_id = NEW.id;
END;

-- A target that starts presenting a different certificate first (a renewal, or a surprise).
-- The recorder inserts the new observation before it ends the old one, so the old one is still
-- current here. A target that was gone and returns has no current one: no event.
-- The WHEN clause keeps a target's first observation (100,000 of them in a first scan) from
-- running the body's joins at all: only a leaf replacing a current one can be a change.
CREATE TRIGGER observations_event_changed AFTER INSERT ON observations
WHEN NEW.position = 0 AND EXISTS (SELECT 1 FROM observations o
                                  WHERE o.target_id = NEW.target_id AND o.position = 0
                                    AND o.ended_at IS NULL AND o.id <> NEW.id)
BEGIN
  INSERT INTO events (uid, created_at, kind, target, unit, target_kind, code, severity,
                      fingerprint, previous_fingerprint, position, message, remedy, first_seen,
                      subject, issuer, serial, not_after)
  SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4'
               || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1)
               || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
         unixepoch(), 'certificate_changed', t.name, u.name, t.kind,
         'certificate_changed', 'info', c.fingerprint, p.fingerprint, 0,
         'now presents ' || c.subject || ' (serial ' || c.serial || ', not after '
           || strftime('%Y-%m-%dT%H:%M:%SZ', c.not_after, 'unixepoch') || ') instead of '
           || p.subject || ' (serial ' || p.serial || ', not after '
           || strftime('%Y-%m-%dT%H:%M:%SZ', p.not_after, 'unixepoch') || ')',
         'nothing to do if this was a planned renewal; otherwise find out who replaced it',
         NEW.first_seen, c.subject, c.issuer, c.serial, c.not_after
  FROM targets t
  JOIN units u ON u.id = t.unit_id
  JOIN certificates c ON c.id = NEW.certificate_id
  JOIN observations o ON o.target_id = NEW.target_id AND o.position = 0 AND o.ended_at IS NULL
                         AND o.id <> NEW.id AND o.certificate_id <> NEW.certificate_id
  JOIN certificates p ON p.id = o.certificate_id
  WHERE t.id = NEW.target_id
  LIMIT 1;
END;
