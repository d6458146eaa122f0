-- 002_members.sql: member files (一人一档), report-ins and their timeline, the specialty list

-- One file per person. The ID number is stored sealed (encrypted), with a keyed hash
-- for finding duplicates and a masked copy for display; never in clear.
CREATE TABLE member (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('M','F')),
  birth_date TEXT NOT NULL,                      -- YYYY-MM-DD, from the ID number
  phone TEXT NOT NULL,
  id_number_sealed TEXT NOT NULL,
  id_number_hash TEXT NOT NULL UNIQUE,
  id_number_masked TEXT NOT NULL,
  unit_id INTEGER REFERENCES unit(id),
  position TEXT NOT NULL DEFAULT '',
  party_branch TEXT NOT NULL DEFAULT '',         -- the member's party branch in the unit
  joined_party_on TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD or ''
  community_code TEXT REFERENCES region(code),   -- where the member lives (the active report-in's community)
  building_code TEXT REFERENCES region(code),
  address TEXT NOT NULL DEFAULT '',
  specialties TEXT NOT NULL DEFAULT '',          -- tags joined by ','
  preferred_posts TEXT NOT NULL DEFAULT '',
  plaque_hung INTEGER NOT NULL DEFAULT 0,        -- 党员户 plaque on the door
  plaque_on TEXT NOT NULL DEFAULT '',
  roster_verified INTEGER NOT NULL DEFAULT 0,    -- found on the unit's roster
  account_id INTEGER UNIQUE REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX member_unit ON member (unit_id);
CREATE INDEX member_community ON member (community_code);

-- Each report-in: pending -> approved | rejected | withdrawn; approved -> left | transferred.
CREATE TABLE registration (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL REFERENCES region(code),
  state TEXT NOT NULL CHECK (state IN ('pending','approved','rejected','withdrawn','left','transferred')),
  channel TEXT NOT NULL CHECK (channel IN ('self','unit','staff')),
  transfer_from INTEGER REFERENCES registration(id),
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by INTEGER REFERENCES account(id)
);
CREATE INDEX registration_member ON registration (member_id, id);
CREATE INDEX registration_community ON registration (community_code, state);
CREATE UNIQUE INDEX registration_one_pending ON registration (member_id) WHERE state = 'pending';
CREATE UNIQUE INDEX registration_one_active ON registration (member_id) WHERE state = 'approved';

-- The timeline of a member's file: every state change, who made it, and why.
CREATE TABLE registration_event (
  id INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registration(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  at INTEGER NOT NULL,
  account_id INTEGER,
  event TEXT NOT NULL,
  community_code TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX registration_event_member ON registration_event (member_id, id);

-- Specialties members can be tagged with; a city may add its own.
CREATE TABLE specialty (
  name TEXT PRIMARY KEY,
  sort INTEGER NOT NULL
);
INSERT INTO specialty (name, sort) VALUES
  ('医疗', 1), ('法律', 2), ('教育', 3), ('水电维修', 4), ('摄影', 5), ('心理咨询', 6),
  ('文艺', 7), ('理发', 8), ('家电维修', 9), ('电脑网络', 10), ('财会', 11), ('书法', 12),
  ('体育健身', 13), ('养老护理', 14), ('驾驶', 15), ('外语', 16);

-- Why something was done (the reason given for revealing an ID number, say).
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
