-- SPDX-License-Identifier: Apache-2.0
-- 005_scan_runs: history that grows with change, not with time. A row of `scans` stops being
-- one scan and becomes a run of consecutive scans of one unit that found the same thing: the
-- same outcome, the same numbers of targets and findings, and nothing written to the targets,
-- observations, findings or endpoint facts of the unit. The first scan of a run inserts the row
-- (started_at: when that scan started); each further scan of the run updates it in place
-- (last_started_at, duration_seconds of the newest scan, scan_count). So 2,000 endpoints
-- scanned hourly for the 30-day retention keep about 2,000 rows instead of 1.4 million, and the
-- table grows only when something happens. A daemon start begins a new run of every unit,
-- which keeps restarts visible in the history.
--
-- Existing rows are runs of one scan each.

ALTER TABLE scans ADD COLUMN last_started_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE scans ADD COLUMN scan_count INTEGER NOT NULL DEFAULT 1;
UPDATE scans SET last_started_at = started_at;
-- Pruning deletes runs whose newest scan is older than the retention.
CREATE INDEX scans_last_started_at ON scans (last_started_at);
