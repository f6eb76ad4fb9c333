-- 0001_init.sql — accounts, personal workspaces, sessions, tokens, mail,
-- throttling and the audit log. All times are UTC (DATETIME(3)).

CREATE TABLE users (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  email VARCHAR(254) NOT NULL,
  email_norm VARCHAR(254) NOT NULL,
  name VARCHAR(400) NOT NULL,
  password_hash VARCHAR(128) NOT NULL,
  pepper_id TINYINT UNSIGNED NOT NULL DEFAULT 0,
  email_verified_at DATETIME(3) NULL,
  timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  hour12 TINYINT(1) NOT NULL DEFAULT 0,
  status ENUM('active','disabled') NOT NULL DEFAULT 'active',
  must_change_password TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  last_sign_in_at DATETIME(3) NULL,
  password_changed_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY users_uuid (uuid),
  UNIQUE KEY users_email (email_norm)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Organizations: the personal workspace of each account (kind personal,
-- personal_user_id set and unique) and, later, team organizations.
CREATE TABLE orgs (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  uuid CHAR(36) NOT NULL,
  name VARCHAR(480) NOT NULL,
  kind ENUM('personal','team') NOT NULL,
  personal_user_id BIGINT UNSIGNED NULL,
  timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  members_can_create_events TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY orgs_uuid (uuid),
  UNIQUE KEY orgs_personal (personal_user_id),
  CONSTRAINT orgs_personal_user FOREIGN KEY (personal_user_id)
    REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Server-side sessions (DESIGN §8): only a keyed hash of the cookie value
-- is stored. user_id is NULL for the short pre-login session that carries
-- the CSRF token of the sign-in and sign-up forms.
CREATE TABLE sessions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  user_id BIGINT UNSIGNED NULL,
  csrf_secret CHAR(43) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  last_seen_at DATETIME(3) NOT NULL,
  authed_at DATETIME(3) NULL,
  client VARCHAR(200) NOT NULL DEFAULT '',
  ip VARCHAR(45) NOT NULL DEFAULT '',
  current_org_id BIGINT UNSIGNED NULL,
  flash VARCHAR(1000) NULL,
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_user (user_id),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Failed sign-ins per account, for the per-account throttle (AUTH-4).
CREATE TABLE login_failures (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  at DATETIME(3) NOT NULL,
  KEY login_failures_user (user_id, at),
  CONSTRAINT login_failures_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Single-use links sent by mail: email verification and password reset.
CREATE TABLE email_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind ENUM('verify','reset') NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  email VARCHAR(254) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  used_at DATETIME(3) NULL,
  UNIQUE KEY email_tokens_hash (token_hash),
  KEY email_tokens_user (user_id, kind),
  CONSTRAINT email_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Personal access tokens for /api/v1 (PRODUCT §19).
CREATE TABLE api_tokens (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(400) NOT NULL,
  token_hash BINARY(32) NOT NULL,
  hint VARCHAR(20) NOT NULL,
  scope ENUM('read','read-write') NOT NULL,
  org_id BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NULL,
  last_used_at DATETIME(3) NULL,
  last_used_ip VARCHAR(45) NULL,
  revoked_at DATETIME(3) NULL,
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Outgoing mail, delivered by `backopsd outbox` (retries with growing
-- delays for 24 hours, then failed).
CREATE TABLE outbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  to_addr VARCHAR(254) NOT NULL,
  subject VARCHAR(400) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  attempts INT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL,
  sent_at DATETIME(3) NULL,
  failed_at DATETIME(3) NULL,
  last_error VARCHAR(500) NULL,
  KEY outbox_due (sent_at, failed_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Rate-limit events by kind and subject (an address or an IP), e.g.
-- sign-ups and reset requests: 5 per hour each (AUTH-4).
CREATE TABLE throttle_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(32) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  at DATETIME(3) NOT NULL,
  KEY throttle_lookup (kind, subject, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit trail (PRODUCT §20): written in the same transaction as the
-- change; the application account may only insert and read it.
CREATE TABLE audit_log (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(3) NOT NULL,
  org_id BIGINT UNSIGNED NULL,
  event_id BIGINT UNSIGNED NULL,
  actor_user_id BIGINT UNSIGNED NULL,
  actor_kind ENUM('user','system','anon') NOT NULL,
  auth ENUM('session','token','invitation','link','none') NOT NULL,
  token_id BIGINT UNSIGNED NULL,
  action VARCHAR(64) NOT NULL,
  target_type VARCHAR(40) NOT NULL,
  target_id BIGINT UNSIGNED NULL,
  target_label VARCHAR(400) NULL,
  changes TEXT NULL,
  request_id VARCHAR(64) NULL,
  ip VARCHAR(45) NULL,
  KEY audit_org (org_id, at),
  KEY audit_event (event_id, at),
  KEY audit_actor (actor_user_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
