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
--     Pro), holds 10 events: the small twin of the 100-event list;
--   * every event this file adds gets the default task statuses and phases
--     (migration 0005 gave them only to the events that existed then;
--     app/model/taskconf.c gives them to events made in the app);
--   * nlf2027 holds 5,000 activities (the demo's and generated ones)
--     across its 12 areas: 80 series (10 daily, 70 weekly, ten on each
--     weekday) over a 100-day window (2027-05-03 to 2027-08-10) and single
--     activities spread over that window, a tenth of them global, a few
--     all day or time frames; the host (Dana's collaborator) takes part in
--     a quarter, a vendor in a third, Dana organizes a few. The measured
--     day, 2027-06-15 (a Tuesday, outside the demo's days), holds exactly
--     50 occurrences, all visible to Dana: 30 single activities, the 10
--     daily series and the 10 Tuesday series. The event's schedule
--     revision is raised as the app would;
--   * bench001 holds 10 single activities on 2027-01-07: the small twin
--     of the measured day;
--   * the organization's 100 events hold 50,000 tasks (the demo's and the
--     rest spread evenly, generated) in the default statuses (none
--     archived), some with a phase, a due date, a parent (one level),
--     assignees (the host, a vendor, Dana), Dana as reviewer and, in
--     nlf2027, area tags; the small organization's 10 events hold 10
--     tasks: the small twin of the roll-up.
--
--   * advancing in nlf2027 (besides the demo's): 12 module templates
--     "Bench module NN" of 50 text questions each; every collaborator but
--     the host and Soundwave gets a "Bench advance" with the 12 modules,
--     half of them answered (50 answers each, waiting for review);
--     Soundwave (the demo vendor, vendor@backops.test) gets 40 unanswered
--     "Bench autosave NN" advances: 24,000 questions, one per autosave
--     request of the bench's autosave row (each answered once, so every
--     request is a first save with If-Match "0-v0"); bench001's
--     collaborators get a "Bench advance" of one module: the small twin
--     of the advances list.
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

-- --- task statuses and phases of the added events ------------------------
-- The defaults of migration 0005 and app/model/taskconf.c, for every event
-- of either organization that has none yet (the ones added above).
INSERT INTO task_statuses (event_id, name, name_norm, colour, state,
    position, created_at)
  SELECT e.id, s.name, LOWER(s.name), s.colour, s.state, s.position,
    UTC_TIMESTAMP(3)
  FROM events e CROSS JOIN (
    SELECT 'To Do' AS name, 'slate' AS colour, 'todo' AS state, 0 AS position
    UNION ALL SELECT 'In Progress', 'blue', 'active', 1
    UNION ALL SELECT 'In Review', 'amber', 'review', 2
    UNION ALL SELECT 'Done', 'green', 'done', 3
    UNION ALL SELECT 'Archived', 'slate', 'archived', 4) s
  WHERE e.org_id IN (@org, @org2)
    AND NOT EXISTS (SELECT 1 FROM task_statuses x WHERE x.event_id = e.id);
INSERT INTO task_phases (event_id, name, name_norm, position, created_at)
  SELECT e.id, p.name, LOWER(p.name), p.position, UTC_TIMESTAMP(3)
  FROM events e CROSS JOIN (
    SELECT 'Pre-event' AS name, 0 AS position
    UNION ALL SELECT 'Load-in', 1
    UNION ALL SELECT 'Show', 2
    UNION ALL SELECT 'Load-out', 3
    UNION ALL SELECT 'Post-event', 4) p
  WHERE e.org_id IN (@org, @org2)
    AND NOT EXISTS (SELECT 1 FROM task_phases x WHERE x.event_id = e.id);

-- --- nlf2027: 5,000 activities --------------------------------------------
-- The window: 100 local days from Monday 2027-05-03, all in summer time
-- (Europe/Amsterdam, UTC+2), so local HH:MM is UTC HH:MM + 2 h. Day 43 of
-- the window is the measured day, 2027-06-15.
SET @win0 = DATE('2027-05-03');
SET @day = DATE('2027-06-15');
SET @day_idx = DATEDIFF(@day, @win0);
SELECT COUNT(*) INTO @acts0 FROM activities WHERE event_id = @ev;
SET @n_series = 80;
SET @n_single = 5000 - @acts0 - @n_series;
-- Single activity NNNN (1 … @n_single): numbers 1-30 on the measured day,
-- the others spread over the 99 other days of the window; start 06:00 to
-- 21:00 local in quarter hours, 30 to 120 minutes; every 10th global;
-- every 50th (not on the measured day) all day, every 100th of those a
-- time frame.
INSERT INTO activities (uuid, event_id, kind, name, description, all_day,
    start_utc, end_utc, start_date, end_date, is_global, location,
    created_by, created_at, updated_at)
  SELECT UUID(), @ev, IF(d.seq % 100 = 0, 'time_frame', 'activity'),
    CONCAT('Bench activity ', LPAD(d.seq, 4, '0')),
    IF(d.seq % 3 = 0, CONCAT('Generated activity ', d.seq,
      ' for `make bench`: *crew* call, **radio** channel ', 1 + d.seq % 8,
      '.'), NULL),
    d.all_day,
    IF(d.all_day, NULL, TIMESTAMP(d.day) + INTERVAL (d.smin - 120) MINUTE),
    IF(d.all_day, NULL, TIMESTAMP(d.day) + INTERVAL (d.smin - 120 + 30
      + (d.seq % 4) * 30) MINUTE),
    IF(d.all_day, d.day, NULL), IF(d.all_day, d.day, NULL),
    d.seq % 10 = 0,
    ELT(1 + d.seq % 5, 'Main Stage', 'Forest Stage', 'Production Office',
      'Catering Tent', 'Gate C'),
    @dana, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM (SELECT seq,
      @win0 + INTERVAL IF(seq <= 30, @day_idx,
        (seq - 31) % 99 + ((seq - 31) % 99 >= @day_idx)) DAY AS day,
      seq > 30 AND seq % 50 = 0 AS all_day,
      360 + ((seq * 37) % 61) * 15 AS smin
    FROM seq_1_to_5000 WHERE seq <= @n_single) d;
-- Series NN (1 … 80) from the first day of the window to its last: 1-10
-- daily, 11-80 weekly on one weekday ((NN - 11) mod 7, Monday = 0; ten per
-- weekday), starting on the window's first such day; 07:00 to 18:45 local
-- in quarter hours, 45 minutes; every 10th global.
INSERT INTO activities (uuid, event_id, kind, name, description, all_day,
    start_utc, end_utc, is_global, location, rec_freq, rec_interval,
    rec_weekdays, rec_until, created_by, created_at, updated_at)
  SELECT UUID(), @ev, 'activity',
    CONCAT('Bench series ', LPAD(s.seq, 2, '0')),
    CONCAT('Generated ', IF(s.seq <= 10, 'daily', 'weekly'),
      ' series for `make bench`.'),
    0, TIMESTAMP(s.first) + INTERVAL (s.smin - 120) MINUTE,
    TIMESTAMP(s.first) + INTERVAL (s.smin - 120 + 45) MINUTE,
    s.seq % 10 = 0, 'Production Office',
    IF(s.seq <= 10, 'daily', 'weekly'), 1,
    IF(s.seq <= 10, 0, 1 << ((s.seq - 11) % 7)),
    @win0 + INTERVAL 99 DAY, @dana, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM (SELECT seq, @win0 + INTERVAL IF(seq <= 10, 0, (seq - 11) % 7) DAY
      AS first, 420 + (seq % 48) * 15 AS smin
    FROM seq_1_to_80) s;

-- The generated activities by number (n: the single's or series' number).
CREATE TEMPORARY TABLE bench_acts (id BIGINT UNSIGNED PRIMARY KEY,
    n INT NOT NULL)
  SELECT id, CAST(SUBSTRING_INDEX(name, ' ', -1) AS UNSIGNED) AS n
  FROM activities WHERE event_id = @ev
    AND (name LIKE 'Bench activity %' OR name LIKE 'Bench series %');
-- nlf2027's 12 areas and 32 generated vendors, numbered from 0.
CREATE TEMPORARY TABLE bench_areas (n INT PRIMARY KEY,
    id BIGINT UNSIGNED NOT NULL)
  SELECT ROW_NUMBER() OVER (ORDER BY position, id) - 1 AS n, id
  FROM areas WHERE event_id = @ev;
CREATE TEMPORARY TABLE bench_vendors (n INT PRIMARY KEY,
    id BIGINT UNSIGNED NOT NULL)
  SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS n, id
  FROM collaborators WHERE event_id = @ev AND name LIKE 'Bench Vendor %';

-- Area tags: one area each, every 5th a second one.
INSERT INTO activity_areas (activity_id, event_id, area_id)
  SELECT b.id, @ev, ar.id FROM bench_acts b
  JOIN bench_areas ar ON ar.n = b.n % 12;
INSERT INTO activity_areas (activity_id, event_id, area_id)
  SELECT b.id, @ev, ar.id FROM bench_acts b
  JOIN bench_areas ar ON ar.n = (b.n + 5) % 12
  WHERE b.n % 5 = 0;
-- Participants: the host (Dana's collaborator) in every 4th, a vendor in
-- every 3rd, Dana as organizer in every 25th.
INSERT INTO activity_participants (activity_id, event_id, collaborator_id,
    role, required)
  SELECT b.id, @ev, @host, 'attendee', 1 FROM bench_acts b
  WHERE b.n % 4 = 0;
INSERT INTO activity_participants (activity_id, event_id, collaborator_id,
    role, required)
  SELECT b.id, @ev, v.id, IF(b.n % 2 = 0, 'organizer', 'attendee'),
    b.n % 7 <> 0
  FROM bench_acts b JOIN bench_vendors v ON v.n = b.n % 32
  WHERE b.n % 3 = 0;
INSERT INTO activity_participants (activity_id, event_id, user_id, role,
    required)
  SELECT b.id, @ev, @dana, 'organizer', 1 FROM bench_acts b
  WHERE b.n % 25 = 0;
-- The schedule revision, as one raise per activity insert would leave it.
INSERT INTO schedule_revisions (event_id, revision, changed_at)
  SELECT @ev, COUNT(*), UTC_TIMESTAMP(3) FROM bench_acts
  ON DUPLICATE KEY UPDATE revision = revision + VALUES(revision),
    changed_at = VALUES(changed_at);

-- bench001, the small twin of the measured day: 10 single activities on
-- 2027-01-07 (winter time, UTC+1), 09:00 to 18:00 local, the first global.
INSERT INTO activities (uuid, event_id, kind, name, all_day, start_utc,
    end_utc, is_global, location, created_by, created_at, updated_at)
  SELECT UUID(), @small_ev, 'activity',
    CONCAT('Bench activity ', LPAD(seq, 4, '0')), 0,
    TIMESTAMP('2027-01-07 08:00:00') + INTERVAL seq - 1 HOUR,
    TIMESTAMP('2027-01-07 08:45:00') + INTERVAL seq - 1 HOUR,
    seq = 1, CONCAT('Hall ', 1 + seq % 3), @dana, UTC_TIMESTAMP(3),
    UTC_TIMESTAMP(3)
  FROM seq_1_to_10;
SELECT h.id INTO @small_host FROM collaborators h
  WHERE h.event_id = @small_ev AND h.is_host = 1;
INSERT INTO activity_participants (activity_id, event_id, collaborator_id,
    role, required)
  SELECT a.id, @small_ev, @small_host, 'attendee', 1 FROM activities a
  WHERE a.event_id = @small_ev AND a.id % 2 = 0;
INSERT INTO schedule_revisions (event_id, revision, changed_at)
  VALUES (@small_ev, 10, UTC_TIMESTAMP(3))
  ON DUPLICATE KEY UPDATE revision = revision + 10,
    changed_at = VALUES(changed_at);

-- --- 50,000 tasks across the organization's 100 events ------------------
-- Events numbered 0-99 by id; each one's default statuses by state and
-- its Load-in phase.
CREATE TEMPORARY TABLE bench_events (n INT PRIMARY KEY,
    id BIGINT UNSIGNED NOT NULL, start_date DATE NOT NULL,
    host BIGINT UNSIGNED NOT NULL)
  SELECT ROW_NUMBER() OVER (ORDER BY e.id) - 1 AS n, e.id, e.start_date,
    h.id AS host
  FROM events e JOIN collaborators h ON h.event_id = e.id AND h.is_host = 1
  WHERE e.org_id = @org;
CREATE TEMPORARY TABLE bench_status (event_id BIGINT UNSIGNED NOT NULL,
    k INT NOT NULL, id BIGINT UNSIGNED NOT NULL, PRIMARY KEY (event_id, k))
  SELECT s.event_id, FIELD(s.name_norm, 'to do', 'in progress',
      'in review', 'done') - 1 AS k, s.id
  FROM task_statuses s JOIN events e ON e.id = s.event_id
  WHERE e.org_id IN (@org, @org2)
    AND s.name_norm IN ('to do', 'in progress', 'in review', 'done');
CREATE TEMPORARY TABLE bench_phase (event_id BIGINT UNSIGNED PRIMARY KEY,
    id BIGINT UNSIGNED NOT NULL)
  SELECT p.event_id, p.id FROM task_phases p JOIN events e
    ON e.id = p.event_id
  WHERE e.org_id IN (@org, @org2) AND p.name_norm = 'load-in';
SELECT COUNT(*) INTO @tasks0 FROM tasks t JOIN events e ON e.id = t.event_id
  WHERE e.org_id = @org;
SET @n_tasks = 50000 - @tasks0;
-- Task NNNNN in event NNNNN mod 100; status by NNNNN mod 10 (4 to do,
-- 2 in progress, 1 in review, 3 done); every 4th in the Load-in phase;
-- due 0-59 days before the event's start, every 3rd with a time; a
-- priority on every 2nd.
INSERT INTO tasks (uuid, event_id, org_id, name, description, status_id,
    priority, phase_id, start_date, due_date, due_time, position,
    created_by, created_at, updated_at)
  SELECT UUID(), ev.id, @org, CONCAT('Bench task ', LPAD(q.seq, 5, '0')),
    IF(q.seq % 4 = 0, CONCAT('Generated task ', q.seq,
      ': confirm **quantities** and send the [order](https://example.test/o',
      q.seq, ').'), NULL),
    st.id,
    ELT(1 + q.seq % 8, 'none', 'low', 'none', 'medium', 'none', 'high',
      'none', 'urgent'),
    IF(q.seq % 4 = 0, ph.id, NULL),
    IF(q.seq % 5 = 0, ev.start_date - INTERVAL 90 DAY, NULL),
    IF(q.seq % 9 = 0, NULL, ev.start_date - INTERVAL (q.seq % 60) DAY),
    IF(q.seq % 3 = 0 AND q.seq % 9 <> 0, '09:30', NULL),
    q.seq DIV 100, @dana, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
  FROM seq_1_to_50000 q
  JOIN bench_events ev ON ev.n = q.seq % 100
  JOIN bench_status st ON st.event_id = ev.id
    AND st.k = ELT(1 + q.seq % 10, 0, 0, 0, 0, 1, 1, 2, 3, 3, 3)
  JOIN bench_phase ph ON ph.event_id = ev.id
  WHERE q.seq <= @n_tasks;
-- The small organization: one task in each of its 10 events.
INSERT INTO tasks (uuid, event_id, org_id, name, status_id, due_date,
    position, created_by, created_at, updated_at)
  SELECT UUID(), e.id, e.org_id, CONCAT('Bench task ', LPAD(e.id, 5, '0')),
    st.id,
    e.start_date - INTERVAL 7 DAY, 0, @dana, UTC_TIMESTAMP(3),
    UTC_TIMESTAMP(3)
  FROM events e JOIN bench_status st ON st.event_id = e.id AND st.k = 0
  WHERE e.org_id = @org2;

-- The generated tasks of the big organization numbered within each event
-- (a plain table: the parent UPDATE below reads it twice, which a
-- temporary table cannot be). Every 4th from the 2nd on becomes a subtask
-- of the one before it (one level; the parent has no parent).
CREATE TABLE bench_tnum (id BIGINT UNSIGNED PRIMARY KEY,
    event_id BIGINT UNSIGNED NOT NULL, rn INT NOT NULL,
    n INT NOT NULL, KEY (event_id, rn))
  SELECT t.id, t.event_id,
    ROW_NUMBER() OVER (PARTITION BY t.event_id ORDER BY t.id) AS rn,
    CAST(SUBSTRING_INDEX(t.name, ' ', -1) AS UNSIGNED) AS n
  FROM tasks t JOIN bench_events ev ON ev.id = t.event_id
  WHERE t.name LIKE 'Bench task %';
UPDATE tasks t JOIN bench_tnum c ON c.id = t.id
  JOIN bench_tnum p ON p.event_id = c.event_id AND p.rn = c.rn - 1
  SET t.parent_id = p.id
  WHERE c.rn % 4 = 2;
-- Assignees: the event's host in every 3rd, Dana in every 5th, a vendor
-- of nlf2027 in every 7th there; Dana reviews every 11th. Area tags on
-- nlf2027's tasks: one each, every 6th none.
INSERT INTO task_people (task_id, event_id, role, collaborator_id)
  SELECT c.id, c.event_id, 'assignee', ev.host FROM bench_tnum c
  JOIN bench_events ev ON ev.id = c.event_id WHERE c.n % 3 = 0;
INSERT INTO task_people (task_id, event_id, role, user_id)
  SELECT c.id, c.event_id, 'assignee', @dana FROM bench_tnum c
  WHERE c.n % 5 = 0;
INSERT INTO task_people (task_id, event_id, role, collaborator_id)
  SELECT c.id, c.event_id, 'assignee', v.id FROM bench_tnum c
  JOIN bench_vendors v ON v.n = c.n % 32
  WHERE c.event_id = @ev AND c.n % 7 = 0;
INSERT INTO task_people (task_id, event_id, role, user_id)
  SELECT c.id, c.event_id, 'reviewer', @dana FROM bench_tnum c
  WHERE c.n % 11 = 0;
INSERT INTO task_areas (task_id, event_id, area_id)
  SELECT c.id, c.event_id, ar.id FROM bench_tnum c
  JOIN bench_areas ar ON ar.n = c.n % 12
  WHERE c.event_id = @ev AND c.n % 6 <> 0;
DROP TABLE bench_tnum;

-- --- advancing ---------------------------------------------------------------
INSERT INTO module_categories (event_id, name, position)
  VALUES (@ev, 'Bench', 99), (@small_ev, 'Bench', 99);
SELECT id INTO @bcat FROM module_categories WHERE event_id = @ev
  AND name = 'Bench';
SELECT id INTO @bcat_small FROM module_categories WHERE event_id = @small_ev
  AND name = 'Bench';
INSERT INTO module_templates (event_id, name, label, category_id,
    created_at, updated_at)
  SELECT @ev, CONCAT('Bench module ', LPAD(q.seq, 2, '0')),
    CONCAT('Bench module ', LPAD(q.seq, 2, '0')), @bcat, UTC_TIMESTAMP(3),
    UTC_TIMESTAMP(3) FROM seq_1_to_12 q;
INSERT INTO module_templates (event_id, name, label, category_id,
    created_at, updated_at)
  VALUES (@small_ev, 'Bench module 01', 'Bench module 01', @bcat_small,
    UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
INSERT INTO module_blocks (event_id, template_id, position, kind, label,
    rtype, required)
  SELECT t.event_id, t.id, q.seq, 'question', CONCAT('Question ', q.seq),
    'text', q.seq <= 5 FROM module_templates t JOIN seq_1_to_50 q
  WHERE t.event_id IN (@ev, @small_ev) AND t.name LIKE 'Bench module %';
SELECT id INTO @sound FROM collaborators WHERE event_id = @ev
  AND name = 'Soundwave Audio';
INSERT INTO advances (uuid, event_id, collaborator_id, name, name_norm,
    created_by, created_at, updated_at)
  SELECT UUID(), c.event_id, c.id, 'Bench advance', 'bench advance', @dana,
    UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM collaborators c
  WHERE (c.event_id = @ev AND c.id NOT IN (@host, @sound))
    OR (c.event_id = @small_ev AND c.is_host = 0);
INSERT INTO advances (uuid, event_id, collaborator_id, name, name_norm,
    created_by, created_at, updated_at)
  SELECT UUID(), @ev, @sound, CONCAT('Bench autosave ', LPAD(q.seq, 2, '0')),
    CONCAT('bench autosave ', LPAD(q.seq, 2, '0')), @dana, UTC_TIMESTAMP(3),
    UTC_TIMESTAMP(3) FROM seq_1_to_40 q;
INSERT INTO advance_modules (event_id, advance_id, module_template_id,
    position, due_date)
  SELECT a.event_id, a.id, t.id, CAST(SUBSTRING(t.name, 14) AS UNSIGNED),
    '2027-06-01' FROM advances a JOIN module_templates t
    ON t.event_id = a.event_id AND t.name LIKE 'Bench module %'
  WHERE a.event_id IN (@ev, @small_ev) AND a.name_norm LIKE 'bench %';
INSERT INTO answers (event_id, advance_module_id, block_id, value,
    updated_by, updated_at)
  SELECT m.event_id, m.id, b.id, CONCAT('Answer ', b.position), @dana,
    UTC_TIMESTAMP(3) FROM advance_modules m
  JOIN advances a ON a.id = m.advance_id AND a.name = 'Bench advance'
  JOIN module_blocks b ON b.template_id = m.module_template_id
  WHERE m.event_id = @ev AND m.position <= 6;
INSERT INTO answer_history (event_id, advance_module_id, block_id, value,
    version, changed_by, changed_at)
  SELECT event_id, advance_module_id, block_id, value, 1, @dana, updated_at
  FROM answers WHERE event_id = @ev AND value LIKE 'Answer %';

-- What the bench reads back (tests/bench/run checks the counts).
SELECT 'ids' AS what, @org AS org, @org2 AS small_org, @ev AS event,
  @small_ev AS small_event;
SELECT (SELECT COUNT(*) FROM events WHERE org_id = @org) AS org_events,
  (SELECT COUNT(*) FROM events WHERE org_id = @org2) AS small_org_events,
  (SELECT COUNT(*) FROM areas WHERE event_id = @ev) AS areas,
  (SELECT COUNT(*) FROM collaborators WHERE event_id = @ev) AS collaborators,
  (SELECT COUNT(*) FROM collaborators WHERE event_id = @small_ev)
    AS small_collaborators,
  (SELECT COUNT(*) FROM crew WHERE event_id = @ev) AS crew,
  (SELECT COUNT(*) FROM activities WHERE event_id = @ev) AS activities,
  (SELECT COUNT(*) FROM activities WHERE event_id = @small_ev)
    AS small_activities,
  (SELECT COUNT(*) FROM tasks t JOIN events e ON e.id = t.event_id
    WHERE e.org_id = @org) AS org_tasks,
  (SELECT COUNT(*) FROM tasks t JOIN events e ON e.id = t.event_id
    WHERE e.org_id = @org2) AS small_org_tasks,
  (SELECT COUNT(*) FROM advances WHERE event_id = @ev) AS advances,
  (SELECT COUNT(*) FROM advances WHERE event_id = @small_ev)
    AS small_advances,
  (SELECT COUNT(*) FROM answers WHERE event_id = @ev) AS answers;
