-- 001_init.sql: regions, units, accounts, roles, sessions, the audit log
-- Portable forms only (see docs/storage.md): times are INTEGER Unix seconds UTC.

CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- city > district > street > community > grid > building
CREATE TABLE region (
  code TEXT PRIMARY KEY,
  parent TEXT REFERENCES region(code),
  level TEXT NOT NULL CHECK (level IN ('city','district','street','community','grid','building')),
  name TEXT NOT NULL,
  full_name TEXT NOT NULL,
  -- '/' + every code from the city down to this node + '/': scope checks are prefix tests
  path TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX region_parent ON region (parent, code);
CREATE INDEX region_path ON region (path);
CREATE UNIQUE INDEX region_sibling_name ON region (parent, name) WHERE level IN ('grid','building');

CREATE TABLE unit (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  party_org_name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('organ','institution','soe','nonpublic','social','other')),
  region_code TEXT NOT NULL REFERENCES region(code),
  contact_name TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX unit_region ON unit (region_code);

CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  phone TEXT UNIQUE,
  password_hash TEXT NOT NULL,
  password_changed_at INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

-- (account, role, scope): scope is a region node, or a unit for role 'unit', or nothing for 'admin'
CREATE TABLE role_grant (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  role TEXT NOT NULL CHECK (role IN ('admin','org','staff','unit','member','resident')),
  region_code TEXT REFERENCES region(code),
  unit_id INTEGER REFERENCES unit(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX role_grant_account ON role_grant (account_id);

-- only the hash of the token is stored
CREATE TABLE session (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES account(id),
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  client_addr TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- append-only; each row's hash is a keyed hash over the previous hash and the row
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  account_id INTEGER,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  region_path TEXT NOT NULL,
  outcome TEXT NOT NULL,
  client_addr TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_region ON audit_log (region_path);
CREATE INDEX audit_log_action ON audit_log (action, id);
