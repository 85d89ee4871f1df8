-- SPDX-License-Identifier: Apache-2.0
-- 011_lean_indexes: two indexes fewer to write for every new target and observation (a first
-- scan of 100,000 files writes 200,000 rows; each index costs about a tenth of the recording).
-- targets_name: a lookup by name walks the few units through the UNIQUE (unit_id, name) index
-- instead (storage/history_reader.cpp). observations_certificate: observations_by_certificate
-- covers all rows from now on, not only current ones, so it serves the certificates listing and
-- the child-key lookups of certificate pruning alike.
DROP INDEX targets_name;
DROP INDEX observations_certificate;
DROP INDEX observations_by_certificate;
CREATE INDEX observations_by_certificate
  ON observations (certificate_id, target_id, position, ended_at);
