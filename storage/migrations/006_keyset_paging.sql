-- SPDX-License-Identifier: Apache-2.0
-- 006_keyset_paging: indexes in the order the API lists rows, so that a page (first or deep,
-- after a cursor) walks an index from where it starts and stops after its `limit` rows,
-- instead of sorting every matching row (storage/history_reader.h).
--
-- /api/v1/targets: present first, by name, by id.
CREATE INDEX targets_listing ON targets ((gone_at IS NOT NULL), name);
-- /api/v1/certificates: soonest notAfter first (certificates_not_after), then by certificate,
-- target and position: the current observations of each certificate in that order.
CREATE INDEX observations_by_certificate ON observations (certificate_id, target_id, position)
  WHERE ended_at IS NULL;
