-- 0018_feed_validator.sql — a feed answers "not modified" without being
-- made again (FEEDS.md §4, issue 8). Each feed token remembers the ETag
-- and Last-Modified of the body it last sent and the key they were made
-- under: the scope's last change (the newest audit entry of the event
-- and of its organization's own, or of the whole organization for
-- roll-up feeds), the owner's account state, the build, the day and the
-- window. A poll whose key is unchanged and whose validator matches gets
-- its 304 from the token row and three single-step index lookups.
ALTER TABLE feed_token
  ADD COLUMN scope_event_id BIGINT UNSIGNED NULL,
  ADD COLUMN scope_org_id BIGINT UNSIGNED NULL,
  ADD COLUMN cache_key CHAR(32) NULL,
  ADD COLUMN cache_etag CHAR(32) NULL,
  ADD COLUMN cache_modified BIGINT NULL;
-- The scope's event and organization never change for a token (an area
-- or collaborator stays in its event, an event in its organization).
UPDATE feed_token f
  LEFT JOIN areas ar ON f.scope_kind = 'area' AND ar.id = f.scope_id
  LEFT JOIN collaborators c ON f.scope_kind = 'collaborator'
    AND c.id = f.scope_id
  LEFT JOIN events e ON e.id = CASE f.scope_kind
    WHEN 'area' THEN ar.event_id WHEN 'collaborator' THEN c.event_id
    WHEN 'event' THEN f.scope_id WHEN 'personal' THEN f.scope_id END
  SET f.scope_event_id = e.id,
      f.scope_org_id = IF(f.scope_kind IN ('org_schedule', 'org_tasks'),
        f.scope_id, e.org_id);
-- Every write is audited in its own transaction (RELIABILITY.md), so the
-- newest entry of a scope is its last change; these find it in one step.
ALTER TABLE audit_log
  ADD KEY audit_org_event_id (org_id, event_id, id),
  ADD KEY audit_org_id (org_id, id);
