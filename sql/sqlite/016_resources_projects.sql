-- 016_resources_projects.sql: resources (资源清单) that units, teams, members and the community offer, with
-- their availability; a community's service projects (项目清单) with links, notes; residents' large-font default

-- What an owner offers. owner_kind names whose it is; exactly the matching owner column is set
-- (community: none, the community_code says whose). community_code: the region it serves (a community).
CREATE TABLE resource (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  owner_kind TEXT NOT NULL CHECK (owner_kind = 'community' OR owner_kind = 'unit' OR owner_kind = 'team' OR owner_kind = 'member'),
  unit_id INTEGER REFERENCES unit(id),
  team_id INTEGER REFERENCES team(id),
  member_id INTEGER REFERENCES member(id),
  kind TEXT NOT NULL CHECK (kind = 'skill' OR kind = 'venue' OR kind = 'goods' OR kind = 'funds' OR kind = 'vehicle'),
  item_id INTEGER REFERENCES catalog_item(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  capacity INTEGER,
  state TEXT NOT NULL CHECK (state = 'active' OR state = 'retired'),
  retire_reason TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX resource_community ON resource (community_code, state);
CREATE INDEX resource_item ON resource (item_id);

-- When a resource is available: weekly (weekday 1..7, on_date NULL) or on one date (weekday 0).
-- Minutes from midnight, from_min < to_min; no two slots of one resource overlap (checked by the domain).
CREATE TABLE resource_slot (
  id INTEGER PRIMARY KEY,
  resource_id INTEGER NOT NULL REFERENCES resource(id),
  weekday INTEGER NOT NULL CHECK (weekday >= 0 AND weekday <= 7),
  on_date TEXT,
  from_min INTEGER NOT NULL CHECK (from_min >= 0 AND from_min < 1440),
  to_min INTEGER NOT NULL CHECK (to_min > from_min AND to_min <= 1440)
);
CREATE INDEX resource_slot_resource ON resource_slot (resource_id);

-- A community's service project.
CREATE TABLE project (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  name TEXT NOT NULL,
  goal TEXT NOT NULL DEFAULT '',
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL DEFAULT '',
  team_id INTEGER REFERENCES team(id),
  unit_id INTEGER REFERENCES unit(id),
  state TEXT NOT NULL CHECK (state = 'planning' OR state = 'running' OR state = 'finished' OR state = 'cancelled'),
  state_reason TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX project_community ON project (community_code, state);

-- What a project is made of: activities, posts, resources and (once the needs module exists) needs.
CREATE TABLE project_link (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES project(id),
  kind TEXT NOT NULL CHECK (kind = 'activity' OR kind = 'post' OR kind = 'resource' OR kind = 'need'),
  ref_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, kind, ref_id)
);

CREATE TABLE project_note (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES project(id),
  on_date TEXT NOT NULL,
  body TEXT NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX project_note_project ON project_note (project_id);

-- Large font by default (大字模式) for an account, set by staff for a resident; the user's own choice on
-- the device wins over it.
CREATE TABLE account_pref (
  account_id INTEGER PRIMARY KEY REFERENCES account(id),
  large_font INTEGER NOT NULL DEFAULT 0 CHECK (large_font = 0 OR large_font = 1),
  updated_at INTEGER NOT NULL
);
