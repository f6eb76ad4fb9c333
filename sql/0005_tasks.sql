-- 0005_tasks.sql — project management (PRODUCT §9): an event's task
-- statuses (each in one of five fixed states), phases, tasks with their
-- area tags, assignees and reviewers, and dependencies. Start and due are
-- local dates with optional local times in the event's zone.

CREATE TABLE task_statuses (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(240) NOT NULL,
  name_norm VARCHAR(240) NOT NULL,
  colour VARCHAR(20) NOT NULL DEFAULT 'slate',
  state ENUM('todo','active','review','done','archived') NOT NULL,
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY task_statuses_name (event_id, name_norm),
  CONSTRAINT task_statuses_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_phases (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(400) NOT NULL,
  name_norm VARCHAR(400) NOT NULL,
  start_date DATE NULL,
  end_date DATE NULL,
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  UNIQUE KEY task_phases_name (event_id, name_norm),
  CONSTRAINT task_phases_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tasks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  parent_id BIGINT UNSIGNED NULL,
  name VARCHAR(1200) NOT NULL,
  description MEDIUMTEXT NULL,
  status_id BIGINT UNSIGNED NOT NULL,
  priority ENUM('none','low','medium','high','urgent') NOT NULL DEFAULT 'none',
  phase_id BIGINT UNSIGNED NULL,
  start_date DATE NULL,
  start_time CHAR(5) NULL,
  due_date DATE NULL,
  due_time CHAR(5) NULL,
  position INT NOT NULL DEFAULT 0,
  source ENUM('manual','advancing') NOT NULL DEFAULT 'manual',
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY tasks_uuid (uuid),
  KEY tasks_event (event_id, parent_id, position),
  KEY tasks_status (status_id),
  KEY tasks_phase (phase_id),
  CONSTRAINT tasks_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT tasks_parent FOREIGN KEY (parent_id) REFERENCES tasks (id),
  CONSTRAINT tasks_status FOREIGN KEY (status_id)
    REFERENCES task_statuses (id),
  CONSTRAINT tasks_phase FOREIGN KEY (phase_id) REFERENCES task_phases (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_areas (
  task_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  area_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (task_id, area_id),
  KEY task_areas_event (event_id),
  CONSTRAINT task_areas_task FOREIGN KEY (task_id) REFERENCES tasks (id)
    ON DELETE CASCADE,
  CONSTRAINT task_areas_area FOREIGN KEY (area_id) REFERENCES areas (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Assignees are users or collaborators; reviewers are users.
CREATE TABLE task_people (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  task_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  role ENUM('assignee','reviewer') NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  collaborator_id BIGINT UNSIGNED NULL,
  KEY task_people_task (task_id),
  KEY task_people_event (event_id),
  CONSTRAINT task_people_task FOREIGN KEY (task_id) REFERENCES tasks (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE task_deps (
  task_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  depends_on_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (task_id, depends_on_id),
  KEY task_deps_event (event_id),
  KEY task_deps_on (depends_on_id),
  CONSTRAINT task_deps_task FOREIGN KEY (task_id) REFERENCES tasks (id)
    ON DELETE CASCADE,
  CONSTRAINT task_deps_on FOREIGN KEY (depends_on_id) REFERENCES tasks (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every existing event gets the default statuses and phases new events
-- get (app/model/taskconf.c keeps the same lists).
INSERT INTO task_statuses (event_id, name, name_norm, colour, state,
  position, created_at)
SELECT e.id, s.name, LOWER(s.name), s.colour, s.state, s.position,
  UTC_TIMESTAMP(3)
FROM events e CROSS JOIN (
  SELECT 'To Do' AS name, 'slate' AS colour, 'todo' AS state, 0 AS position
  UNION ALL SELECT 'In Progress', 'blue', 'active', 1
  UNION ALL SELECT 'In Review', 'amber', 'review', 2
  UNION ALL SELECT 'Done', 'green', 'done', 3
  UNION ALL SELECT 'Archived', 'slate', 'archived', 4) s;

INSERT INTO task_phases (event_id, name, name_norm, position, created_at)
SELECT e.id, p.name, LOWER(p.name), p.position, UTC_TIMESTAMP(3)
FROM events e CROSS JOIN (
  SELECT 'Pre-event' AS name, 0 AS position
  UNION ALL SELECT 'Load-in', 1
  UNION ALL SELECT 'Show', 2
  UNION ALL SELECT 'Load-out', 3
  UNION ALL SELECT 'Post-event', 4) p;
