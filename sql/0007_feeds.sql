-- 0007_feeds.sql — calendar feed tokens (FEEDS.md §5.2) and the per-row
-- SEQUENCE of activities (FEEDS.md §1).
--
-- A feed token is stored only as its keyed hash; the 11-character hint
-- ("bofeed_Ab3d") is what the account page and the logs show. At most one
-- active token per owner and scope: active_key is 1 while the row is live
-- and NULL once revoked, so the unique key ignores revoked rows.

CREATE TABLE feed_token (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  owner_user_id BIGINT UNSIGNED NOT NULL,
  scope_kind ENUM('personal','event','area','collaborator','org_schedule',
    'org_tasks') NOT NULL,
  scope_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  token_hint CHAR(11) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  last_used_at DATETIME(3) NULL,
  last_used_ip VARBINARY(16) NULL,
  revoked_at DATETIME(3) NULL,
  revoke_reason ENUM('user','reset_all','access_lost','admin') NULL,
  truncated TINYINT(1) NOT NULL DEFAULT 0,
  active_key TINYINT AS (IF(revoked_at IS NULL, 1, NULL)) PERSISTENT,
  UNIQUE KEY feed_token_hash (token_hash),
  UNIQUE KEY one_active_per_scope (owner_user_id, scope_kind, scope_id,
    active_key),
  CONSTRAINT feed_token_owner FOREIGN KEY (owner_user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- SEQUENCE (RFC 5545 §3.8.7.4, FEEDS.md §1): raised by 1, in the same
-- UPDATE, when start, end, the all-day flag, recurrence, exact location,
-- the cancelled flag or the area tags change; not by name, description or
-- participant edits (model/activity.c). Kept in the application, not in
-- triggers: creating triggers needs SUPER while binary logging is on.
ALTER TABLE activities
  ADD COLUMN sequence INT UNSIGNED NOT NULL DEFAULT 0;
