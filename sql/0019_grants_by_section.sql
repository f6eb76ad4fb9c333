-- 0019_grants_by_section.sql — the grants' key names the section before
-- the scope (issue 8). A roll-up reads one section of the user's grants
-- on each of an organization's events: with the section last, every
-- grant of the user on the event was read to find it (sixteen for a
-- producer), half of the statement's time. The same columns, so the same
-- rows are unique; a lookup by event and user is still a prefix.
ALTER TABLE grants
  DROP PRIMARY KEY,
  ADD PRIMARY KEY (event_id, user_id, section, domain, scope_id);
