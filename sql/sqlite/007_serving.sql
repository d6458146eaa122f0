-- 007_serving.sql: serving: the service catalogue, posts, teams, activities with sign-ups and attendance, service records

-- The catalogue (服务项目目录): sub-items of four categories. The default list applies everywhere
-- (region_code NULL); an org of a district or a street adds items for its subtree (never changes
-- the default's). What a community offers: the default and what its ancestors added.
CREATE TABLE catalog_item (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL CHECK (category IN ('welfare', 'post', 'activity', 'affairs')), -- 公益类 岗位类 活动类 事务类
  code TEXT NOT NULL,                        -- 'G01'…: shown in lists and spreadsheets
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  region_code TEXT REFERENCES region(code),  -- NULL: the default list; else the city, district or street that added it
  sort INTEGER NOT NULL DEFAULT 0,
  retired_at INTEGER NOT NULL DEFAULT 0,     -- no longer offered (its records keep it)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX catalog_item_code ON catalog_item (COALESCE(region_code, ''), code);
CREATE INDEX catalog_item_region ON catalog_item (region_code, category, sort);

-- The extra fields a record of an item must fill (e.g. 送餐份数 for 长者送餐), in order.
CREATE TABLE catalog_field (
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'choice', 'choices')),
  required INTEGER NOT NULL DEFAULT 0,
  choices TEXT NOT NULL DEFAULT '',          -- for choice and choices: one choice per line
  PRIMARY KEY (item_id, position)
);

-- Guangzhou's list has 26 sub-items in four categories (seed 004); these are the city default.
INSERT INTO catalog_item (category, code, name, description, sort, created_at) VALUES
  ('welfare', 'G01', '长者送餐', '为独居、高龄老人送餐上门', 1, 0),
  ('welfare', 'G02', '助老陪伴', '上门陪伴聊天、协助料理家务', 2, 0),
  ('welfare', 'G03', '课后托管（“430”课堂）', '放学后（下午四点半起）的课业辅导与看护', 3, 0),
  ('welfare', 'G04', '义诊', '健康咨询、量血压、测血糖', 4, 0),
  ('welfare', 'G05', '法律咨询', '解答居民的法律问题', 5, 0),
  ('welfare', 'G06', '心理疏导', '倾听与心理支持', 6, 0),
  ('welfare', 'G07', '义务理发', '为老人、残疾人理发', 7, 0),
  ('welfare', 'G08', '家电维修', '为困难家庭维修家电、水电', 8, 0),
  ('welfare', 'G09', '结对帮扶', '与困难家庭、独居老人结对，定期走访、帮办实事', 9, 0),
  ('post', 'P01', '楼栋长', '联系一栋楼的住户，了解情况、传达通知', 1, 0),
  ('post', 'P02', '垃圾分类督导员', '定时定点督导垃圾分类投放', 2, 0),
  ('post', 'P03', '文明劝导员', '劝导不文明行为', 3, 0),
  ('post', 'P04', '门岗值守', '小区出入口值守登记', 4, 0),
  ('post', 'P05', '防汛巡逻', '汛期巡查隐患、劝离危险区域', 5, 0),
  ('post', 'P06', '平安巡逻', '夜间巡逻，发现安全隐患', 6, 0),
  ('activity', 'A01', '环境整治', '清理卫生死角、楼道杂物', 1, 0),
  ('activity', 'A02', '政策宣讲', '宣讲惠民政策、党的理论', 2, 0),
  ('activity', 'A03', '入户宣传', '入户宣传、走访了解情况', 3, 0),
  ('activity', 'A04', '文体活动', '组织文艺演出、体育活动', 4, 0),
  ('activity', 'A05', '党员义务奉献日', '集中开展志愿服务', 5, 0),
  ('activity', 'A06', '安全隐患排查', '排查消防通道、燃气、用电等安全隐患', 6, 0),
  ('affairs', 'S01', '社区议事', '参与居民议事、协商社区事务', 1, 0),
  ('affairs', 'S02', '矛盾调解', '调解邻里纠纷', 2, 0),
  ('affairs', 'S03', '信息采集', '协助人口、房屋信息采集', 3, 0),
  ('affairs', 'S04', '疫情防控', '协助核酸检测、排查登记', 4, 0),
  ('affairs', 'S05', '社情民意收集', '收集居民的意见建议，反映给社区', 5, 0);
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '送餐份数', 'number', 1, '' FROM catalog_item WHERE code = 'G01' AND region_code IS NULL;
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '服务对象', 'text', 1, '' FROM catalog_item WHERE code = 'G02' AND region_code IS NULL;
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '托管学生数', 'number', 1, '' FROM catalog_item WHERE code = 'G03' AND region_code IS NULL;
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '服务人数', 'number', 1, '' FROM catalog_item WHERE code = 'G04' AND region_code IS NULL;
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '咨询类别', 'choices', 0, '婚姻家庭' || char(10) || '劳动争议' || char(10) || '邻里纠纷' || char(10) || '其他'
  FROM catalog_item WHERE code = 'G05' AND region_code IS NULL;
INSERT INTO catalog_field (item_id, position, name, type, required, choices)
  SELECT id, 1, '走访户数', 'number', 1, '' FROM catalog_item WHERE code = 'A03' AND region_code IS NULL;

-- Posts (岗位): standing roles a community offers, claimed and left with the staff's approval.
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  place_code TEXT REFERENCES region(code),   -- a grid or building of the community; NULL: the whole community
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  name TEXT NOT NULL,
  duties TEXT NOT NULL DEFAULT '',
  places INTEGER NOT NULL CHECK (places > 0), -- how many may hold it at once
  starts_on TEXT NOT NULL,                   -- YYYY-MM-DD
  ends_on TEXT NOT NULL DEFAULT '',          -- '' open-ended
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  close_reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX post_community ON post (community_code, state, id);
CREATE INDEX post_item ON post (item_id, state);

-- A member's claim of a post, and what became of it. The places a post has are never exceeded:
-- holding and leaving count against them, decided inside the approving write transaction.
CREATE TABLE post_holder (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES post(id),
  community_code TEXT NOT NULL REFERENCES region(code), -- the post's: the staff's queue is one index range
  member_id INTEGER NOT NULL REFERENCES member(id),
  -- applied → holding | refused | withdrawn; holding → leaving (asked to leave) → left, or back to holding
  -- (leave refused); holding → left (ended by staff)
  state TEXT NOT NULL CHECK (state IN ('applied', 'holding', 'refused', 'withdrawn', 'leaving', 'left')),
  note TEXT NOT NULL DEFAULT '',             -- the member's: why they claim it
  reason TEXT NOT NULL DEFAULT '',           -- the member's: why they ask to leave
  answer TEXT NOT NULL DEFAULT '',           -- the staff's: why a claim or a leave was refused, why a holding ended
  applied_at INTEGER NOT NULL,
  decided_at INTEGER,                        -- the claim approved or refused
  decided_by INTEGER REFERENCES account(id), -- the last staff decision
  leave_at INTEGER,                          -- asked to leave
  left_at INTEGER
);
CREATE UNIQUE INDEX post_holder_open ON post_holder (post_id, member_id) WHERE state IN ('applied', 'holding', 'leaving');
CREATE INDEX post_holder_member ON post_holder (member_id, state);
CREATE INDEX post_holder_post ON post_holder (post_id, state);
CREATE INDEX post_holder_queue ON post_holder (community_code, state, id);

-- Teams (党员服务队/突击队) by specialty, of a community or a street, with a leader.
CREATE TABLE team (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES region(code), -- a community or a street
  name TEXT NOT NULL,
  specialty TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  leader_id INTEGER REFERENCES member(id),   -- always one of its members (state 'member'), or NULL
  state TEXT NOT NULL CHECK (state IN ('active', 'disbanded')),
  reason TEXT NOT NULL DEFAULT '',           -- why it was disbanded
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX team_name ON team (region_code, name) WHERE state = 'active';
CREATE INDEX team_region ON team (region_code, state, id);

CREATE TABLE team_member (
  id INTEGER PRIMARY KEY,
  team_id INTEGER NOT NULL REFERENCES team(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  -- applied → member | refused | withdrawn; member → left (by the member) | removed (by staff)
  state TEXT NOT NULL CHECK (state IN ('applied', 'member', 'refused', 'withdrawn', 'left', 'removed')),
  note TEXT NOT NULL DEFAULT '',             -- the member's: why they apply, why they leave
  reason TEXT NOT NULL DEFAULT '',           -- the staff's or the leader's: why refused or removed
  applied_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by INTEGER REFERENCES account(id),
  left_at INTEGER
);
CREATE UNIQUE INDEX team_member_open ON team_member (team_id, member_id) WHERE state IN ('applied', 'member');
CREATE INDEX team_member_member ON team_member (member_id, state);
CREATE INDEX team_member_team ON team_member (team_id, state, id);

-- Activities: one row per occurrence; a recurring series shares series_id (the first occurrence's id).
-- version moves with every change of the activity or of its sign-ups and attendance: a sheet that
-- polls asks whether it moved (docs/serving.md, "Check-in and check-out").
CREATE TABLE activity (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code), -- where it takes place, whose staff run it
  organiser TEXT NOT NULL CHECK (organiser IN ('community', 'team', 'unit')),
  team_id INTEGER REFERENCES team(id),
  unit_id INTEGER REFERENCES unit(id),       -- a unit's activity, together with its partner community
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL,
  building_code TEXT REFERENCES region(code),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
  signup_deadline INTEGER NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity > 0), -- places; then a waiting list
  audience TEXT NOT NULL CHECK (audience IN ('community', 'street', 'city')),
  specialties TEXT NOT NULL DEFAULT '',      -- wanted, joined by ','
  minutes_cap INTEGER NOT NULL CHECK (minutes_cap > 0), -- the most minutes one attendance credits
  series_id INTEGER REFERENCES activity(id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'cancelled', 'closed')),
  cancel_reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  closed_at INTEGER
);
CREATE INDEX activity_community ON activity (community_code, starts_at); -- a community's calendar
CREATE INDEX activity_starts ON activity (starts_at);                    -- a district's or the city's
CREATE INDEX activity_series ON activity (series_id) WHERE series_id IS NOT NULL;
CREATE INDEX activity_team ON activity (team_id, starts_at) WHERE team_id IS NOT NULL;
CREATE INDEX activity_unit ON activity (unit_id, starts_at) WHERE unit_id IS NOT NULL;
-- What a member may still sign up for: published ones only (closed and cancelled ones leave these indexes).
CREATE INDEX activity_open_here ON activity (community_code, ends_at) WHERE state = 'published';
CREATE INDEX activity_open_city ON activity (audience, ends_at) WHERE state = 'published';

-- A member's sign-up, and what became of it: the waiting list, a leave, the check-in and check-out.
CREATE TABLE signup (
  id INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activity(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  state TEXT NOT NULL CHECK (state IN ('signed', 'waiting', 'cancelled')),
  seq INTEGER NOT NULL,                      -- order of arrival: who moves up from the waiting list
  leave TEXT NOT NULL DEFAULT '' CHECK (leave IN ('', 'asked', 'approved', 'refused')),
  leave_reason TEXT NOT NULL DEFAULT '',
  leave_answer TEXT NOT NULL DEFAULT '',
  checkin_at INTEGER,
  checkin_by TEXT CHECK (checkin_by IN ('qr', 'poster', 'staff')),
  checkout_at INTEGER,
  checkout_by TEXT CHECK (checkout_by IN ('qr', 'poster', 'staff')),
  until_end INTEGER NOT NULL DEFAULT 0,      -- staff confirm that one who did not check out stayed to the end
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK (checkout_at IS NULL OR checkin_at IS NOT NULL)
);
CREATE UNIQUE INDEX signup_one ON signup (activity_id, member_id) WHERE state <> 'cancelled';
CREATE UNIQUE INDEX signup_seq ON signup (activity_id, seq);
CREATE INDEX signup_activity ON signup (activity_id, state, seq);
CREATE INDEX signup_member ON signup (member_id, id);

-- What happened to a sign-up, for the member and the staff: signed, waiting, promoted, cancelled, leave
-- asked and answered, the activity changed or cancelled (with its reason), checked in and out, ticked by
-- staff, recorded. Until notifications exist (issue #15) this is what a member is told.
CREATE TABLE signup_event (
  id INTEGER PRIMARY KEY,
  signup_id INTEGER NOT NULL REFERENCES signup(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  at INTEGER NOT NULL,
  account_id INTEGER REFERENCES account(id),
  event TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signup_event_signup ON signup_event (signup_id, id);
CREATE INDEX signup_event_member ON signup_event (member_id, id);

-- Service records (服务记录): one per service, pending until the community confirms it (盖章).
-- A confirmed record never changes: a correction is a new record that names it and carries the
-- difference in minutes (which may be negative), confirmed in its turn.
CREATE TABLE record (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL REFERENCES region(code), -- whose staff confirm it
  item_id INTEGER NOT NULL REFERENCES catalog_item(id),
  source TEXT NOT NULL CHECK (source IN ('activity', 'post', 'self', 'staff', 'correction')),
  activity_id INTEGER REFERENCES activity(id),
  post_id INTEGER REFERENCES post(id),
  corrects_id INTEGER REFERENCES record(id),
  started_at INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  -- pending → confirmed (盖章) | rejected (with a reason) | withdrawn (by the member, a report of their own)
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected', 'withdrawn')),
  reason TEXT NOT NULL DEFAULT '',           -- why rejected, why the minutes were corrected, why a correction
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES account(id),
  decided_at INTEGER
);
CREATE INDEX record_queue ON record (community_code, state, started_at, id);
CREATE INDEX record_state ON record (state, started_at, id, community_code); -- a district's or the city's queue
CREATE INDEX record_member ON record (member_id, started_at, id);
CREATE INDEX record_activity ON record (activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX record_post ON record (post_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX record_attendance ON record (activity_id, member_id) WHERE source = 'activity';
CREATE INDEX record_corrects ON record (corrects_id) WHERE corrects_id IS NOT NULL;

-- The extra fields of a record, as its item asks for them.
CREATE TABLE record_field (
  record_id INTEGER NOT NULL REFERENCES record(id),
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (record_id, name)
);

-- Photos of a record: re-encoded (no metadata) and stored under the database's folder.
CREATE TABLE record_photo (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id),
  file TEXT NOT NULL,                        -- relative to the photo folder
  thumb TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX record_photo_record ON record_photo (record_id, id);

-- Every change of a record, for its timeline: created, corrected, confirmed, rejected, asked, answered.
CREATE TABLE record_event (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id),
  at INTEGER NOT NULL,
  account_id INTEGER REFERENCES account(id),
  event TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX record_event_record ON record_event (record_id, id);

-- A member asks for a confirmed record to be corrected (《志愿服务记录与证明出具办法》): staff answer.
CREATE TABLE record_request (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  reason TEXT NOT NULL,
  minutes INTEGER,                           -- what the member says it should be, if about minutes
  state TEXT NOT NULL CHECK (state IN ('asked', 'accepted', 'declined')),
  answer TEXT NOT NULL DEFAULT '',
  correction_id INTEGER REFERENCES record(id), -- the correction made when accepted
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES account(id),
  decided_at INTEGER
);
CREATE UNIQUE INDEX record_request_open ON record_request (record_id) WHERE state = 'asked';
CREATE INDEX record_request_record ON record_request (record_id, id);
CREATE INDEX record_request_state ON record_request (state, id);
