-- 0017_task_rollup.sql — the organization task roll-up (PRODUCT §15) pages
-- in SQL: a page reads its rows from one index in roll-up order instead
-- of sorting every task of the organization.
--
-- tasks.org_id is the organization of the task's event, copied so that
-- one index can span the organization's events. The composite foreign
-- key keeps the copy right: a task naming another organization than its
-- event's is refused, and an event's organization would carry over to
-- its tasks (ON UPDATE CASCADE). No default: every INSERT names it (the
-- app reads it from events in the same statement).
--
-- The order is due (empty last), due time (a date alone sorts as the end
-- of its day), event, position, id; due_null and due_time_key are that
-- order's keys, kept by the server (RTRIM: MariaDB refuses a CHAR column
-- read as it is in a generated column, its value depending on sql_mode).
-- status_id rides along in the index so that the capped count of a
-- page's total reads the index alone.
--
-- The statements are written to apply once, in order (migrate.c).
ALTER TABLE events ADD UNIQUE KEY events_id_org (id, org_id);

ALTER TABLE tasks ADD COLUMN org_id BIGINT UNSIGNED NULL AFTER event_id;

UPDATE tasks t JOIN events e ON e.id = t.event_id SET t.org_id = e.org_id;

ALTER TABLE tasks
  MODIFY org_id BIGINT UNSIGNED NOT NULL,
  ADD COLUMN due_null TINYINT AS (due_date IS NULL) PERSISTENT,
  ADD COLUMN due_time_key CHAR(5) AS
    (IF(due_date IS NULL, NULL, COALESCE(RTRIM(due_time), '24:00')))
    PERSISTENT,
  ADD KEY tasks_event_org (event_id, org_id),
  ADD KEY tasks_rollup (org_id, due_null, due_date, due_time_key, event_id,
    position, id, status_id),
  ADD CONSTRAINT tasks_event_org FOREIGN KEY (event_id, org_id)
    REFERENCES events (id, org_id) ON UPDATE CASCADE;

-- A user who sees only parts of the events has their tasks found from the
-- people side: by user and by collaborator (area tags have the index of
-- their foreign key).
ALTER TABLE task_people
  ADD KEY task_people_user (user_id),
  ADD KEY task_people_collab (collaborator_id);
