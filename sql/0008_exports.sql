-- 0008_exports.sql — stable positive integer ids for schedule.xml and
-- schedule.json items (FEEDS.md §6.6). One row per exported guid,
-- never deleted, so an id never changes and is never reused. Created
-- only when missing: the feeds work may bring the same table.

CREATE TABLE IF NOT EXISTS export_id_map (
  guid BINARY(16) NOT NULL PRIMARY KEY,
  export_id INT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
