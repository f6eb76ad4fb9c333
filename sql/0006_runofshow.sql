-- 0006_runofshow.sql — an activity's run of show (PRODUCT §10): custom
-- columns and ordered segments with a value per column. Positions are
-- dense (0..n-1) per activity, kept so by the writes, which lock the
-- activity row first. A segment's start is never stored: it is the
-- activity's start plus the durations before it, computed when shown.
-- Every row names its event for tenant checks; deleting an activity
-- takes its run of show with it.

CREATE TABLE ros_columns (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(60) NOT NULL,
  width ENUM('narrow','medium','wide') NOT NULL DEFAULT 'medium',
  position INT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  KEY ros_columns_activity (activity_id, position),
  KEY ros_columns_event (event_id, activity_id, position),
  CONSTRAINT ros_columns_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ros_segments (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(200) NOT NULL,
  duration_min INT UNSIGNED NOT NULL,
  colour VARCHAR(16) NOT NULL,
  position INT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  KEY ros_segments_activity (activity_id, position),
  KEY ros_segments_event (event_id, activity_id, position),
  CONSTRAINT ros_segments_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE,
  CONSTRAINT ros_segments_duration CHECK (duration_min <= 1440)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One value per segment and column; an empty value is no row.
CREATE TABLE ros_values (
  segment_id BIGINT UNSIGNED NOT NULL,
  column_id BIGINT UNSIGNED NOT NULL,
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  value VARCHAR(500) NOT NULL,
  PRIMARY KEY (segment_id, column_id),
  KEY ros_values_column (column_id),
  KEY ros_values_event (event_id, activity_id),
  KEY ros_values_activity (activity_id),
  CONSTRAINT ros_values_segment FOREIGN KEY (segment_id)
    REFERENCES ros_segments (id) ON DELETE CASCADE,
  CONSTRAINT ros_values_column FOREIGN KEY (column_id)
    REFERENCES ros_columns (id) ON DELETE CASCADE,
  CONSTRAINT ros_values_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
