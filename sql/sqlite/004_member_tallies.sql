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

-- Files per community and state, and how many of them have no account: every count a
-- workbench shows of files is a sum over these rows, never a scan of member.
CREATE TABLE member_tally (
  community_code TEXT NOT NULL,            -- '' for a file without a community
  state TEXT NOT NULL,
  files INTEGER NOT NULL,
  without_account INTEGER NOT NULL,
  PRIMARY KEY (community_code, state)
) WITHOUT ROWID;

-- Per unit: people on its roster, and how many of them have an approved or a pending report-in.
CREATE TABLE unit_tally (
  unit_id INTEGER PRIMARY KEY REFERENCES unit(id),
  roster INTEGER NOT NULL DEFAULT 0,
  reported INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER member_tally_insert AFTER INSERT ON member BEGIN
  INSERT INTO member_tally (community_code, state, files, without_account)
    VALUES (COALESCE(NEW.community_code, ''), NEW.state, 1, NEW.account_id IS NULL)
    ON CONFLICT (community_code, state) DO UPDATE SET files = files + 1,
      without_account = without_account + excluded.without_account;
END;

CREATE TRIGGER member_tally_update AFTER UPDATE OF community_code, state, account_id ON member BEGIN
  UPDATE member_tally SET files = files - 1, without_account = without_account - (OLD.account_id IS NULL)
    WHERE community_code = COALESCE(OLD.community_code, '') AND state = OLD.state;
  INSERT INTO member_tally (community_code, state, files, without_account)
    VALUES (COALESCE(NEW.community_code, ''), NEW.state, 1, NEW.account_id IS NULL)
    ON CONFLICT (community_code, state) DO UPDATE SET files = files + 1,
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

INSERT INTO member_tally (community_code, state, files, without_account)
  SELECT COALESCE(community_code, ''), state, COUNT(*), SUM(account_id IS NULL) FROM member
  GROUP BY COALESCE(community_code, ''), state;
INSERT INTO unit_tally (unit_id, roster, reported, pending)
  SELECT e.unit_id, COUNT(*), SUM(COALESCE(m.state, '') = 'approved'), SUM(COALESCE(m.state, '') = 'pending')
  FROM roster_entry e LEFT JOIN member m ON m.id_number_hash = e.id_number_hash GROUP BY e.unit_id;

-- Report-ins waiting per community: the approval queue's badge, exact and a sum of a few rows.
CREATE TABLE registration_tally (
  community_code TEXT PRIMARY KEY,
  pending INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER registration_tally_insert AFTER INSERT ON registration WHEN NEW.state = 'pending' BEGIN
  INSERT INTO registration_tally (community_code, pending) VALUES (NEW.community_code, 1)
    ON CONFLICT (community_code) DO UPDATE SET pending = pending + 1;
END;

CREATE TRIGGER registration_tally_update AFTER UPDATE OF state ON registration
  WHEN (OLD.state = 'pending') <> (NEW.state = 'pending') BEGIN
  INSERT INTO registration_tally (community_code, pending) VALUES (NEW.community_code, NEW.state = 'pending')
    ON CONFLICT (community_code) DO UPDATE SET pending = pending + (NEW.state = 'pending') - (OLD.state = 'pending');
END;

INSERT INTO registration_tally (community_code, pending)
  SELECT community_code, COUNT(*) FROM registration WHERE state = 'pending' GROUP BY community_code;

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
