-- 004_member_tallies.sql: what lists and workbenches read at city scale: a file's state, tallies kept by triggers

-- The state a file shows (see MEMBER_STATE_SQL in domain/member.h), kept by registration.c with
-- every report-in change, so that lists filter and count by it through an index.
ALTER TABLE member ADD COLUMN state TEXT NOT NULL DEFAULT '';
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
ALTER TABLE roster_entry ADD COLUMN state TEXT NOT NULL DEFAULT '';
UPDATE roster_entry SET state = COALESCE((SELECT m.state FROM member m WHERE m.id_number_hash = roster_entry.id_number_hash), '');
CREATE INDEX roster_entry_hash ON roster_entry (id_number_hash);
CREATE INDEX roster_entry_unit ON roster_entry (unit_id, name, id, state);

-- Files per place and state, and how many of them have no account, kept at every level of the
-- tree: a row per code prefix of the file's community (44, 4401, 440111, 440111002, 440111002011;
-- depth is the prefix's length). A region's count is its own rows; its children's are the rows
-- of the next depth under its prefix. Every count a workbench shows of files reads a few rows.
CREATE TABLE member_tally (
  depth INTEGER NOT NULL,                  -- 2, 4, 6, 9 or 12; 0 for files without a community
  prefix TEXT NOT NULL,                    -- the community code's first depth digits
  state TEXT NOT NULL,
  files INTEGER NOT NULL,
  without_account INTEGER NOT NULL,
  PRIMARY KEY (depth, prefix, state)
) WITHOUT ROWID;

-- Per unit (every unit has its row): people on its roster, and how many of them have an approved
-- or a pending report-in; its rate (reported of roster, in tenths of a percent) ranks it, with the
-- units that have no roster last whichever way the ranking goes.
CREATE TABLE unit_tally (
  unit_id INTEGER PRIMARY KEY REFERENCES unit(id),
  roster INTEGER NOT NULL DEFAULT 0,
  reported INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 0,
  rank_low INTEGER GENERATED ALWAYS AS (CASE WHEN roster = 0 THEN 1001 ELSE reported * 1000 / roster END) VIRTUAL,
  rank_high INTEGER GENERATED ALWAYS AS (CASE WHEN roster = 0 THEN -1 ELSE reported * 1000 / roster END) VIRTUAL
);
CREATE INDEX unit_tally_low ON unit_tally (rank_low, unit_id);
CREATE INDEX unit_tally_high ON unit_tally (rank_high, unit_id);

CREATE TRIGGER unit_tally_unit AFTER INSERT ON unit BEGIN
  INSERT INTO unit_tally (unit_id) VALUES (NEW.id) ON CONFLICT (unit_id) DO NOTHING;
END;

CREATE TRIGGER member_tally_insert AFTER INSERT ON member BEGIN
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 2, substr(NEW.community_code, 1, 2), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 4, substr(NEW.community_code, 1, 4), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 6, substr(NEW.community_code, 1, 6), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 9, substr(NEW.community_code, 1, 9), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 12, substr(NEW.community_code, 1, 12), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 0, '', NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
END;

CREATE TRIGGER member_tally_update AFTER UPDATE OF community_code, state, account_id ON member BEGIN
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE depth = 2 AND prefix = substr(OLD.community_code, 1, 2) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE depth = 4 AND prefix = substr(OLD.community_code, 1, 4) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE depth = 6 AND prefix = substr(OLD.community_code, 1, 6) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE depth = 9 AND prefix = substr(OLD.community_code, 1, 9) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE depth = 12 AND prefix = substr(OLD.community_code, 1, 12) AND state = OLD.state;
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE OLD.community_code IS NULL AND depth = 0 AND prefix = '' AND state = OLD.state;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 2, substr(NEW.community_code, 1, 2), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 4, substr(NEW.community_code, 1, 4), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 6, substr(NEW.community_code, 1, 6), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 9, substr(NEW.community_code, 1, 9), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 12, substr(NEW.community_code, 1, 12), NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NOT NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
  INSERT INTO member_tally (depth, prefix, state, files, without_account)
    SELECT 0, '', NEW.state, 1, NEW.account_id IS NULL WHERE NEW.community_code IS NULL
    ON CONFLICT (depth, prefix, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
END;

CREATE TRIGGER unit_tally_member_state AFTER UPDATE OF state ON member
  WHEN (OLD.state IN ('approved', 'pending') OR NEW.state IN ('approved', 'pending')) BEGIN
  UPDATE unit_tally SET
      reported = reported - (OLD.state = 'approved') + (NEW.state = 'approved'),
      pending = pending - (OLD.state = 'pending') + (NEW.state = 'pending')
    WHERE unit_id IN (SELECT unit_id FROM roster_entry WHERE id_number_hash = NEW.id_number_hash);
END;

CREATE TRIGGER unit_tally_member_insert AFTER INSERT ON member WHEN NEW.state IN ('approved', 'pending') BEGIN
  UPDATE unit_tally SET reported = reported + (NEW.state = 'approved'), pending = pending + (NEW.state = 'pending')
    WHERE unit_id IN (SELECT unit_id FROM roster_entry WHERE id_number_hash = NEW.id_number_hash);
END;

CREATE TRIGGER roster_state_member AFTER UPDATE OF state ON member BEGIN
  UPDATE roster_entry SET state = NEW.state WHERE id_number_hash = NEW.id_number_hash;
END;

CREATE TRIGGER roster_state_member_insert AFTER INSERT ON member BEGIN
  UPDATE roster_entry SET state = NEW.state WHERE id_number_hash = NEW.id_number_hash;
END;

CREATE TRIGGER roster_state_insert AFTER INSERT ON roster_entry BEGIN
  UPDATE roster_entry SET state = COALESCE((SELECT state FROM member WHERE id_number_hash = NEW.id_number_hash), '')
    WHERE id = NEW.id;
END;

CREATE TRIGGER unit_tally_roster_insert AFTER INSERT ON roster_entry BEGIN
  INSERT INTO unit_tally (unit_id, roster, reported, pending) VALUES (NEW.unit_id, 1,
      EXISTS (SELECT 1 FROM member WHERE id_number_hash = NEW.id_number_hash AND state = 'approved'),
      EXISTS (SELECT 1 FROM member WHERE id_number_hash = NEW.id_number_hash AND state = 'pending'))
    ON CONFLICT (unit_id) DO UPDATE SET roster = roster + 1, reported = reported + excluded.reported,
      pending = pending + excluded.pending;
END;

CREATE TRIGGER unit_tally_roster_delete AFTER DELETE ON roster_entry BEGIN
  UPDATE unit_tally SET roster = roster - 1,
      reported = reported - EXISTS (SELECT 1 FROM member WHERE id_number_hash = OLD.id_number_hash AND state = 'approved'),
      pending = pending - EXISTS (SELECT 1 FROM member WHERE id_number_hash = OLD.id_number_hash AND state = 'pending')
    WHERE unit_id = OLD.unit_id;
END;

INSERT INTO member_tally (depth, prefix, state, files, without_account)
  SELECT d.depth, substr(COALESCE(m.community_code, ''), 1, d.depth), m.state, COUNT(*), SUM(m.account_id IS NULL)
  FROM member m JOIN (SELECT 2 AS depth UNION ALL SELECT 4 UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) d
  WHERE m.community_code IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO member_tally (depth, prefix, state, files, without_account)
  SELECT 0, '', state, COUNT(*), SUM(account_id IS NULL) FROM member WHERE community_code IS NULL GROUP BY state;
INSERT INTO unit_tally (unit_id, roster, reported, pending)
  SELECT e.unit_id, COUNT(*), SUM(COALESCE(m.state, '') = 'approved'), SUM(COALESCE(m.state, '') = 'pending')
  FROM roster_entry e LEFT JOIN member m ON m.id_number_hash = e.id_number_hash GROUP BY e.unit_id;
INSERT INTO unit_tally (unit_id) SELECT id FROM unit WHERE id NOT IN (SELECT unit_id FROM unit_tally);

-- Report-ins waiting, at every level of the tree as member_tally: the approval queue's badge.
CREATE TABLE registration_tally (
  depth INTEGER NOT NULL,
  prefix TEXT NOT NULL,
  pending INTEGER NOT NULL,
  PRIMARY KEY (depth, prefix)
) WITHOUT ROWID;

CREATE TRIGGER registration_tally_insert AFTER INSERT ON registration WHEN NEW.state = 'pending' BEGIN
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (2, substr(NEW.community_code, 1, 2), 1)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (4, substr(NEW.community_code, 1, 4), 1)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (6, substr(NEW.community_code, 1, 6), 1)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (9, substr(NEW.community_code, 1, 9), 1)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (12, substr(NEW.community_code, 1, 12), 1)
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
END;

CREATE TRIGGER registration_tally_update AFTER UPDATE OF state ON registration
  WHEN (OLD.state = 'pending') <> (NEW.state = 'pending') BEGIN
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (2, substr(NEW.community_code, 1, 2), (NEW.state = 'pending') - (OLD.state = 'pending'))
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (4, substr(NEW.community_code, 1, 4), (NEW.state = 'pending') - (OLD.state = 'pending'))
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (6, substr(NEW.community_code, 1, 6), (NEW.state = 'pending') - (OLD.state = 'pending'))
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (9, substr(NEW.community_code, 1, 9), (NEW.state = 'pending') - (OLD.state = 'pending'))
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
  INSERT INTO registration_tally (depth, prefix, pending) VALUES (12, substr(NEW.community_code, 1, 12), (NEW.state = 'pending') - (OLD.state = 'pending'))
    ON CONFLICT (depth, prefix) DO UPDATE SET pending = pending + excluded.pending;
END;

INSERT INTO registration_tally (depth, prefix, pending)
  SELECT d.depth, substr(g.community_code, 1, d.depth), COUNT(*) FROM registration g
  JOIN (SELECT 2 AS depth UNION ALL SELECT 4 UNION ALL SELECT 6 UNION ALL SELECT 9 UNION ALL SELECT 12) d
  WHERE g.state = 'pending' GROUP BY 1, 2;

-- Each specialty of each file, in name order with its community: a list filtered by one
-- specialty reads these rows only. Written by member.c with the file; moved by this trigger.
CREATE TABLE member_tag (
  tag TEXT NOT NULL,
  name TEXT NOT NULL,
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL,
  PRIMARY KEY (tag, name, member_id)
) WITHOUT ROWID;
CREATE INDEX member_tag_member ON member_tag (member_id);

CREATE TRIGGER member_tag_move AFTER UPDATE OF community_code ON member BEGIN
  UPDATE member_tag SET community_code = COALESCE(NEW.community_code, '') WHERE member_id = NEW.id;
END;

INSERT INTO member_tag (tag, name, member_id, community_code)
  WITH RECURSIVE split(id, name, code, tag, rest) AS (
    SELECT id, name, COALESCE(community_code, ''), '', specialties || ',' FROM member WHERE specialties <> ''
    UNION ALL
    SELECT id, name, code, substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1) FROM split
    WHERE rest <> '')
  SELECT DISTINCT tag, name, id, code FROM split WHERE tag <> '';
