-- 004_member_tallies.sql (PostgreSQL): what lists and workbenches read at city scale: a file's state, tallies kept by triggers
-- The same schema as sql/sqlite/004_member_tallies.sql (docs/postgres.md, Schema): each SQLite trigger is a
-- plpgsql function of the same name and a row trigger with the same timing, event and WHEN; a comparison
-- SQLite uses as a number 0/1 is cast (::int); the generated columns are STORED (PostgreSQL 15 has no VIRTUAL).

-- The state a file shows (see MEMBER_STATE_SQL in domain/member.h), kept by registration.c with
-- every report-in change, so that lists filter and count by it through an index.
ALTER TABLE member ADD COLUMN state text NOT NULL DEFAULT '';
UPDATE member SET state = COALESCE((SELECT g.state FROM registration g WHERE g.member_id = member.id
  ORDER BY CASE g.state WHEN 'approved' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
  COALESCE(g.decided_at, g.created_at) DESC, g.id DESC LIMIT 1), '');

-- Lists read files in name order: of a community or street (sorted after), of a unit, and of a
-- district or the city straight from an index that also holds the community code, so a deep page
-- skips index entries without reading a file (see docs/members.md, Lists at city scale).
DROP INDEX member_unit;
DROP INDEX member_community;
CREATE INDEX member_community ON member (community_code, name, id);
CREATE INDEX member_unit ON member (unit_id, name, id, community_code);
CREATE INDEX member_name ON member (name, id, community_code);
CREATE INDEX member_state ON member (state, name, id, community_code);
CREATE INDEX member_phone ON member (phone);
CREATE INDEX region_name ON region (name, level); -- names people type (imports, exports' labels)
CREATE INDEX member_phone_tail ON member (substr(phone, 8)); -- the last four digits of a mobile number
CREATE INDEX registration_state ON registration (state, id, community_code);
-- A roster entry knows the state of the file with its ID number ('' when there is none), kept by
-- the triggers below: the not-reported list of a unit is one index range, never a join per row.
ALTER TABLE roster_entry ADD COLUMN state text NOT NULL DEFAULT '';
UPDATE roster_entry SET state = COALESCE((SELECT m.state FROM member m WHERE m.id_number_hash = roster_entry.id_number_hash), '');
CREATE INDEX roster_entry_hash ON roster_entry (id_number_hash);
CREATE INDEX roster_entry_unit ON roster_entry (unit_id, name, id, state);

-- Files per place and state, and how many of them have no account, kept at every level of the
-- tree: a row per code prefix of the file's community (44, 4401, 440111, 440111002, 440111002011;
-- depth is the prefix's length). A region's count is its own rows; its children's are the rows
-- of the next depth under its prefix. Every count a workbench shows of files reads a few rows.
CREATE TABLE member_tally (
  depth bigint NOT NULL,                   -- 2, 4, 6, 9 or 12; 0 for files without a community
  prefix text NOT NULL,                    -- the community code's first depth digits
  state text NOT NULL,
  files bigint NOT NULL,
  without_account bigint NOT NULL,
  PRIMARY KEY (depth, prefix, state)
);

-- Per unit (every unit has its row): people on its roster, and how many of them have an approved
-- or a pending report-in; its rate (reported of roster, in tenths of a percent) ranks it, with the
-- units that have no roster last whichever way the ranking goes.
CREATE TABLE unit_tally (
  unit_id bigint PRIMARY KEY REFERENCES unit(id),
  roster bigint NOT NULL DEFAULT 0,
  reported bigint NOT NULL DEFAULT 0,
  pending bigint NOT NULL DEFAULT 0,
  rank_low bigint GENERATED ALWAYS AS (CASE WHEN roster = 0 THEN 1001 ELSE reported * 1000 / roster END) STORED,
  rank_high bigint GENERATED ALWAYS AS (CASE WHEN roster = 0 THEN -1 ELSE reported * 1000 / roster END) STORED
);
CREATE INDEX unit_tally_low ON unit_tally (rank_low, unit_id);
CREATE INDEX unit_tally_high ON unit_tally (rank_high, unit_id);

CREATE FUNCTION unit_tally_unit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_tally (unit_id) VALUES (NEW.id) ON CONFLICT (unit_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_tally_unit AFTER INSERT ON unit FOR EACH ROW EXECUTE FUNCTION unit_tally_unit();

-- A file counted in the rows of its community's prefixes (or of depth 0 without a community), by
-- member_tally_insert and member_tally_update.
CREATE FUNCTION member_tally_add(code text, st text, no_account bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT d.depth, substr(code, 1, d.depth::int), st, 1, no_account
    FROM (VALUES (2), (4), (6), (9), (12)) AS d (depth) WHERE code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = member_tally.files + 1,
      without_account = member_tally.without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 0, '', st, 1, no_account WHERE code IS NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = member_tally.files + 1,
      without_account = member_tally.without_account + excluded.without_account;
END $$;

CREATE FUNCTION member_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM member_tally_add(NEW.community_code, NEW.state, (NEW.account_id IS NULL)::int);
  RETURN NULL;
END $$;
CREATE TRIGGER member_tally_insert AFTER INSERT ON member FOR EACH ROW EXECUTE FUNCTION member_tally_insert();

CREATE FUNCTION member_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)::int
    WHERE depth IN (2, 4, 6, 9, 12) AND prefix = substr(OLD.community_code, 1, depth::int) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)::int
    WHERE OLD.community_code IS NULL AND depth = 0 AND prefix = '' AND state = OLD.state;
  PERFORM member_tally_add(NEW.community_code, NEW.state, (NEW.account_id IS NULL)::int);
  RETURN NULL;
END $$;
CREATE TRIGGER member_tally_update AFTER UPDATE OF community_code, state, account_id ON member
  FOR EACH ROW EXECUTE FUNCTION member_tally_update();

CREATE FUNCTION unit_tally_member_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE unit_tally SET
      reported = reported - (OLD.state = 'approved')::int + (NEW.state = 'approved')::int,
      pending = pending - (OLD.state = 'pending')::int + (NEW.state = 'pending')::int
    WHERE unit_id IN (SELECT unit_id FROM roster_entry WHERE id_number_hash = NEW.id_number_hash);
  RETURN NULL;
END $$;
CREATE TRIGGER unit_tally_member_state AFTER UPDATE OF state ON member FOR EACH ROW
  WHEN (OLD.state IN ('approved', 'pending') OR NEW.state IN ('approved', 'pending'))
  EXECUTE FUNCTION unit_tally_member_state();

CREATE FUNCTION unit_tally_member_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE unit_tally SET reported = reported + (NEW.state = 'approved')::int, pending = pending + (NEW.state = 'pending')::int
    WHERE unit_id IN (SELECT unit_id FROM roster_entry WHERE id_number_hash = NEW.id_number_hash);
  RETURN NULL;
END $$;
CREATE TRIGGER unit_tally_member_insert AFTER INSERT ON member FOR EACH ROW
  WHEN (NEW.state IN ('approved', 'pending')) EXECUTE FUNCTION unit_tally_member_insert();

-- roster_state_member (AFTER UPDATE OF state) and roster_state_member_insert (AFTER INSERT) do the same.
CREATE FUNCTION roster_state_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE roster_entry SET state = NEW.state WHERE id_number_hash = NEW.id_number_hash;
  RETURN NULL;
END $$;
CREATE TRIGGER roster_state_member AFTER UPDATE OF state ON member FOR EACH ROW EXECUTE FUNCTION roster_state_member();
CREATE TRIGGER roster_state_member_insert AFTER INSERT ON member FOR EACH ROW EXECUTE FUNCTION roster_state_member();

CREATE FUNCTION roster_state_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE roster_entry SET state = COALESCE((SELECT state FROM member WHERE id_number_hash = NEW.id_number_hash), '')
    WHERE id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER roster_state_insert AFTER INSERT ON roster_entry FOR EACH ROW EXECUTE FUNCTION roster_state_insert();

CREATE FUNCTION unit_tally_roster_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_tally (unit_id, roster, reported, pending) VALUES (NEW.unit_id, 1,
      EXISTS (SELECT 1 FROM member WHERE id_number_hash = NEW.id_number_hash AND state = 'approved')::int,
      EXISTS (SELECT 1 FROM member WHERE id_number_hash = NEW.id_number_hash AND state = 'pending')::int)
    ON CONFLICT (unit_id) DO UPDATE SET roster = unit_tally.roster + 1, reported = unit_tally.reported + excluded.reported,
      pending = unit_tally.pending + excluded.pending;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_tally_roster_insert AFTER INSERT ON roster_entry FOR EACH ROW EXECUTE FUNCTION unit_tally_roster_insert();

CREATE FUNCTION unit_tally_roster_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE unit_tally SET roster = roster - 1,
      reported = reported - EXISTS (SELECT 1 FROM member WHERE id_number_hash = OLD.id_number_hash AND state = 'approved')::int,
      pending = pending - EXISTS (SELECT 1 FROM member WHERE id_number_hash = OLD.id_number_hash AND state = 'pending')::int
    WHERE unit_id = OLD.unit_id;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_tally_roster_delete AFTER DELETE ON roster_entry FOR EACH ROW EXECUTE FUNCTION unit_tally_roster_delete();

INSERT INTO member_tally (depth, prefix, state, files, without_account)
  SELECT d.depth, substr(COALESCE(m.community_code, ''), 1, d.depth), m.state, COUNT(*), SUM((m.account_id IS NULL)::int)
  FROM member m CROSS JOIN (SELECT 2 AS depth UNION ALL SELECT 4 UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) d
  WHERE m.community_code IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO member_tally (depth, prefix, state, files, without_account)
  SELECT 0, '', state, COUNT(*), SUM((account_id IS NULL)::int) FROM member WHERE community_code IS NULL GROUP BY state;
INSERT INTO unit_tally (unit_id, roster, reported, pending)
  SELECT e.unit_id, COUNT(*), SUM((COALESCE(m.state, '') = 'approved')::int), SUM((COALESCE(m.state, '') = 'pending')::int)
  FROM roster_entry e LEFT JOIN member m ON m.id_number_hash = e.id_number_hash GROUP BY e.unit_id;
INSERT INTO unit_tally (unit_id) SELECT id FROM unit WHERE id NOT IN (SELECT unit_id FROM unit_tally);

-- Report-ins waiting, at every level of the tree as member_tally: the approval queue's badge.
CREATE TABLE registration_tally (
  depth bigint NOT NULL,
  prefix text NOT NULL,
  pending bigint NOT NULL,
  PRIMARY KEY (depth, prefix)
);

-- A report-in's community's prefixes moved by delta, by registration_tally_insert and _update.
CREATE FUNCTION registration_tally_add(code text, delta bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO registration_tally (depth, prefix, pending)
    SELECT d.depth, substr(code, 1, d.depth::int), delta FROM (VALUES (2), (4), (6), (9), (12)) AS d (depth)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = registration_tally.pending + excluded.pending;
END $$;

CREATE FUNCTION registration_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM registration_tally_add(NEW.community_code, 1);
  RETURN NULL;
END $$;
CREATE TRIGGER registration_tally_insert AFTER INSERT ON registration FOR EACH ROW
  WHEN (NEW.state = 'pending') EXECUTE FUNCTION registration_tally_insert();

CREATE FUNCTION registration_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM registration_tally_add(NEW.community_code, (NEW.state = 'pending')::int - (OLD.state = 'pending')::int);
  RETURN NULL;
END $$;
CREATE TRIGGER registration_tally_update AFTER UPDATE OF state ON registration FOR EACH ROW
  WHEN ((OLD.state = 'pending') <> (NEW.state = 'pending')) EXECUTE FUNCTION registration_tally_update();

INSERT INTO registration_tally (depth, prefix, pending)
  SELECT d.depth, substr(g.community_code, 1, d.depth), COUNT(*) FROM registration g
  CROSS JOIN (SELECT 2 AS depth UNION ALL SELECT 4 UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) d
  WHERE g.state = 'pending' GROUP BY 1, 2;

-- Each specialty of each file, in name order with its community: a list filtered by one
-- specialty reads these rows only. Written by member.c with the file; moved by this trigger.
CREATE TABLE member_tag (
  tag text NOT NULL,
  name text NOT NULL,
  member_id bigint NOT NULL REFERENCES member(id),
  community_code text NOT NULL,
  PRIMARY KEY (tag, name, member_id)
);
CREATE INDEX member_tag_member ON member_tag (member_id);

CREATE FUNCTION member_tag_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE member_tag SET community_code = COALESCE(NEW.community_code, '') WHERE member_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER member_tag_move AFTER UPDATE OF community_code ON member FOR EACH ROW EXECUTE FUNCTION member_tag_move();

INSERT INTO member_tag (tag, name, member_id, community_code)
  WITH RECURSIVE split(id, name, code, tag, rest) AS (
    SELECT id, name, COALESCE(community_code, ''), ''::text, specialties || ',' FROM member WHERE specialties <> ''
    UNION ALL
    SELECT id, name, code, substr(rest, 1, strpos(rest, ',') - 1), substr(rest, strpos(rest, ',') + 1) FROM split
    WHERE rest <> '')
  SELECT DISTINCT tag, name, id, code FROM split WHERE tag <> '';
