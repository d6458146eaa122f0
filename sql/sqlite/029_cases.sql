-- 029_cases.sql: cases (问题/诉求, issue #14): 发现问题 → 适配方案 → 服务排解 → 回访跟踪 (docs/cases.md)
-- The same tables, columns, checks and indexes as sql/postgres/029_cases.sql.

-- What a case is about, and how many working days its SLA gives from acceptance to resolution;
-- item_code: the default catalogue item a member's record of working on it carries.
CREATE TABLE case_category (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sla_days INTEGER NOT NULL CHECK (sla_days >= 1 AND sla_days <= 60),
  item_code TEXT NOT NULL,
  sort INTEGER NOT NULL
);
INSERT INTO case_category (code, name, sla_days, item_code, sort) VALUES
  ('drain', '下水道堵塞', 3, 'A01', 1),
  ('water', '供水问题', 2, 'A06', 2),
  ('environment', '环境卫生', 3, 'A01', 3),
  ('facility', '公共设施损坏', 5, 'A06', 4),
  ('safety', '安全隐患', 1, 'A06', 5),
  ('lift', '电梯故障', 2, 'A06', 6),
  ('property', '物业服务', 5, 'S05', 7),
  ('neighbour', '邻里纠纷', 5, 'S02', 8),
  ('parking', '停车与交通', 5, 'S05', 9),
  ('other', '其他', 5, 'S05', 10);

-- The working calendar the SLA counts in: legal holidays on weekdays (holiday) and weekend days worked
-- instead (调休上班: workday). A day not listed is a working day from Monday to Friday.
CREATE TABLE case_calendar (
  day TEXT PRIMARY KEY,                       -- YYYY-MM-DD
  kind TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'workday'),
  name TEXT NOT NULL DEFAULT ''               -- 春节, 国庆节 …, at most 20 characters
);

-- A case reported by a resident (channel 'self'), found by a member or grid worker on a walk ('walk') or a
-- visit ('visit'), taken by staff on the phone ('phone'), or converted from a need ('need'). States:
--   reported → accepted (triaged: category, priority, due_at) | refused (a reason, the reporter told);
--   accepted → assigned (to the responsible party) → in_progress (updates) → resolved → follow_up (回访) →
--   closed (rated 1–5, or no answer within 7 days); resolved, follow_up, closed → assigned (reopened with a
--   reason: the reporter at most twice, then staff); reported … in_progress → merged (into merged_into).
-- place (the exact flat or spot) and the reporter are never shown on the public list; private cases not at all.
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  category_code TEXT NOT NULL REFERENCES case_category(code),
  title TEXT NOT NULL,                        -- at most 40 characters
  description TEXT NOT NULL,                  -- at most 500 characters
  building_code TEXT REFERENCES region(code), -- a building of the community, or NULL
  place TEXT NOT NULL DEFAULT '',             -- at most 50 characters: the flat, the spot (never public)
  point_x INTEGER CHECK (point_x IS NULL OR (point_x >= 0 AND point_x <= 1000)), -- on the community's map, ‰
  point_y INTEGER CHECK (point_y IS NULL OR (point_y >= 0 AND point_y <= 1000)),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority = 'normal' OR priority = 'urgent'),
  private INTEGER NOT NULL DEFAULT 0 CHECK (private = 0 OR private = 1),
  channel TEXT NOT NULL CHECK (channel = 'self' OR channel = 'walk' OR channel = 'visit' OR channel = 'phone' OR
    channel = 'need'),
  reporter_account_id INTEGER REFERENCES account(id), -- follows it, rates it, reopens it
  contact_name TEXT NOT NULL DEFAULT '',      -- at most 20 characters
  contact_phone TEXT NOT NULL DEFAULT '',
  need_id INTEGER REFERENCES need(id),        -- converted from this need
  state TEXT NOT NULL CHECK (state = 'reported' OR state = 'accepted' OR state = 'refused' OR
    state = 'assigned' OR state = 'in_progress' OR state = 'resolved' OR state = 'follow_up' OR
    state = 'closed' OR state = 'merged'),
  state_reason TEXT NOT NULL DEFAULT '',      -- the refusal's or the last reopening's reason
  party_kind TEXT CHECK (party_kind IS NULL OR party_kind = 'member' OR party_kind = 'team' OR
    party_kind = 'unit' OR party_kind = 'property' OR party_kind = 'department'),
  party_member_id INTEGER REFERENCES member(id),
  party_team_id INTEGER REFERENCES team(id),
  party_unit_id INTEGER REFERENCES unit(id),
  party_name TEXT NOT NULL DEFAULT '',        -- at most 100 characters: the member's, team's, unit's name, or
                                              -- the property company's or the department's as given
  due_at INTEGER,                             -- the SLA: triage by then (reported), resolve by then (accepted …)
  accepted_at INTEGER,
  assigned_at INTEGER,
  resolved_at INTEGER,
  follow_up_at INTEGER,
  closed_at INTEGER,
  resolution TEXT NOT NULL DEFAULT '',        -- what was done, at most 500 characters
  rating INTEGER CHECK (rating IS NULL OR (rating >= 1 AND rating <= 5)),
  rating_comment TEXT NOT NULL DEFAULT '',    -- at most 200 characters
  reopens INTEGER NOT NULL DEFAULT 0,         -- by the reporter (at most 2)
  merged_into INTEGER REFERENCES cases(id),
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The staff's queue (by community and state, newest id first, keyset), the overdue and due-soon filters,
-- a building's cases, the reporter's own, the need it came from.
CREATE INDEX cases_queue ON cases (community_code, state, id);
CREATE INDEX cases_due ON cases (community_code, due_at) WHERE due_at IS NOT NULL;
CREATE INDEX cases_building ON cases (building_code, id) WHERE building_code IS NOT NULL;
CREATE INDEX cases_reporter ON cases (reporter_account_id, id) WHERE reporter_account_id IS NOT NULL;
CREATE UNIQUE INDEX cases_need ON cases (need_id) WHERE need_id IS NOT NULL;
CREATE INDEX cases_merged ON cases (merged_into) WHERE merged_into IS NOT NULL;

-- Every step and every update of a case, for its timeline; shown (public = 1) to the reporter too.
CREATE TABLE case_event (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL CHECK (kind = 'report' OR kind = 'accept' OR kind = 'refuse' OR kind = 'assign' OR
    kind = 'update' OR kind = 'resolve' OR kind = 'follow_up' OR kind = 'rate' OR kind = 'reopen' OR
    kind = 'expire' OR kind = 'merge' OR kind = 'absorb' OR kind = 'private'),
  state TEXT NOT NULL,                        -- the case's state after it
  note TEXT NOT NULL DEFAULT '',              -- at most 500 characters
  public INTEGER NOT NULL DEFAULT 1 CHECK (public = 0 OR public = 1),
  account_id INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX case_event_case ON case_event (case_id, id);

-- The members who worked on a case when it was resolved: each gets one confirmed record (source 'case').
CREATE TABLE case_worker (
  case_id INTEGER NOT NULL REFERENCES cases(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  minutes INTEGER NOT NULL CHECK (minutes >= 1 AND minutes <= 1440),
  record_id INTEGER REFERENCES record(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, member_id)
);

-- Photos of a case (list_photo.c, as a need's): with the report (stage 'ask', up to 3, while reported or
-- accepted) or with the work (stage 'done', up to 9, while assigned or in progress); files relative to the
-- photo folder, re-encoded without metadata.
CREATE TABLE case_photo (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  stage TEXT NOT NULL CHECK (stage = 'ask' OR stage = 'done'),
  file TEXT NOT NULL,
  thumb TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX case_photo_case ON case_photo (case_id, id);

-- A record may come from working on a case ('case', origin_id the case). The CHECK is edited in place as
-- in 014 and 022, at its head so that other additions at its tail do not collide.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '(source = ''activity'' OR', '(source = ''case'' OR source = ''activity'' OR')
  WHERE type = 'table' AND name = 'record';
PRAGMA writable_schema = RESET;
