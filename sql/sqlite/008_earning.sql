-- 008_earning.sql: what service earns: rule versions, the points and hours ledgers, standings

-- Rules (积分规则): versions set by an org for its region (NULL: the default everywhere), each in
-- force from a day on. The version that prices a service is the one in force on the service's day
-- at the nearest region above its community; a version is never changed, a change is a new version.
-- Points are whole points; a service earns per_service plus per_hour for each full hour's share
-- (minutes × per_hour / 60, rounded down), at most cap_record, and a member at most cap_day a day.
CREATE TABLE rule_version (
  id INTEGER PRIMARY KEY,
  region_code TEXT REFERENCES region(code),
  effective_on TEXT NOT NULL,                 -- YYYY-MM-DD (China time)
  welfare_per_service INTEGER NOT NULL, welfare_per_hour INTEGER NOT NULL,   -- 公益类
  post_per_service INTEGER NOT NULL, post_per_hour INTEGER NOT NULL,         -- 岗位类
  activity_per_service INTEGER NOT NULL, activity_per_hour INTEGER NOT NULL, -- 活动类
  affairs_per_service INTEGER NOT NULL, affairs_per_hour INTEGER NOT NULL,   -- 事务类
  cap_record INTEGER NOT NULL,                -- 0: no cap
  cap_day INTEGER NOT NULL,                   -- 0: no cap
  bonus_wish INTEGER NOT NULL,                -- a fulfilled micro-wish (微心愿)
  bonus_post INTEGER NOT NULL,                -- a post held for a whole half-year
  bonus_lead INTEGER NOT NULL,                -- leading an activity
  -- A half-year's tiers: at least that many points and that many services.
  qualified_points INTEGER NOT NULL, qualified_services INTEGER NOT NULL,   -- 合格
  excellent_points INTEGER NOT NULL, excellent_services INTEGER NOT NULL,   -- 优秀
  pioneer_points INTEGER NOT NULL, pioneer_services INTEGER NOT NULL,       -- 先锋
  year_min_services INTEGER NOT NULL,         -- below it a member is flagged to their unit
  -- A year's stars: by points (star1..star5 the least points for 1..5 stars) or by shares of the
  -- district's ranking (star5..star1 the percent of members given 5..1 stars, ties kept together).
  star_mode TEXT NOT NULL CHECK (star_mode IN ('thresholds', 'shares')),
  star1 INTEGER NOT NULL, star2 INTEGER NOT NULL, star3 INTEGER NOT NULL, star4 INTEGER NOT NULL,
  star5 INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX rule_version_region ON rule_version (COALESCE(region_code, ''), effective_on, id);

INSERT INTO rule_version (region_code, effective_on, welfare_per_service, welfare_per_hour, post_per_service,
  post_per_hour, activity_per_service, activity_per_hour, affairs_per_service, affairs_per_hour, cap_record,
  cap_day, bonus_wish, bonus_post, bonus_lead, qualified_points, qualified_services, excellent_points,
  excellent_services, pioneer_points, pioneer_services, year_min_services, star_mode, star1, star2, star3,
  star4, star5, note, created_at)
VALUES (NULL, '2000-01-01', 1, 2, 1, 1, 1, 2, 1, 1, 10, 20, 5, 10, 3, 6, 1, 20, 3, 40, 6, 2, 'shares', 10, 20,
  30, 30, 10, '默认规则：每次服务 1 分，另按时长每小时 1–2 分', 0);

-- The ledgers (积分账本, 时间银行): double-entry and append-only. An account holds points or hours
-- (in minutes): a member's; a person's time-bank account (hours given to a resident or a relative
-- with an account); a community's issue account (what it gave out: negative) and its rewards shelf
-- (爱心超市: points spent there). balance is the sum of the account's entries, kept with them.
CREATE TABLE ledger_account (
  id INTEGER PRIMARY KEY,
  book TEXT NOT NULL CHECK (book IN ('points', 'hours')),
  kind TEXT NOT NULL CHECK (kind IN ('member', 'person', 'issue', 'shelf')),
  member_id INTEGER REFERENCES member(id),
  account_id INTEGER REFERENCES account(id),
  region_code TEXT REFERENCES region(code),
  balance INTEGER NOT NULL DEFAULT 0,
  CHECK ((kind = 'member') = (member_id IS NOT NULL) AND (kind = 'person') = (account_id IS NOT NULL) AND
         (kind IN ('issue', 'shelf')) = (region_code IS NOT NULL))
);
CREATE UNIQUE INDEX ledger_account_owner ON ledger_account
  (book, kind, COALESCE(member_id, 0), COALESCE(account_id, 0), COALESCE(region_code, ''));

-- A movement: entries that sum to zero, its source, the rule version that priced it, what it
-- corrects, who caused it and when. day is the day it counts for in standings (the service's).
CREATE TABLE ledger_movement (
  id INTEGER PRIMARY KEY,
  book TEXT NOT NULL CHECK (book IN ('points', 'hours')),
  source TEXT NOT NULL CHECK (source IN ('record', 'bonus', 'redemption', 'gift', 'correction')),
  member_id INTEGER REFERENCES member(id),    -- whose standing it moves (NULL: none)
  record_id INTEGER REFERENCES record(id),    -- the confirmed record (or correction) it prices
  rule_id INTEGER REFERENCES rule_version(id),
  corrects_id INTEGER REFERENCES ledger_movement(id),
  day TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX ledger_movement_member ON ledger_movement (member_id, book, id) WHERE member_id IS NOT NULL;
CREATE INDEX ledger_movement_record ON ledger_movement (record_id, book) WHERE record_id IS NOT NULL;

CREATE TABLE ledger_entry (
  movement_id INTEGER NOT NULL REFERENCES ledger_movement(id),
  account_id INTEGER NOT NULL REFERENCES ledger_account(id),
  amount INTEGER NOT NULL CHECK (amount <> 0),
  PRIMARY KEY (movement_id, account_id)
) WITHOUT ROWID;
CREATE INDEX ledger_entry_account ON ledger_entry (account_id, movement_id);

CREATE TRIGGER ledger_entry_kept BEFORE UPDATE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed'); END;
CREATE TRIGGER ledger_entry_stays BEFORE DELETE ON ledger_entry
BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted'); END;
CREATE TRIGGER ledger_movement_kept BEFORE UPDATE ON ledger_movement
BEGIN SELECT RAISE(ABORT, 'ledger movements are never changed'); END;
CREATE TRIGGER ledger_movement_stays BEFORE DELETE ON ledger_movement
BEGIN SELECT RAISE(ABORT, 'ledger movements are never deleted'); END;

-- The points a member earned on a day (for the rule's daily cap).
CREATE TABLE earning_day (
  member_id INTEGER NOT NULL REFERENCES member(id),
  day TEXT NOT NULL,
  points INTEGER NOT NULL,
  PRIMARY KEY (member_id, day)
) WITHOUT ROWID;

-- Standings: a member's points, hours (minutes) and services in a half-year ('2026H2') or a year
-- ('2026'), kept as movements land, where they were earned (the community of the latest), with the
-- half-year's tier. Rankings read these, never the ledger.
CREATE TABLE standing (
  period TEXT NOT NULL,
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL REFERENCES region(code),
  street_code TEXT NOT NULL,
  district_code TEXT NOT NULL,
  city_code TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 0,
  minutes INTEGER NOT NULL DEFAULT 0,
  services INTEGER NOT NULL DEFAULT 0,
  tier TEXT NOT NULL DEFAULT '' CHECK (tier IN ('', 'qualified', 'excellent', 'pioneer')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (period, member_id)
) WITHOUT ROWID;
CREATE INDEX standing_community ON standing (period, community_code, points DESC, member_id);
CREATE INDEX standing_street ON standing (period, street_code, points DESC, member_id);
CREATE INDEX standing_district ON standing (period, district_code, points DESC, member_id);
CREATE INDEX standing_city ON standing (period, city_code, points DESC, member_id);

-- How many members of a region (a community, street, district or city) hold each tier in a period ('' for
-- none, and every year's), kept with the standings: a ranking's counts and a member's "of N" read these.
CREATE TABLE standing_count (
  period TEXT NOT NULL,
  region_code TEXT NOT NULL,
  tier TEXT NOT NULL,
  members INTEGER NOT NULL,
  PRIMARY KEY (period, region_code, tier)
) WITHOUT ROWID;
