-- 025_duty.sql: duty rosters (值守/值班): posts, shifts, who is on them, swaps between members, units' commitments
-- The same schema as sql/postgres/025_duty.sql (docs/duty.md).

-- A duty post of a community (门岗, 防汛巡逻, 疫情卡口, 社区值班): where, and the catalogue item its records carry.
-- state: open (shifts may be added and signed up for) or closed.
CREATE TABLE duty_post (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  name TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  state TEXT NOT NULL CHECK (state = 'open' OR state = 'closed'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX duty_post_community ON duty_post (community_code, state);

-- One shift of a post: a day (YYYY-MM-DD, China time), start and end minute of that day (end may pass
-- midnight: up to 2880), places needed; starts_at and ends_at the same as Unix seconds. closed_at: staff
-- closed it after its end (0: not yet).
CREATE TABLE duty_shift (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES duty_post(id),
  day TEXT NOT NULL,
  start_min INTEGER NOT NULL CHECK (start_min >= 0 AND start_min < 1440),
  end_min INTEGER NOT NULL CHECK (end_min > start_min AND end_min - start_min <= 1440),
  places INTEGER NOT NULL CHECK (places >= 1),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  closed_at INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX duty_shift_slot ON duty_shift (post_id, day, start_min);
CREATE INDEX duty_shift_day ON duty_shift (day, post_id);

-- A member on a shift: signed (signed up), assigned (by staff), checked_in, then worked (with its record)
-- or no_show when staff close the shift; cancelled before the start. One live place per member a shift.
CREATE TABLE duty_assignment (
  id INTEGER PRIMARY KEY,
  shift_id INTEGER NOT NULL REFERENCES duty_shift(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  state TEXT NOT NULL CHECK (state = 'signed' OR state = 'assigned' OR state = 'checked_in' OR state = 'worked'
    OR state = 'no_show' OR state = 'cancelled'),
  checked_in_at INTEGER NOT NULL DEFAULT 0,
  record_id INTEGER REFERENCES record(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX duty_assignment_live ON duty_assignment (shift_id, member_id) WHERE state <> 'cancelled';
CREATE INDEX duty_assignment_member ON duty_assignment (member_id, state);

-- A swap: the asker's assignment goes to another member, who gives theirs (other_assignment_id) in exchange,
-- or nothing (a gift: NULL). asked → accepted (by the other) → approved (by staff: only then do the
-- assignments change) | refused; or declined (by the other), withdrawn (by the asker).
CREATE TABLE duty_swap (
  id INTEGER PRIMARY KEY,
  assignment_id INTEGER NOT NULL REFERENCES duty_assignment(id),
  to_member_id INTEGER NOT NULL REFERENCES member(id),
  other_assignment_id INTEGER REFERENCES duty_assignment(id),
  state TEXT NOT NULL CHECK (state = 'asked' OR state = 'accepted' OR state = 'approved' OR state = 'refused'
    OR state = 'declined' OR state = 'withdrawn'),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX duty_swap_assignment ON duty_swap (assignment_id, state);
CREATE INDEX duty_swap_to ON duty_swap (to_member_id, state);

-- A unit with a signed agreement in force commits per_day of its members a day to a post (每天一名党员).
CREATE TABLE duty_commitment (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  post_id INTEGER NOT NULL REFERENCES duty_post(id),
  per_day INTEGER NOT NULL CHECK (per_day >= 1),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX duty_commitment_one ON duty_commitment (unit_id, post_id);
