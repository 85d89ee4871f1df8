-- SPDX-License-Identifier: Apache-2.0
-- 007_target_origins: where a target was found when certvigil's own config does not name it.
-- A `discover:` unit reads a web server's configuration; each target it finds carries the
-- file:line of the directive that names it and the source label ("discover:nginx"). Most
-- targets have none, so a side table rather than two columns on every row of `targets`.

CREATE TABLE target_origins (
  target_id INTEGER PRIMARY KEY REFERENCES targets (id) ON DELETE CASCADE,
  origin TEXT NOT NULL,  -- "/etc/nginx/sites-enabled/api:12"
  source TEXT NOT NULL   -- "discover:nginx"
);
