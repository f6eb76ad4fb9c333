-- 0010_activity_exceptions.sql — single-occurrence changes of a series
-- (PRODUCT §10, FEEDS.md §3.4/§3.6): one row per changed or cancelled
-- occurrence, keyed by the occurrence's original local start day in the
-- event's zone (occ_date). NULL columns mean "as the series": a moved
-- timed occurrence has its own start_utc/end_utc, name and location
-- override the series' for that occurrence only.
--
-- All-day series: an occurrence can be cancelled or renamed but not
-- moved (the form answers 422); change the series instead. So there are
-- no date columns here.
--
-- When the series' start, all-day flag or repeat rule changes, its rows
-- no longer match any occurrence and are deleted in the same transaction
-- (model/activity.c). sequence starts at the series' SEQUENCE + 1 and
-- rises when the occurrence's times, location or cancelled flag change
-- (FEEDS §1). Every write raises the series' version and the event's
-- schedule revision.

CREATE TABLE activity_exceptions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  occ_date DATE NOT NULL,
  cancelled TINYINT(1) NOT NULL DEFAULT 0,
  start_utc DATETIME NULL,
  end_utc DATETIME NULL,
  name VARCHAR(800) NULL,
  location VARCHAR(800) NULL,
  sequence INT UNSIGNED NOT NULL DEFAULT 0,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  UNIQUE KEY activity_exceptions_occ (activity_id, occ_date),
  KEY activity_exceptions_event (event_id),
  KEY activity_exceptions_moved (activity_id, start_utc),
  CONSTRAINT activity_exceptions_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE,
  CONSTRAINT activity_exceptions_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
