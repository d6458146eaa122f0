-- 018_needs.sql: residents' needs (需求清单): 居民点单 → 社区派单 / 党员接单 → done → confirmed and rated
-- The same tables, columns, checks and indexes on both engines (docs/lists.md, Needs).

-- A need of a resident, posted on the phone (channel 'self') or entered for them by staff (代录: 'phone',
-- 'visit', 'grid'). States:
--   submitted → accepted | refused (a reason); accepted → dispatched (派单: to a member, a team or a unit,
--   who answer) → taken (they accepted; or 接单: taken straight from accepted) → in_progress → done (a note,
--   the minutes) → closed (confirmed and rated 1–5 by the resident or staff: the member's record) | back to
--   in_progress (reopened with a reason); submitted, accepted → expired (untaken by expires_at; staff may
--   renew it) | withdrawn (the resident); any open state → converted (into a project, history kept).
-- The contact is shown only to staff in scope and to whoever holds the need.
CREATE TABLE need (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  item_id INTEGER NOT NULL REFERENCES catalog_item(id), -- what is asked for, from the community's menu
  description TEXT NOT NULL,                  -- at most 300 characters
  building_code TEXT REFERENCES region(code), -- where: a building of the community, or NULL
  place TEXT NOT NULL DEFAULT '',             -- at most 50 characters: room, landmark
  wanted_on TEXT,                             -- YYYY-MM-DD the resident would like it, or NULL (any day)
  wanted_part TEXT NOT NULL DEFAULT 'any' CHECK (wanted_part = 'any' OR wanted_part = 'morning' OR
    wanted_part = 'afternoon' OR wanted_part = 'evening'),
  urgency TEXT NOT NULL CHECK (urgency = 'normal' OR urgency = 'urgent'),
  contact_name TEXT NOT NULL,                 -- at most 20 characters
  contact_phone TEXT NOT NULL,                -- 11 digits, or a landline
  channel TEXT NOT NULL CHECK (channel = 'self' OR channel = 'phone' OR channel = 'visit' OR channel = 'grid'),
  requester_account_id INTEGER REFERENCES account(id), -- the resident's account: follows, confirms, rates
  state TEXT NOT NULL CHECK (state = 'submitted' OR state = 'accepted' OR state = 'refused' OR
    state = 'dispatched' OR state = 'taken' OR state = 'in_progress' OR state = 'done' OR state = 'closed' OR
    state = 'expired' OR state = 'withdrawn' OR state = 'converted'),
  state_reason TEXT NOT NULL DEFAULT '',      -- the last refusal, decline, reopening or withdrawal: why
  assignee_kind TEXT CHECK (assignee_kind IS NULL OR assignee_kind = 'member' OR assignee_kind = 'team' OR
    assignee_kind = 'unit'),
  assignee_member_id INTEGER REFERENCES member(id), -- the member, or the team's leader, who serves
  assignee_team_id INTEGER REFERENCES team(id),
  assignee_unit_id INTEGER REFERENCES unit(id),
  assignee_account_id INTEGER REFERENCES account(id), -- the account that answers, starts and finishes it
  assignee_name TEXT NOT NULL DEFAULT '',
  expires_at INTEGER NOT NULL,                -- untaken by then: expired
  accepted_at INTEGER,
  dispatched_at INTEGER,
  taken_at INTEGER,
  done_at INTEGER,
  done_note TEXT NOT NULL DEFAULT '',         -- at most 300 characters
  minutes INTEGER CHECK (minutes IS NULL OR (minutes >= 1 AND minutes <= 1440)),
  rating INTEGER CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),
  rating_comment TEXT NOT NULL DEFAULT '',    -- at most 200 characters
  closed_at INTEGER,
  record_id INTEGER REFERENCES record(id),    -- the serving member's confirmed record (source need)
  project_id INTEGER REFERENCES project(id),  -- converted into this project
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The staff's queue (community, state, oldest first), the resident's own, a member's tasks.
CREATE INDEX need_community ON need (community_code, state, id);
CREATE INDEX need_requester ON need (requester_account_id, id) WHERE requester_account_id IS NOT NULL;
CREATE INDEX need_assignee ON need (assignee_account_id, state) WHERE assignee_account_id IS NOT NULL;
CREATE INDEX need_member ON need (assignee_member_id, state) WHERE assignee_member_id IS NOT NULL;
CREATE INDEX need_expiry ON need (expires_at) WHERE state = 'submitted' OR state = 'accepted';

-- Every step of a need, for its timeline (GET /needs/{id}); the audit log has each too.
CREATE TABLE need_event (
  id INTEGER PRIMARY KEY,
  need_id INTEGER NOT NULL REFERENCES need(id),
  kind TEXT NOT NULL CHECK (kind = 'submit' OR kind = 'accept' OR kind = 'refuse' OR kind = 'dispatch' OR
    kind = 'take' OR kind = 'answer' OR kind = 'decline' OR kind = 'start' OR kind = 'done' OR
    kind = 'confirm' OR kind = 'reopen' OR kind = 'expire' OR kind = 'renew' OR kind = 'withdraw' OR
    kind = 'convert'),
  state TEXT NOT NULL,                        -- the need's state after it
  note TEXT NOT NULL DEFAULT '',              -- a reason, a note, whom it went to
  account_id INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX need_event_need ON need_event (need_id, id);

-- The extra fields of the need's catalogue item (送餐份数, 服务人数 …) as its holder filled them when done:
-- the member's record carries them when the need is confirmed.
CREATE TABLE need_value (
  id INTEGER PRIMARY KEY,
  need_id INTEGER NOT NULL REFERENCES need(id),
  name TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX need_value_need ON need_value (need_id, id);
