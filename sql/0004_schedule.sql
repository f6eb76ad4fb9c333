-- 0004_schedule.sql — activities of an event's schedule, their area tags
-- and participants (PRODUCT §10). Timed activities keep UTC instants;
-- all-day ones keep inclusive local dates. A recurring activity is one
-- row whose occurrences are computed when shown, never stored.

CREATE TABLE activities (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('activity','time_frame') NOT NULL DEFAULT 'activity',
  name VARCHAR(800) NOT NULL,
  description MEDIUMTEXT NULL,
  all_day TINYINT(1) NOT NULL DEFAULT 0,
  start_utc DATETIME NULL,
  end_utc DATETIME NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  is_global TINYINT(1) NOT NULL DEFAULT 0,
  location VARCHAR(800) NULL,
  rec_freq ENUM('daily','weekly','monthly') NULL,
  rec_interval INT UNSIGNED NOT NULL DEFAULT 1,
  rec_weekdays INT UNSIGNED NOT NULL DEFAULT 0,
  rec_until DATE NULL,
  cancelled TINYINT(1) NOT NULL DEFAULT 0,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY activities_uuid (uuid),
  KEY activities_event (event_id),
  CONSTRAINT activities_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE activity_areas (
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  area_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (activity_id, area_id),
  KEY activity_areas_event (event_id),
  KEY activity_areas_area (area_id),
  CONSTRAINT activity_areas_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE,
  CONSTRAINT activity_areas_area FOREIGN KEY (area_id) REFERENCES areas (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A participant is a user (user_id) or a collaborator (collaborator_id).
CREATE TABLE activity_participants (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  activity_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  collaborator_id BIGINT UNSIGNED NULL,
  role ENUM('organizer','attendee') NOT NULL DEFAULT 'attendee',
  required TINYINT(1) NOT NULL DEFAULT 1,
  KEY activity_participants_activity (activity_id),
  KEY activity_participants_event (event_id),
  CONSTRAINT activity_participants_activity FOREIGN KEY (activity_id)
    REFERENCES activities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
