-- 030_deliberations.sql: residents' deliberations (居民议事): a question put to the households of some buildings, one vote a household
-- The same schema as sql/postgres/030_deliberations.sql (docs/postgres.md, Schema).

-- One deliberation of a community over some of its buildings (a building, or a 小区 of several). The rule is a
-- share threshold_num/threshold_den of households, of floor area or of both (basis), of all covered or of those who
-- voted (of_voting), at least or more than (threshold_strict), with a quorum of all covered that must vote
-- (quorum_num 0: none); see docs/deliberation.md. outcome is set at closing. case_id: the case it belongs to, once
-- cases land (no key yet).
CREATE TABLE deliberation (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  title TEXT NOT NULL,
  question TEXT NOT NULL DEFAULT '',
  basis TEXT NOT NULL CHECK (basis = 'households' OR basis = 'area' OR basis = 'both'),
  threshold_num INTEGER NOT NULL CHECK (threshold_num > 0),
  threshold_den INTEGER NOT NULL CHECK (threshold_den >= threshold_num AND threshold_den <= 100),
  threshold_strict INTEGER NOT NULL DEFAULT 0,
  of_voting INTEGER NOT NULL DEFAULT 0,
  quorum_num INTEGER NOT NULL DEFAULT 0 CHECK (quorum_num >= 0),
  quorum_den INTEGER NOT NULL DEFAULT 1 CHECK (quorum_den >= quorum_num AND quorum_den >= 1 AND quorum_den <= 100),
  deadline INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state = 'draft' OR state = 'open' OR state = 'closed' OR state = 'cancelled'),
  outcome TEXT CHECK (outcome IS NULL OR outcome = 'passed' OR outcome = 'failed'),
  minutes TEXT NOT NULL DEFAULT '',
  minutes_photo TEXT, -- a photo of the signed minutes: its file and thumbnail under the photo folder (docs/deliberation.md)
  minutes_thumb TEXT,
  case_id INTEGER,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  opened_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX deliberation_community ON deliberation (community_code, state);

-- The buildings it covers.
CREATE TABLE deliberation_building (
  deliberation_id INTEGER NOT NULL REFERENCES deliberation(id),
  building_code TEXT NOT NULL REFERENCES region(code),
  PRIMARY KEY (deliberation_id, building_code)
);

-- The choices, in order (2 to 6): position 1 is the proposal (同意), the one the threshold counts; by default
-- 同意, 不同意, 弃权.
CREATE TABLE deliberation_option (
  deliberation_id INTEGER NOT NULL REFERENCES deliberation(id),
  position INTEGER NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (deliberation_id, position)
);

-- Each household covered, its floor area in hundredths of a m² (NULL: not known) and its vote now (choice: an
-- option's position, NULL: none yet). One row a household: two votes at once leave one vote here.
CREATE TABLE deliberation_household (
  deliberation_id INTEGER NOT NULL REFERENCES deliberation(id),
  household_id INTEGER NOT NULL REFERENCES household(id),
  building_code TEXT NOT NULL REFERENCES region(code),
  area INTEGER CHECK (area IS NULL OR area > 0),
  choice INTEGER,
  vote_id INTEGER,
  voted_at INTEGER,
  PRIMARY KEY (deliberation_id, household_id)
);
CREATE INDEX deliberation_household_building ON deliberation_household (deliberation_id, building_code);

-- Every vote ever cast, the latest a household's: on the phone by the resident living there (channel phone), or
-- typed in by staff from a signed paper form (channel paper, note 纸质表决票 by default). account_id: who recorded it.
CREATE TABLE deliberation_vote (
  id INTEGER PRIMARY KEY,
  deliberation_id INTEGER NOT NULL REFERENCES deliberation(id),
  household_id INTEGER NOT NULL REFERENCES household(id),
  choice INTEGER NOT NULL,
  channel TEXT NOT NULL CHECK (channel = 'phone' OR channel = 'paper'),
  account_id INTEGER REFERENCES account(id),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX deliberation_vote_household ON deliberation_vote (deliberation_id, household_id);
