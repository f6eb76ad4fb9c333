-- 0003_events.sql — events, areas, collaborators and crew, the people on
-- an event, their seats and grants, and event invitations (PRODUCT §4–§8).

CREATE TABLE events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  org_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  code VARCHAR(32) NOT NULL,
  timezone VARCHAR(64) NOT NULL,
  start_date DATE NOT NULL,
  end_date DATE NOT NULL,
  venue_name VARCHAR(800) NULL,
  venue_address VARCHAR(2000) NULL,
  description MEDIUMTEXT NULL,
  pool_id BIGINT UNSIGNED NOT NULL,
  status ENUM('active','archived') NOT NULL DEFAULT 'active',
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY events_uuid (uuid),
  UNIQUE KEY events_code (org_id, code),
  KEY events_org (org_id, status),
  CONSTRAINT events_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT events_pool FOREIGN KEY (pool_id) REFERENCES license_pools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE areas (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(480) NOT NULL,
  name_norm VARCHAR(480) NOT NULL,
  description TEXT NULL,
  colour VARCHAR(20) NOT NULL DEFAULT 'slate',
  position INT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY areas_uuid (uuid),
  UNIQUE KEY areas_name (event_id, name_norm),
  CONSTRAINT areas_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE collaborators (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(800) NOT NULL,
  name_norm VARCHAR(800) NOT NULL,
  description MEDIUMTEXT NULL,
  email VARCHAR(254) NULL,
  phone VARCHAR(40) NULL,
  website VARCHAR(2000) NULL,
  colour VARCHAR(20) NOT NULL DEFAULT 'slate',
  is_host TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY collaborators_uuid (uuid),
  UNIQUE KEY collaborators_name (event_id, name_norm(191)),
  CONSTRAINT collaborators_event FOREIGN KEY (event_id)
    REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Crew records: people of a collaborator. A record gives no access by
-- itself; user_id links it to an account on the event.
CREATE TABLE crew (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  collaborator_id BIGINT UNSIGNED NOT NULL,
  first_name VARCHAR(400) NOT NULL,
  last_name VARCHAR(400) NULL,
  title VARCHAR(800) NULL,
  role_on_show VARCHAR(800) NULL,
  email VARCHAR(254) NULL,
  email_norm VARCHAR(254) NULL,
  phone VARCHAR(40) NULL,
  point_of_contact TINYINT(1) NOT NULL DEFAULT 0,
  user_id BIGINT UNSIGNED NULL,
  notes TEXT NULL,
  created_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY crew_email (collaborator_id, email_norm),
  UNIQUE KEY crew_user (event_id, user_id),
  KEY crew_collaborator (collaborator_id),
  CONSTRAINT crew_collaborator FOREIGN KEY (collaborator_id)
    REFERENCES collaborators (id),
  CONSTRAINT crew_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- People on an event: each belongs to exactly one collaborator there.
CREATE TABLE event_users (
  event_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  collaborator_id BIGINT UNSIGNED NOT NULL,
  added_by BIGINT UNSIGNED NULL,
  joined_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (event_id, user_id),
  KEY event_users_user (user_id),
  KEY event_users_collaborator (collaborator_id),
  CONSTRAINT event_users_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT event_users_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT event_users_collaborator FOREIGN KEY (collaborator_id)
    REFERENCES collaborators (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Event Pro seats: (pool, event, holder). The holder is a user or a
-- pending event invitation. Per event, seats ≤ the pool's quantity.
CREATE TABLE event_seats (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  pool_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  invitation_id BIGINT UNSIGNED NULL,
  assigned_by BIGINT UNSIGNED NULL,
  assigned_at DATETIME(3) NOT NULL,
  UNIQUE KEY event_seats_user (event_id, user_id),
  UNIQUE KEY event_seats_invitation (invitation_id),
  KEY event_seats_pool (pool_id, event_id),
  CONSTRAINT event_seats_event FOREIGN KEY (event_id) REFERENCES events (id),
  CONSTRAINT event_seats_pool FOREIGN KEY (pool_id)
    REFERENCES license_pools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Grants: one section at one level in one scope for one event user.
-- scope_id is 0 for the Event domain, else the collaborator or area id.
CREATE TABLE grants (
  event_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  domain ENUM('event','collaborator','area') NOT NULL,
  scope_id BIGINT UNSIGNED NOT NULL,
  section ENUM('settings','users','schedule','tasks','files','documents',
    'advancing','crew') NOT NULL,
  level TINYINT UNSIGNED NOT NULL,
  preset VARCHAR(40) NULL,
  granted_by BIGINT UNSIGNED NULL,
  granted_at DATETIME(3) NOT NULL,
  PRIMARY KEY (event_id, user_id, domain, scope_id, section),
  KEY grants_scope (event_id, domain, scope_id),
  CONSTRAINT grants_event FOREIGN KEY (event_id) REFERENCES events (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Invitations of new email addresses onto an event, holding the grants
-- to apply (JSON of [domain, scope_id, section, level]) and, through
-- event_seats.invitation_id, an optional seat reservation.
CREATE TABLE event_invitations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id BIGINT UNSIGNED NOT NULL,
  collaborator_id BIGINT UNSIGNED NOT NULL,
  crew_id BIGINT UNSIGNED NULL,
  email VARCHAR(254) NOT NULL,
  email_norm VARCHAR(254) NOT NULL,
  grants_json TEXT NOT NULL,
  preset VARCHAR(40) NULL,
  inviter_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  status ENUM('pending','accepted','revoked','expired') NOT NULL
    DEFAULT 'pending',
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  accepted_at DATETIME(3) NULL,
  accepted_user_id BIGINT UNSIGNED NULL,
  UNIQUE KEY event_invitations_token (token_hash),
  KEY event_invitations_event (event_id, status),
  KEY event_invitations_email (email_norm, status),
  CONSTRAINT event_invitations_event FOREIGN KEY (event_id)
    REFERENCES events (id),
  CONSTRAINT event_invitations_collaborator FOREIGN KEY (collaborator_id)
    REFERENCES collaborators (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
