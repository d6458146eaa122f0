-- 005_login_throttle.sql (PostgreSQL): failed password checks, counted per (who, from where), for growing waits
-- The same schema as sql/sqlite/005_login_throttle.sql (docs/postgres.md, Schema).
-- Written only on failures (a successful login reads it and, after failures, deletes its own row).

-- subject: 'n:' + a keyed hash of the login name typed (never the name itself), 'p:' + an
--          account id (password changes), or '*' (every subject: the count of one address)
-- source:  'a:' + a client address (IPv6 by its /64), 'd:' + a known device, or '*' (every
--          untrusted source: the ceiling of one subject)
CREATE TABLE login_throttle (
  subject text NOT NULL,
  source text NOT NULL,
  failures bigint NOT NULL,
  first_at bigint NOT NULL,
  last_at bigint NOT NULL,
  blocked_until bigint NOT NULL,
  PRIMARY KEY (subject, source)
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
