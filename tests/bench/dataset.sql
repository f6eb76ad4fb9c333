-- dataset.sql — the bench's generated data (issue 8), loaded by
-- tests/bench/run into a fresh stack right after `backopsd seed-demo`,
-- with the administrative client: `mariadb … backops < dataset.sql`.
--
-- It grows the demo festival (seed.c: Dana Demo, owner of "Northern
-- Lights Productions" on Org Pro; event nlf2027 with six areas and eight
-- collaborators with crew) into the issue's large data set, as far as the
-- tables exist today:
--
--   * the team organization holds 100 events (nlf2027 and 99 "Bench
--     event NNN", bound to its Event Pro pool like events made in the app:
--     host collaborator, Dana on the event with the producer preset and
--     scope admin of the host, as h_event_create leaves it);
--   * nlf2027 has 12 areas and 40 collaborators (the host + 39), each
--     with crew;
--   * the first bench event (bench001) is the small twin for the "same
--     SQL queries for 10 and N rows" check: 10 collaborators with crew;
--   * a second team organization, "Bench Small Org" (Dana owner on Org
--     Pro), holds 10 events: the small twin of the 100-event list.
--
-- Not yet: 5,000 activities across the 12 areas of nlf2027, 50 of them
-- on the measured day (the schedule's tables exist since migration 0004;
-- its rows are not in the bench yet), 50,000 tasks across the
-- organization (with the tasks issue), advances and answers of the 40
-- collaborators (with advancing). Each becomes one more INSERT … SELECT
-- FROM seq_1_to_N here.
--
-- Rows are made with INSERT … SELECT over MariaDB's SEQUENCE engine
-- (seq_1_to_N), so the whole set loads in well under a second.

SET time_zone = '+00:00';

SELECT id INTO @dana FROM users WHERE email_norm = 'demo@backops.test';
SELECT o.id INTO @org FROM orgs o JOIN org_members m ON m.org_id = o.id
  WHERE o.name = 'Northern Lights Productions' AND m.user_id = @dana
  AND m.role = 'owner';
SELECT id INTO @ev FROM events WHERE org_id = @org AND code = 'nlf2027';
SELECT pool_id INTO @pool FROM events WHERE id = @ev;
SELECT id INTO @host FROM collaborators WHERE event_id = @ev AND is_host = 1;

-- Stop here (an error, so the bench stops) unless the demo is in place.
DELIMITER //
BEGIN NOT ATOMIC
  IF @dana IS NULL OR @org IS NULL OR @ev IS NULL OR @host IS NULL THEN
    SIGNAL SQLSTATE '45000'
      SET MESSAGE_TEXT = 'dataset.sql: run backopsd seed-demo first';
  END IF;
END //
DELIMITER ;

-- --- a second, small team organization ----------------------------------
INSERT INTO orgs (uuid, name, kind, timezone, created_at)
  VALUES (UUID(), 'Bench Small Org', 'team', 'Europe/Amsterdam',
  UTC_TIMESTAMP(3));
SET @org2 = LAST_INSERT_ID();
INSERT INTO license_pools (org_id, product, quantity, created_at)
  VALUES (@org2, 'org_pro', 1, UTC_TIMESTAMP(3));
SET @org2_pro = LAST_INSERT_ID();
INSERT INTO license_pools (org_id, product, quantity, created_at)
  VALUES (@org2, 'event_pro', 5, UTC_TIMESTAMP(3));
SET @org2_pool = LAST_INSERT_ID();
INSERT INTO org_members (org_id, user_id, role, pool_id, joined_at)
  VALUES (@org2, @dana, 'owner', @org2_pro, UTC_TIMESTAMP(3));

-- --- events: 99 more in the big organization, 10 in the small one -------
INSERT INTO events (uuid, org_id, name, code, timezone, start_date,
    end_date, venue_name, venue_address, description, pool_id, created_by,
    created_at, updated_at)
  SELECT UUID(), @org, CONCAT('Bench event ', LPAD(seq, 3, '0')),
    CONCAT('bench', LPAD(seq, 3, '0')), 'Europe/Amsterdam',
    DATE('2027-01-04') + INTERVAL seq * 3 DAY,
    DATE('2027-01-04') + INTERVAL seq * 3 + 1 DAY,
    CONCAT('Hall ', 1 + seq % 7), 'Strandweg 1, 1976 Zandvoort, Netherlands',
    'A generated event for `make bench`.', @pool, @dana,
    UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM seq_1_to_99;
INSERT INTO events (uuid, org_id, name, code, timezone, start_date,
    end_date, venue_name, venue_address, description, pool_id, created_by,
    created_at, updated_at)
  SELECT UUID(), @org2, CONCAT('Small org event ', LPAD(seq, 2, '0')),
    CONCAT('small', LPAD(seq, 2, '0')), 'Europe/Amsterdam',
    DATE('2027-02-01') + INTERVAL seq * 5 DAY,
    DATE('2027-02-01') + INTERVAL seq * 5 + 1 DAY,
    'Club Zuid', NULL, NULL, @org2_pool, @dana,
    UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM seq_1_to_10;

-- Each new event as the app makes it: the host collaborator (named after
-- the organization), Dana on the event in the host, producer grants and
-- scope admin of the host (copied from Dana's grants on nlf2027).
INSERT INTO collaborators (uuid, event_id, name, name_norm, is_host,
    created_at)
  SELECT UUID(), e.id, o.name, LOWER(o.name), 1, UTC_TIMESTAMP(3)
  FROM events e JOIN orgs o ON o.id = e.org_id
  WHERE e.org_id IN (@org, @org2) AND e.id <> @ev;
INSERT INTO event_users (event_id, user_id, collaborator_id, added_by,
    joined_at)
  SELECT e.id, @dana, h.id, @dana, UTC_TIMESTAMP(3)
  FROM events e JOIN collaborators h ON h.event_id = e.id AND h.is_host = 1
  WHERE e.org_id IN (@org, @org2) AND e.id <> @ev;
INSERT INTO grants (event_id, user_id, domain, scope_id, section, level,
    preset, granted_by, granted_at)
  SELECT e.id, g.user_id, g.domain, IF(g.domain = 'event', 0, h.id),
    g.section, g.level, g.preset, g.granted_by, UTC_TIMESTAMP(3)
  FROM events e JOIN collaborators h ON h.event_id = e.id AND h.is_host = 1
  JOIN grants g ON g.event_id = @ev AND g.user_id = @dana
    AND (g.domain = 'event' OR (g.domain = 'collaborator'
    AND g.scope_id = @host))
  WHERE e.org_id IN (@org, @org2) AND e.id <> @ev;

-- --- nlf2027: 12 areas, 40 collaborators with crew ----------------------
INSERT INTO areas (uuid, event_id, name, name_norm, description, colour,
    position, created_at)
  SELECT UUID(), @ev, CONCAT('Bench area ', LPAD(seq, 2, '0')),
    CONCAT('bench area ', LPAD(seq, 2, '0')),
    CONCAT('Generated area ', seq, ' for `make bench`.'),
    ELT(1 + seq % 6, 'slate', 'blue', 'green', 'orange', 'purple', 'red'),
    6 + seq, UTC_TIMESTAMP(3)
  FROM seq_1_to_6;

-- Collaborators NN of an event: a name, a short Markdown description
-- (the list renders it), contact details and a colour.
INSERT INTO collaborators (uuid, event_id, name, name_norm, description,
    email, phone, website, colour, is_host, created_at)
  SELECT UUID(), @ev, CONCAT('Bench Vendor ', LPAD(seq, 2, '0')),
    CONCAT('bench vendor ', LPAD(seq, 2, '0')),
    CONCAT('Supplier **', seq, '** of the festival: *backline*, ',
      'staging and crew. See [the rider](https://example.test/r', seq, ').'),
    CONCAT('vendor', seq, '@bench.example'),
    CONCAT('+31 20 555 ', LPAD(1000 + seq, 4, '0')),
    CONCAT('https://vendor', seq, '.bench.example'),
    ELT(1 + seq % 6, 'slate', 'blue', 'green', 'orange', 'purple', 'red'),
    0, UTC_TIMESTAMP(3)
  FROM seq_1_to_32;

-- bench001, the small twin: its host and 9 more = 10 collaborators.
SELECT id INTO @small_ev FROM events WHERE org_id = @org AND code = 'bench001';
INSERT INTO collaborators (uuid, event_id, name, name_norm, description,
    email, phone, website, colour, is_host, created_at)
  SELECT UUID(), @small_ev, CONCAT('Bench Vendor ', LPAD(seq, 2, '0')),
    CONCAT('bench vendor ', LPAD(seq, 2, '0')),
    CONCAT('Supplier **', seq, '** of the festival: *backline*, ',
      'staging and crew. See [the rider](https://example.test/r', seq, ').'),
    CONCAT('vendor', seq, '@bench.example'),
    CONCAT('+31 20 555 ', LPAD(1000 + seq, 4, '0')),
    CONCAT('https://vendor', seq, '.bench.example'),
    ELT(1 + seq % 6, 'slate', 'blue', 'green', 'orange', 'purple', 'red'),
    0, UTC_TIMESTAMP(3)
  FROM seq_1_to_9;

-- Two crew members for every generated collaborator, one of them the
-- point of contact.
INSERT INTO crew (event_id, collaborator_id, first_name, last_name, title,
    role_on_show, email, email_norm, phone, point_of_contact, created_at)
  SELECT c.event_id, c.id, ELT(s.seq, 'Robin', 'Kim'),
    CONCAT('Crew', c.id), ELT(s.seq, 'Account manager', 'Crew chief'),
    ELT(s.seq, 'Vendor contact', 'On site'),
    CONCAT('crew', s.seq, '.', c.id, '@bench.example'),
    CONCAT('crew', s.seq, '.', c.id, '@bench.example'),
    CONCAT('+31 6 ', LPAD(c.id * 10 + s.seq, 8, '0')), s.seq = 1,
    UTC_TIMESTAMP(3)
  FROM collaborators c JOIN seq_1_to_2 s
  WHERE c.event_id IN (@ev, @small_ev) AND c.name LIKE 'Bench Vendor %';

-- What the bench reads back (tests/bench/run checks the counts).
SELECT 'ids' AS what, @org AS org, @org2 AS small_org, @ev AS event,
  @small_ev AS small_event;
SELECT (SELECT COUNT(*) FROM events WHERE org_id = @org) AS org_events,
  (SELECT COUNT(*) FROM events WHERE org_id = @org2) AS small_org_events,
  (SELECT COUNT(*) FROM areas WHERE event_id = @ev) AS areas,
  (SELECT COUNT(*) FROM collaborators WHERE event_id = @ev) AS collaborators,
  (SELECT COUNT(*) FROM collaborators WHERE event_id = @small_ev)
    AS small_collaborators,
  (SELECT COUNT(*) FROM crew WHERE event_id = @ev) AS crew;
