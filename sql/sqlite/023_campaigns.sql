-- 023_campaigns.sql: door-to-door campaigns (入户宣传/走访/排查): buildings walked by one member each, every household marked
-- The same schema as sql/postgres/023_campaigns.sql (docs/postgres.md, Schema).

-- A campaign of a community or a street (region_code) over some of its buildings. item_id: the catalogue item of
-- the service records its walks become; its short form asked at each door is campaign_field.
CREATE TABLE campaign (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES region(code),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  state TEXT NOT NULL CHECK (state = 'draft' OR state = 'active' OR state = 'closed'),
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX campaign_region ON campaign (region_code, state);

-- The questions asked at each door (at most 8), as a catalogue item's extra fields (catalog_field).
CREATE TABLE campaign_field (
  campaign_id INTEGER NOT NULL REFERENCES campaign(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type = 'text' OR type = 'number' OR type = 'date' OR type = 'choice' OR type = 'choices'),
  required INTEGER NOT NULL DEFAULT 0,
  choices TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (campaign_id, position)
);

-- A stretch one member walks: a building, or one 单元 of it (unit_no; '' the whole building). The counts are kept
-- with every mark, so coverage is read from these rows alone; households = todo + the four marks.
CREATE TABLE campaign_stretch (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaign(id),
  building_code TEXT NOT NULL REFERENCES region(code),
  unit_no TEXT NOT NULL DEFAULT '',
  member_id INTEGER REFERENCES member(id),
  households INTEGER NOT NULL DEFAULT 0,
  todo INTEGER NOT NULL DEFAULT 0,
  visited INTEGER NOT NULL DEFAULT 0,
  absent INTEGER NOT NULL DEFAULT 0,
  declined INTEGER NOT NULL DEFAULT 0,
  empty INTEGER NOT NULL DEFAULT 0,
  record_id INTEGER REFERENCES record(id),
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX campaign_stretch_place ON campaign_stretch (campaign_id, building_code, unit_no);
CREATE INDEX campaign_stretch_member ON campaign_stretch (member_id, campaign_id);

-- Each household of a campaign and its latest mark: todo, visited (form filled), absent (nobody home: to revisit),
-- declined, empty. visited, declined and empty are final.
CREATE TABLE campaign_household (
  campaign_id INTEGER NOT NULL REFERENCES campaign(id),
  household_id INTEGER NOT NULL REFERENCES household(id),
  stretch_id INTEGER NOT NULL REFERENCES campaign_stretch(id),
  state TEXT NOT NULL CHECK (state = 'todo' OR state = 'visited' OR state = 'absent' OR state = 'declined' OR state = 'empty'),
  marks INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, household_id)
);
CREATE INDEX campaign_household_stretch ON campaign_household (stretch_id);

-- Every mark is kept: two members at one door at once leave two marks, the later one the household's state.
CREATE TABLE campaign_mark (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaign(id),
  household_id INTEGER NOT NULL REFERENCES household(id),
  account_id INTEGER REFERENCES account(id),
  member_id INTEGER REFERENCES member(id),
  mark TEXT NOT NULL CHECK (mark = 'visited' OR mark = 'absent' OR mark = 'declined' OR mark = 'empty'),
  note TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX campaign_mark_household ON campaign_mark (campaign_id, household_id);

-- A visited mark's answers to the form, one row a question answered.
CREATE TABLE campaign_answer (
  mark_id INTEGER NOT NULL REFERENCES campaign_mark(id),
  position INTEGER NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (mark_id, position)
);
