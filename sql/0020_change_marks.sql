-- 0020_change_marks.sql — a change counter per event and per
-- organization (event_id 0: the organization's own entries), raised by
-- every audited write once it has committed (model/audit.c); a missing
-- row counts 0. A feed's validator sums the counters of its scope. It
-- used to take the newest audit id, which is handed out at insert: a
-- write that committed after a later one hid behind it, and a poll in
-- between kept its stale body under a key that still matched. A raise
-- comes after its data, so a poll that has seen it also sees the data.
CREATE TABLE change_marks (
  org_id   BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  gen      BIGINT UNSIGNED NOT NULL DEFAULT 0,
  PRIMARY KEY (org_id, event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- 0018's keys served only the validator's newest-id lookups.
ALTER TABLE audit_log
  DROP KEY audit_org_event_id,
  DROP KEY audit_org_id;
