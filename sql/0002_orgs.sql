-- 0002_orgs.sql — team organizations: members, license pools, org
-- invitations and the billing history (PRODUCT §3, §4).

-- Members of team organizations. Personal workspaces have no rows here:
-- their only user is orgs.personal_user_id.
CREATE TABLE org_members (
  org_id BIGINT UNSIGNED NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  role ENUM('owner','admin','member') NOT NULL,
  pool_id BIGINT UNSIGNED NULL,
  joined_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  PRIMARY KEY (org_id, user_id),
  KEY org_members_user (user_id),
  KEY org_members_pool (pool_id),
  CONSTRAINT org_members_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT org_members_user FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- License pools: an org may hold several pools of a product. Org
-- Standard / Org Pro pools are held by members (one license each);
-- Event Pro pools give seats on every event bound to them.
CREATE TABLE license_pools (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  product ENUM('org_standard','org_pro','event_pro') NOT NULL,
  quantity INT UNSIGNED NOT NULL,
  label VARCHAR(400) NULL,
  status ENUM('active','closed') NOT NULL DEFAULT 'active',
  created_at DATETIME(3) NOT NULL,
  version INT UNSIGNED NOT NULL DEFAULT 1,
  KEY license_pools_org (org_id, product),
  CONSTRAINT license_pools_org FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

ALTER TABLE org_members ADD CONSTRAINT org_members_pool
  FOREIGN KEY (pool_id) REFERENCES license_pools (id);

-- Invitations of new email addresses to a team organization. Each
-- pending one reserves a license in its pool.
CREATE TABLE org_invitations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(254) NOT NULL,
  email_norm VARCHAR(254) NOT NULL,
  role ENUM('owner','admin','member') NOT NULL,
  pool_id BIGINT UNSIGNED NOT NULL,
  inviter_id BIGINT UNSIGNED NOT NULL,
  token_hash BINARY(32) NOT NULL,
  status ENUM('pending','accepted','revoked','expired') NOT NULL
    DEFAULT 'pending',
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  accepted_at DATETIME(3) NULL,
  accepted_user_id BIGINT UNSIGNED NULL,
  UNIQUE KEY org_invitations_token (token_hash),
  KEY org_invitations_org (org_id, status),
  KEY org_invitations_pool (pool_id, status),
  KEY org_invitations_email (email_norm, status),
  CONSTRAINT org_invitations_org FOREIGN KEY (org_id) REFERENCES orgs (id),
  CONSTRAINT org_invitations_pool FOREIGN KEY (pool_id)
    REFERENCES license_pools (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Billing events: append-only history of pools and quantities.
CREATE TABLE billing_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  org_id BIGINT UNSIGNED NOT NULL,
  pool_id BIGINT UNSIGNED NULL,
  kind ENUM('pool_created','quantity_changed','pool_closed') NOT NULL,
  product ENUM('org_standard','org_pro','event_pro') NOT NULL,
  old_quantity INT UNSIGNED NULL,
  new_quantity INT UNSIGNED NULL,
  unit_price_cents BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  actor_user_id BIGINT UNSIGNED NULL,
  at DATETIME(3) NOT NULL,
  hook_reference VARCHAR(200) NULL,
  KEY billing_events_org (org_id, at),
  CONSTRAINT billing_events_org FOREIGN KEY (org_id) REFERENCES orgs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
