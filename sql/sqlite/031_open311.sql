-- 031_open311.sql: the Open311 GeoReport v2 interface over cases (issue #14, docs/open311.md)
-- The same tables, columns, checks and indexes as sql/postgres/031_open311.sql.

-- A key per client application, issued by admin: it reports into one community. Only the key's hash is
-- stored (as a session token's); the key itself is shown once, when issued.
CREATE TABLE open311_key (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,                         -- the client application, at most 40 characters
  community_code TEXT NOT NULL REFERENCES region(code),
  key_hash TEXT NOT NULL UNIQUE,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER                          -- refused from then on
);

-- What a case reported through Open311 came with: the key, the token, the client's point and address.
CREATE TABLE open311_request (
  case_id INTEGER PRIMARY KEY REFERENCES cases(id),
  key_id INTEGER NOT NULL REFERENCES open311_key(id),
  token TEXT NOT NULL UNIQUE,
  lat_e6 INTEGER,                             -- WGS84 in millionths of a degree, as the client sent it
  lon_e6 INTEGER,
  address_string TEXT NOT NULL DEFAULT '',    -- at most 50 characters (never public)
  created_at INTEGER NOT NULL
);
CREATE INDEX open311_request_key ON open311_request (key_id);

-- A case may come through Open311 (channel 'open311'). The CHECK is edited in place as in 029.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'channel = ''need'')', 'channel = ''need'' OR channel = ''open311'')')
  WHERE type = 'table' AND name = 'cases';
PRAGMA writable_schema = RESET;
