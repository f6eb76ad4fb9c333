-- 0015_advtrack.sql — task tracking (PRODUCT §13.9): what advancing last
-- gave each generated task as due date, assignee (a user) and area tag.
-- A later change of the module's due date or reviewer, or of the
-- advance's area, reaches the tasks still carrying the old value, while
-- a due date, assignee or area somebody changed by hand stays theirs.
ALTER TABLE advance_tasks
  ADD COLUMN due_applied DATE NULL,
  ADD COLUMN assignee_applied BIGINT UNSIGNED NOT NULL DEFAULT 0,
  ADD COLUMN area_applied BIGINT UNSIGNED NOT NULL DEFAULT 0;
