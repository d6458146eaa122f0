-- 006_accounts.sql (PostgreSQL): accounts for everyone: one-time codes, grants waiting for a community, sign-up codes, rates
-- The same schema as sql/sqlite/006_accounts.sql (docs/postgres.md, Schema).

-- An account given a one-time code (by staff, a unit or an administrator) must change it at its
-- first login, and the code stops working when it expires.
ALTER TABLE account ADD COLUMN must_change_password bigint NOT NULL DEFAULT 0;
ALTER TABLE account ADD COLUMN password_expires_at bigint NOT NULL DEFAULT 0;  -- 0: never

-- A resident who signs up waits for the community's staff to confirm them: the grant is kept,
-- shown to its account, and gives no rights until confirmed.
ALTER TABLE role_grant ADD COLUMN pending bigint NOT NULL DEFAULT 0;
CREATE INDEX role_grant_role ON role_grant (role, region_code);
CREATE INDEX role_grant_unit ON role_grant (unit_id) WHERE unit_id IS NOT NULL;

-- The code printed on a community's or a unit's sign-up poster (as a QR code): it names where
-- the person signs up, nothing else. One live code per place; a replaced one is revoked.
CREATE TABLE signup_code (
  code text PRIMARY KEY,
  region_code text REFERENCES region(code),
  unit_id bigint REFERENCES unit(id),
  created_at bigint NOT NULL,
  revoked_at bigint NOT NULL DEFAULT 0,
  CHECK ((region_code IS NULL) <> (unit_id IS NULL))
);
CREATE UNIQUE INDEX signup_code_region ON signup_code (region_code) WHERE revoked_at = 0 AND region_code IS NOT NULL;
CREATE UNIQUE INDEX signup_code_unit ON signup_code (unit_id) WHERE revoked_at = 0 AND unit_id IS NOT NULL;

-- Attempts counted in fixed windows (sign-ups per address and per phone): key, window, count.
CREATE TABLE rate_limit (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  attempts bigint NOT NULL
);
