-- 020_households.sql: dwellings (户) in the buildings of the region tree, and the resident accounts living there
-- The same schema as sql/postgres/020_households.sql (docs/postgres.md, Schema).

-- One dwelling: building, 单元 (unit_no, '' when the building has none), floor (NULL when not known) and room.
-- occupancy: lived (住人), vacant (空置), unknown (未核实). people: how many live there, when known (0: not known).
CREATE TABLE household (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  building_code TEXT NOT NULL REFERENCES region(code),
  unit_no TEXT NOT NULL DEFAULT '',
  floor INTEGER,
  room TEXT NOT NULL,
  occupancy TEXT NOT NULL CHECK (occupancy = 'lived' OR occupancy = 'vacant' OR occupancy = 'unknown'),
  people INTEGER NOT NULL DEFAULT 0 CHECK (people >= 0),
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER, -- an account (no key: account.household_id points here, and a move copies tables in key order)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX household_place ON household (building_code, unit_no, room);
CREATE INDEX household_community ON household (community_code, building_code);

-- A resident's account lives in one household (set by the community's staff).
ALTER TABLE account ADD COLUMN household_id INTEGER REFERENCES household(id);
CREATE INDEX account_household ON account (household_id);
