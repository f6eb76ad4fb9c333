-- 0009_schedule_revision.sql — an event's schedule revision (FEEDS.md
-- §1): every change to an event's activities raises it by one in the same
-- transaction, with the time of the change. schedule.xml publishes it as
-- <version>; feeds and exports use it for cheap change checks. A table of
-- its own so that activity writes (which hold the event row in share
-- mode) never need to upgrade that lock.

CREATE TABLE schedule_revisions (
  event_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  revision BIGINT UNSIGNED NOT NULL DEFAULT 0,
  changed_at DATETIME(3) NOT NULL,
  CONSTRAINT schedule_revisions_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO schedule_revisions (event_id, revision, changed_at)
SELECT e.id, (SELECT COUNT(*) FROM activities a WHERE a.event_id = e.id),
  COALESCE((SELECT MAX(a.updated_at) FROM activities a
    WHERE a.event_id = e.id), e.created_at)
FROM events e;
