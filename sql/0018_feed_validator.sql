-- 0018_feed_validator.sql — a feed answers "not modified" without being
-- made again (FEEDS.md §4, issue 8). Each feed token remembers the ETag
-- and Last-Modified of the body it last sent and the key they were made
-- under: the scope's last change (the newest audit entry of the event,
-- of the organization itself, or of the whole organization for roll-up
-- feeds), the owner's account state, the day and the window. A request
-- whose key is unchanged and whose validator matches gets its 304 from
-- the token row alone.
ALTER TABLE feed_token
  ADD COLUMN cache_key CHAR(32) NULL,
  ADD COLUMN cache_etag CHAR(32) NULL,
  ADD COLUMN cache_modified BIGINT NULL;
-- Every write is audited in its own transaction (RELIABILITY.md), so the
-- newest entry of a scope is its last change; these find it in one step.
ALTER TABLE audit_log
  ADD KEY audit_org_event_id (org_id, event_id, id),
  ADD KEY audit_org_id (org_id, id);
