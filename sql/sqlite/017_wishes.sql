-- 017_wishes.sql: micro-wishes (微心愿) of a community: 寻梦 (entered by staff) → 揽梦 (claimed) → 圆梦 (fulfilled, confirmed)
-- The same tables, columns, checks and indexes on both engines (docs/lists.md, Micro-wishes).

-- A small wish of a beneficiary (a resident, often on the care register), entered by the community's
-- staff with the beneficiary's consent to be published. States:
--   submitted → approved | refused; approved → published (until publish_until) → expired (staff may
--   publish it again); published → claimed (one member, team or unit wins) → released (published again)
--   | fulfilled → confirmed (the beneficiary or staff; the member's record and the wish bonus) → closed.
-- claimer_kind says who holds a claim: a member (claimer_member_id), a team (claimer_team_id, its
-- leader claimed it) or a unit (claimer_unit_id, its administrator claimed it).
CREATE TABLE wish (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  beneficiary_name TEXT NOT NULL,             -- at most 20 characters; masked (王*) on the public wall
  beneficiary_account_id INTEGER REFERENCES account(id), -- the resident's account, who may confirm
  consent INTEGER NOT NULL CHECK (consent = 1),     -- the beneficiary agreed to be published
  title TEXT NOT NULL,                        -- at most 50 characters
  description TEXT NOT NULL DEFAULT '',       -- at most 300 characters
  value_cap INTEGER CHECK (value_cap IS NULL OR (value_cap >= 1 AND value_cap <= 10000)), -- yuan
  state TEXT NOT NULL CHECK (state = 'submitted' OR state = 'approved' OR state = 'refused' OR
    state = 'published' OR state = 'expired' OR state = 'claimed' OR state = 'fulfilled' OR state = 'closed'),
  refuse_reason TEXT NOT NULL DEFAULT '',
  publish_until INTEGER,                          -- the wall shows it until then
  claimer_kind TEXT CHECK (claimer_kind IS NULL OR claimer_kind = 'member' OR claimer_kind = 'team' OR
    claimer_kind = 'unit'),
  claimer_member_id INTEGER REFERENCES member(id),  -- the member, or the team's leader, who claimed it
  claimer_team_id INTEGER REFERENCES team(id),
  claimer_unit_id INTEGER REFERENCES unit(id),
  claimer_account_id INTEGER REFERENCES account(id), -- the account that claimed it (may release and fulfil)
  claimer_name TEXT NOT NULL DEFAULT '',      -- shown to a loser of the race
  claimed_at INTEGER,
  claim_until INTEGER,                            -- claimed_at + 3 days: the claimer may release it until then
  fulfil_note TEXT NOT NULL DEFAULT '',       -- at most 300 characters
  value_spent INTEGER CHECK (value_spent IS NULL OR value_spent >= 0), -- yuan, never over value_cap
  minutes INTEGER CHECK (minutes IS NULL OR (minutes >= 1 AND minutes <= 1440)),
  fulfilled_at INTEGER,
  confirmed_at INTEGER,
  confirmed_by INTEGER REFERENCES account(id),
  record_id INTEGER REFERENCES record(id),        -- the fulfilling member's confirmed record (source wish)
  bonus_id INTEGER REFERENCES bonus(id),          -- the wish bonus given on confirmation
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The staff's list (community, state) and the public wall (community, state, newest first).
CREATE INDEX wish_community ON wish (community_code, state, id);
CREATE INDEX wish_claimer ON wish (claimer_member_id, state);
CREATE INDEX wish_beneficiary ON wish (beneficiary_account_id) WHERE beneficiary_account_id IS NOT NULL;

-- Every transition of a wish, for its timeline (GET /wishes/{id}); the audit log has each too.
CREATE TABLE wish_event (
  id INTEGER PRIMARY KEY,
  wish_id INTEGER NOT NULL REFERENCES wish(id),
  kind TEXT NOT NULL CHECK (kind = 'submit' OR kind = 'approve' OR kind = 'refuse' OR kind = 'publish' OR
    kind = 'expire' OR kind = 'claim' OR kind = 'release' OR kind = 'fulfil' OR kind = 'confirm'),
  state TEXT NOT NULL,                        -- the wish's state after it
  note TEXT NOT NULL DEFAULT '',
  account_id INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX wish_event_wish ON wish_event (wish_id, id);
