-- 0011_advancing.sql — advancing (PRODUCT §13): asset types, module
-- categories and templates with their blocks, advance templates,
-- advances and their modules, answers with history, request line items
-- with two approvals, file answers, the task-tracking map and links,
-- and the reminder ledger.
--
-- Everything belongs to one event (event_id on every row, so a foreign
-- tenant's id never resolves). Contested rows carry a version (§13.8).
-- Response types are the strings of PRODUCT §13.2: text, longtext,
-- number, date, datetime, checkbox, select, multiselect, email, phone,
-- url, file. Select options are a JSON array
-- [{"key":"o1","label":"Red","retired":false}, …] with stable keys.

-- §13.1 Asset types: properties of the type itself have sub_id NULL;
-- a sub-asset (a repeatable group, e.g. "Laborer") has its own rows.
CREATE TABLE asset_types (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  label VARCHAR(800) NOT NULL,
  icon VARCHAR(32) NOT NULL DEFAULT '',
  category VARCHAR(800) NOT NULL DEFAULT '',
  item_label VARCHAR(800) NOT NULL DEFAULT 'Item',
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY asset_types_name (event_id, name(191)),
  CONSTRAINT asset_types_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE asset_subs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  asset_type_id BIGINT UNSIGNED NOT NULL,
  skey VARCHAR(64) NOT NULL,
  label VARCHAR(800) NOT NULL,
  position INT NOT NULL DEFAULT 0,
  retired TINYINT(1) NOT NULL DEFAULT 0,
  UNIQUE KEY asset_subs_key (asset_type_id, skey),
  CONSTRAINT asset_subs_type FOREIGN KEY (asset_type_id)
    REFERENCES asset_types (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE asset_props (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  asset_type_id BIGINT UNSIGNED NOT NULL,
  sub_id BIGINT UNSIGNED NULL,
  pkey VARCHAR(64) NOT NULL,
  label VARCHAR(800) NOT NULL,
  rtype VARCHAR(16) NOT NULL,
  options TEXT NULL,
  required TINYINT(1) NOT NULL DEFAULT 0,
  position INT NOT NULL DEFAULT 0,
  retired TINYINT(1) NOT NULL DEFAULT 0,
  KEY asset_props_type (asset_type_id, sub_id, position),
  CONSTRAINT asset_props_type_fk FOREIGN KEY (asset_type_id)
    REFERENCES asset_types (id) ON DELETE CASCADE,
  CONSTRAINT asset_props_sub FOREIGN KEY (sub_id)
    REFERENCES asset_subs (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.2 Module categories and templates.
CREATE TABLE module_categories (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  icon VARCHAR(32) NOT NULL DEFAULT '',
  position INT NOT NULL DEFAULT 0,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY module_categories_name (event_id, name(191)),
  CONSTRAINT module_categories_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE module_templates (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  label VARCHAR(800) NOT NULL,
  icon VARCHAR(32) NOT NULL DEFAULT '',
  category_id BIGINT UNSIGNED NOT NULL,
  note MEDIUMTEXT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY module_templates_name (event_id, name(191)),
  CONSTRAINT module_templates_event FOREIGN KEY (event_id)
    REFERENCES events (id),
  CONSTRAINT module_templates_category FOREIGN KEY (category_id)
    REFERENCES module_categories (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A block: kind decides which columns mean something.
--   content:  body (Markdown)
--   question: label, prompt (Markdown), help, rtype, required, options,
--             num_min/num_max/num_whole
--   request:  label (the block's name), item_label, asset_type_id,
--             needs_op, needs_res, procurement, max_items
-- retired: answered somewhere, so hidden from respondents instead of
-- deleted (kept for staff, out of completion).
CREATE TABLE module_blocks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  template_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL DEFAULT 0,
  kind ENUM('content','question','request') NOT NULL,
  body MEDIUMTEXT NULL,
  label VARCHAR(800) NULL,
  prompt MEDIUMTEXT NULL,
  help MEDIUMTEXT NULL,
  rtype VARCHAR(16) NULL,
  required TINYINT(1) NOT NULL DEFAULT 0,
  options TEXT NULL,
  num_min VARCHAR(40) NULL,
  num_max VARCHAR(40) NULL,
  num_whole TINYINT(1) NOT NULL DEFAULT 0,
  item_label VARCHAR(800) NULL,
  asset_type_id BIGINT UNSIGNED NULL,
  needs_op TINYINT(1) NOT NULL DEFAULT 0,
  needs_res TINYINT(1) NOT NULL DEFAULT 0,
  procurement TINYINT(1) NOT NULL DEFAULT 0,
  max_items INT NULL,
  retired TINYINT(1) NOT NULL DEFAULT 0,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  KEY module_blocks_template (template_id, position),
  KEY module_blocks_event (event_id),
  CONSTRAINT module_blocks_template_fk FOREIGN KEY (template_id)
    REFERENCES module_templates (id),
  CONSTRAINT module_blocks_asset FOREIGN KEY (asset_type_id)
    REFERENCES asset_types (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.3 Advance templates: a starting point, copied into advances.
-- due_kind none | fixed (due_date) | before (due_days before the event
-- start).
CREATE TABLE advance_templates (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY advance_templates_name (event_id, name(191)),
  CONSTRAINT advance_templates_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE advance_template_modules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_template_id BIGINT UNSIGNED NOT NULL,
  module_template_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL DEFAULT 0,
  due_kind ENUM('none','fixed','before') NOT NULL DEFAULT 'none',
  due_date DATE NULL,
  due_days INT NULL,
  required TINYINT(1) NOT NULL DEFAULT 1,
  tracked TINYINT(1) NOT NULL DEFAULT 0,
  submission TINYINT(1) NOT NULL DEFAULT 0,
  reviewer_user_id BIGINT UNSIGNED NULL,
  UNIQUE KEY advance_template_modules_once (advance_template_id,
    module_template_id),
  CONSTRAINT advance_template_modules_tpl FOREIGN KEY (advance_template_id)
    REFERENCES advance_templates (id) ON DELETE CASCADE,
  CONSTRAINT advance_template_modules_mod FOREIGN KEY (module_template_id)
    REFERENCES module_templates (id),
  CONSTRAINT advance_template_modules_reviewer FOREIGN KEY
    (reviewer_user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.4 Advances and their modules.
CREATE TABLE advances (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  collaborator_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  name_norm VARCHAR(800) NOT NULL,
  advance_template_id BIGINT UNSIGNED NULL,
  area_id BIGINT UNSIGNED NULL,
  activity_id BIGINT UNSIGNED NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY advances_uuid (uuid),
  UNIQUE KEY advances_name (collaborator_id, name_norm(191)),
  KEY advances_event (event_id),
  KEY advances_area (area_id),
  KEY advances_activity (activity_id),
  CONSTRAINT advances_event_fk FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT advances_collab FOREIGN KEY (collaborator_id)
    REFERENCES collaborators (id),
  CONSTRAINT advances_template FOREIGN KEY (advance_template_id)
    REFERENCES advance_templates (id) ON DELETE SET NULL,
  CONSTRAINT advances_area_fk FOREIGN KEY (area_id) REFERENCES areas (id),
  CONSTRAINT advances_activity_fk FOREIGN KEY (activity_id)
    REFERENCES activities (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE advance_modules (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_id BIGINT UNSIGNED NOT NULL,
  module_template_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL DEFAULT 0,
  due_date DATE NULL,
  required TINYINT(1) NOT NULL DEFAULT 1,
  tracked TINYINT(1) NOT NULL DEFAULT 0,
  submission TINYINT(1) NOT NULL DEFAULT 0,
  reviewer_user_id BIGINT UNSIGNED NULL,
  state ENUM('open','submitted') NOT NULL DEFAULT 'open',
  submitted_by BIGINT UNSIGNED NULL,
  submitted_at DATETIME(3) NULL,
  reopen_reason VARCHAR(2000) NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY advance_modules_once (advance_id, module_template_id),
  KEY advance_modules_event (event_id, module_template_id),
  CONSTRAINT advance_modules_advance FOREIGN KEY (advance_id)
    REFERENCES advances (id) ON DELETE CASCADE,
  CONSTRAINT advance_modules_template FOREIGN KEY (module_template_id)
    REFERENCES module_templates (id),
  CONSTRAINT advance_modules_reviewer FOREIGN KEY (reviewer_user_id)
    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.5/§13.6 One answer per question block per module. value is the
-- canonical text of the response type (number: canonical decimal;
-- datetime: UTC "YYYY-MM-DD HH:MM:SS"; checkbox: "true"/"false";
-- multiselect: keys joined by ","; file: answer_files ids joined by
-- ","). A cleared answer has no row. review: needs_review | reviewed.
CREATE TABLE answers (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_module_id BIGINT UNSIGNED NOT NULL,
  block_id BIGINT UNSIGNED NOT NULL,
  value MEDIUMTEXT NOT NULL,
  review ENUM('needs_review','reviewed') NOT NULL DEFAULT 'needs_review',
  reviewed_by BIGINT UNSIGNED NULL,
  reviewed_at DATETIME(3) NULL,
  updated_by BIGINT UNSIGNED NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY answers_once (advance_module_id, block_id),
  KEY answers_block (block_id),
  KEY answers_event (event_id),
  CONSTRAINT answers_module FOREIGN KEY (advance_module_id)
    REFERENCES advance_modules (id) ON DELETE CASCADE,
  CONSTRAINT answers_block_fk FOREIGN KEY (block_id)
    REFERENCES module_blocks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every saved value, including clears (value NULL), so a re-review can
-- show what changed since the last review.
CREATE TABLE answer_history (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_module_id BIGINT UNSIGNED NOT NULL,
  block_id BIGINT UNSIGNED NOT NULL,
  value MEDIUMTEXT NULL,
  version INT UNSIGNED NOT NULL,
  changed_by BIGINT UNSIGNED NOT NULL,
  changed_at DATETIME(3) NOT NULL,
  KEY answer_history_answer (advance_module_id, block_id, id),
  CONSTRAINT answer_history_module FOREIGN KEY (advance_module_id)
    REFERENCES advance_modules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.7 Request line items. With an asset type, props holds
-- {"props": {"<pkey>": value, …}, "subs": {"<skey>": [{"<pkey>": …}]}};
-- without one, description/quantity/notes.
CREATE TABLE line_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_module_id BIGINT UNSIGNED NOT NULL,
  block_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL DEFAULT 0,
  description VARCHAR(2000) NULL,
  quantity INT NOT NULL DEFAULT 1,
  notes MEDIUMTEXT NULL,
  props MEDIUMTEXT NULL,
  review ENUM('needs_review','reviewed') NOT NULL DEFAULT 'needs_review',
  reviewed_by BIGINT UNSIGNED NULL,
  reviewed_at DATETIME(3) NULL,
  op_state ENUM('pending','approved','declined') NOT NULL DEFAULT 'pending',
  op_by BIGINT UNSIGNED NULL,
  op_at DATETIME(3) NULL,
  op_reason VARCHAR(2000) NULL,
  res_state ENUM('pending','approved','declined') NOT NULL DEFAULT 'pending',
  res_by BIGINT UNSIGNED NULL,
  res_at DATETIME(3) NULL,
  res_reason VARCHAR(2000) NULL,
  procurement_linked TINYINT(1) NOT NULL DEFAULT 0,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_by BIGINT UNSIGNED NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  KEY line_items_block (advance_module_id, block_id, position),
  KEY line_items_event (event_id, block_id),
  CONSTRAINT line_items_module FOREIGN KEY (advance_module_id)
    REFERENCES advance_modules (id) ON DELETE CASCADE,
  CONSTRAINT line_items_block_fk FOREIGN KEY (block_id)
    REFERENCES module_blocks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- File answers: the bytes live here (files are small and must roll back
-- with the answer that names them). ctype is detected from the content.
CREATE TABLE answer_files (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  advance_module_id BIGINT UNSIGNED NOT NULL,
  block_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  ctype VARCHAR(100) NOT NULL,
  size INT UNSIGNED NOT NULL,
  data LONGBLOB NOT NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  KEY answer_files_module (advance_module_id, block_id),
  CONSTRAINT answer_files_module_fk FOREIGN KEY (advance_module_id)
    REFERENCES advance_modules (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.9 The event's mapping of advancing states to its task statuses
-- (seeded when an event has none: the first status of each state).
CREATE TABLE advance_task_map (
  event_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  not_started_status_id BIGINT UNSIGNED NOT NULL,
  needs_review_status_id BIGINT UNSIGNED NOT NULL,
  done_status_id BIGINT UNSIGNED NOT NULL,
  archived_status_id BIGINT UNSIGNED NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  CONSTRAINT advance_task_map_event FOREIGN KEY (event_id)
    REFERENCES events (id),
  CONSTRAINT advance_task_map_ns FOREIGN KEY (not_started_status_id)
    REFERENCES task_statuses (id),
  CONSTRAINT advance_task_map_nr FOREIGN KEY (needs_review_status_id)
    REFERENCES task_statuses (id),
  CONSTRAINT advance_task_map_done FOREIGN KEY (done_status_id)
    REFERENCES task_statuses (id),
  CONSTRAINT advance_task_map_arch FOREIGN KEY (archived_status_id)
    REFERENCES task_statuses (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which advancing node a generated task stands for. kind: advance
-- (module, block, item NULL), module, block, item. The unique key makes
-- "turn tracking on again" reuse the tree instead of duplicating it.
CREATE TABLE advance_tasks (
  task_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  kind ENUM('advance','module','block','item') NOT NULL,
  advance_id BIGINT UNSIGNED NOT NULL,
  advance_module_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  block_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  line_item_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  UNIQUE KEY advance_tasks_node (advance_id, advance_module_id, block_id,
    line_item_id),
  KEY advance_tasks_event (event_id),
  CONSTRAINT advance_tasks_task FOREIGN KEY (task_id) REFERENCES tasks (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- §13.11 Reminder offsets per event (days; positive before the due
-- date, negative after) and the ledger that keeps `backopsd jobs`
-- idempotent: one row per respondent, event and local day sent.
ALTER TABLE events
  ADD COLUMN reminder_offsets VARCHAR(40) NOT NULL DEFAULT '7,1,-1';

CREATE TABLE advance_reminders (
  event_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  day DATE NOT NULL,
  outbox_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (event_id, user_id, day),
  CONSTRAINT advance_reminders_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
