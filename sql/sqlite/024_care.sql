-- 024_care.sql: the care register (帮扶对象), its categories, pairings (结对) and visits (走访) (issue #13)
-- The same schema as sql/postgres/024_care.sql (docs/care.md).

-- The configurable list of categories. sensitive: a special category of personal information (health, disability,
-- minors: PIPL Art. 28). frequency: how often someone in it is visited by default.
CREATE TABLE care_category (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  sensitive INTEGER NOT NULL DEFAULT 0 CHECK (sensitive = 0 OR sensitive = 1),
  frequency TEXT NOT NULL CHECK (frequency = 'daily_phone' OR frequency = 'weekly' OR frequency = 'fortnightly' OR
                                 frequency = 'monthly' OR frequency = 'quarterly'),
  sort INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT 0
);
INSERT INTO care_category (code, name, sensitive, frequency, sort) VALUES
  ('dibao', '低保', 0, 'monthly', 1),
  ('tekun', '特困供养', 0, 'monthly', 2),
  ('illness_poor', '因病致贫', 1, 'monthly', 3),
  ('disability_poor', '因残致贫', 1, 'monthly', 4),
  ('laid_off', '下岗失业', 0, 'quarterly', 5),
  ('alone_elder', '孤寡老人', 0, 'weekly', 6),
  ('empty_nest', '独居/空巢老人', 0, 'weekly', 7),
  ('left_behind_child', '留守儿童', 1, 'fortnightly', 8),
  ('unsupported_child', '事实无人抚养儿童', 1, 'weekly', 9),
  ('disability', '残疾', 1, 'monthly', 10),
  ('serious_illness', '重病', 1, 'weekly', 11),
  ('mental_illness', '严重精神障碍', 1, 'daily_phone', 12),
  ('poor_member', '困难党员', 0, 'monthly', 13),
  ('veteran_family', '优抚对象', 0, 'quarterly', 14);

-- One person (or household) on the register of a community. categories_sealed and health_sealed are sealed
-- (crypto_seal, ad "care.categories" / "care.health"): the category codes as text "a,b", and a health or
-- disability note. ncategories: how many, shown instead of them. basis: 'consent' (PIPL Art. 29: separate
-- consent, given on consented_on, recorded by consent_by) or 'statutory' (a legal duty: law names it).
-- frequency: how often they are visited; next due = last visit (or the day registered) + frequency.
CREATE TABLE care (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  name TEXT NOT NULL,
  household_id INTEGER REFERENCES household(id),
  account_id INTEGER REFERENCES account(id),
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  categories_sealed TEXT NOT NULL,
  ncategories INTEGER NOT NULL CHECK (ncategories >= 1),
  basis TEXT NOT NULL CHECK (basis = 'consent' OR basis = 'statutory'),
  consented_on TEXT NOT NULL DEFAULT '',
  consent_by INTEGER REFERENCES account(id),
  law TEXT NOT NULL DEFAULT '',
  help_what TEXT NOT NULL,
  help_who TEXT NOT NULL DEFAULT '',
  help_often TEXT NOT NULL DEFAULT '',
  frequency TEXT NOT NULL CHECK (frequency = 'daily_phone' OR frequency = 'weekly' OR frequency = 'fortnightly' OR
                                 frequency = 'monthly' OR frequency = 'quarterly'),
  health_sealed TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state = 'active' OR state = 'closed'),
  close_reason TEXT NOT NULL DEFAULT '',
  closed_at INTEGER,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX care_community ON care (community_code, state, id);

-- Who is paired with an entry: one member, team or unit. A member's offer (offered) names only a community and
-- has no entry yet; staff accept it by naming one (active), or decline it (ended). Staff end a pairing (ended).
CREATE TABLE pairing (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  care_id INTEGER REFERENCES care(id),
  member_id INTEGER REFERENCES member(id),
  team_id INTEGER REFERENCES team(id),
  unit_id INTEGER REFERENCES unit(id),
  state TEXT NOT NULL CHECK (state = 'offered' OR state = 'active' OR state = 'ended'),
  note TEXT NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES account(id),
  decided_at INTEGER,
  CHECK ((CASE WHEN member_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END) +
         (CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END) = 1),
  CHECK (state = 'offered' OR care_id IS NOT NULL OR end_reason <> '')
);
CREATE INDEX pairing_care ON pairing (care_id, state);
CREATE INDEX pairing_member ON pairing (member_id, state);
CREATE INDEX pairing_community ON pairing (community_code, state);

-- A visit to an entry, by a paired member (member_id; its pending service record: record_id) or by staff.
-- how: 上门 home, 电话 phone, 视频 video, 微信 wechat.
CREATE TABLE visit (
  id INTEGER PRIMARY KEY,
  care_id INTEGER NOT NULL REFERENCES care(id),
  account_id INTEGER REFERENCES account(id),
  member_id INTEGER REFERENCES member(id),
  visited_at INTEGER NOT NULL,
  visited_on TEXT NOT NULL, -- the date in China of visited_at (YYYY-MM-DD)
  how TEXT NOT NULL CHECK (how = 'home' OR how = 'phone' OR how = 'video' OR how = 'wechat'),
  wellbeing TEXT NOT NULL DEFAULT '', -- how the person is
  done TEXT NOT NULL DEFAULT '',
  needs TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL,
  record_id INTEGER REFERENCES record(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX visit_care ON visit (care_id, visited_on);

-- Emergency mode of a community: everyone in these categories is checked daily (emergency board).
CREATE TABLE care_emergency (
  community_code TEXT PRIMARY KEY REFERENCES region(code),
  categories TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  started_by INTEGER REFERENCES account(id)
);
