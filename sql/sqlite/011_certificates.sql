-- 011_certificates.sql: service certificates (志愿服务证明): members' requests, numbered certificates with the services they list, public verification

-- A member asks their community for a certificate of the service of a period; its staff issue one or decline.
CREATE TABLE certificate_request (
  id INTEGER PRIMARY KEY,
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL REFERENCES region(code), -- where the member had reported in when asking: its staff answer
  from_on TEXT NOT NULL,                     -- YYYY-MM-DD (China time), the first day of the period
  to_on TEXT NOT NULL,                       -- the last day, included
  note TEXT NOT NULL DEFAULT '',             -- the member's: what the certificate is for
  -- asked → issued | declined (with an answer)
  state TEXT NOT NULL CHECK (state IN ('asked', 'issued', 'declined')),
  answer TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  decided_by INTEGER REFERENCES account(id),
  decided_at INTEGER,
  CHECK (from_on <= to_on)
);
CREATE UNIQUE INDEX certificate_request_open ON certificate_request (member_id) WHERE state = 'asked'; -- one waits at a time
CREATE INDEX certificate_request_queue ON certificate_request (community_code, state, id);
CREATE INDEX certificate_request_member ON certificate_request (member_id, id);

-- The last sequence number an issuer gave in a year. It moves up in the transaction that issues a
-- certificate and never down: a number, once given, is never given again (a revoked certificate keeps it).
CREATE TABLE certificate_counter (
  issuer_code TEXT NOT NULL REFERENCES region(code),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL CHECK (last > 0),
  PRIMARY KEY (issuer_code, year)
) WITHOUT ROWID;
CREATE TRIGGER certificate_counter_up BEFORE UPDATE ON certificate_counter
WHEN NEW.last <= OLD.last OR NEW.issuer_code <> OLD.issuer_code OR NEW.year <> OLD.year
BEGIN SELECT RAISE(ABORT, 'certificate numbers only go up'); END;
CREATE TRIGGER certificate_counter_stays BEFORE DELETE ON certificate_counter
BEGIN SELECT RAISE(ABORT, 'certificate counters are never deleted'); END;

-- A certificate as it was issued: who, what period, how long, by whom. What it says never changes;
-- it may be revoked once, with a reason. code (random, 128 bits) is the public verification address's.
CREATE TABLE certificate (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,               -- issuer code, year and sequence: 440111002011-2026-00001
  issuer_code TEXT NOT NULL REFERENCES region(code), -- the community that issued it
  year INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  request_id INTEGER NOT NULL UNIQUE REFERENCES certificate_request(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  name TEXT NOT NULL,                        -- the member's name then
  id_type TEXT NOT NULL,                     -- 居民身份证
  id_number_masked TEXT NOT NULL,            -- 4401**********1234: the clear number is never on a certificate
  from_on TEXT NOT NULL,
  to_on TEXT NOT NULL,
  total_minutes INTEGER NOT NULL CHECK (total_minutes > 0),
  services INTEGER NOT NULL CHECK (services > 0),
  issuer_name TEXT NOT NULL,                 -- 石榴桥社区
  person_in_charge TEXT NOT NULL,            -- 负责人
  handler TEXT NOT NULL,                     -- 经办人
  contact TEXT NOT NULL,                     -- 联系方式
  issued_by INTEGER REFERENCES account(id),
  issued_at INTEGER NOT NULL,
  code TEXT NOT NULL UNIQUE,
  revoked_at INTEGER,
  revoke_reason TEXT NOT NULL DEFAULT '',
  revoked_by INTEGER REFERENCES account(id),
  UNIQUE (issuer_code, year, seq)
);
CREATE INDEX certificate_issuer ON certificate (issuer_code, issued_at, id); -- the register
CREATE INDEX certificate_member ON certificate (member_id, id);
CREATE TRIGGER certificate_kept BEFORE UPDATE ON certificate
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.number <> OLD.number OR NEW.code <> OLD.code
  OR NEW.member_id <> OLD.member_id OR NEW.name <> OLD.name OR NEW.id_number_masked <> OLD.id_number_masked
  OR NEW.from_on <> OLD.from_on OR NEW.to_on <> OLD.to_on OR NEW.total_minutes <> OLD.total_minutes
  OR NEW.services <> OLD.services OR NEW.issuer_code <> OLD.issuer_code OR NEW.issuer_name <> OLD.issuer_name
  OR NEW.person_in_charge <> OLD.person_in_charge OR NEW.handler <> OLD.handler OR NEW.contact <> OLD.contact
  OR NEW.issued_at <> OLD.issued_at
BEGIN SELECT RAISE(ABORT, 'a certificate is never changed, only revoked once'); END;
CREATE TRIGGER certificate_stays BEFORE DELETE ON certificate
BEGIN SELECT RAISE(ABORT, 'certificates are never deleted'); END;

-- The services a certificate lists: the member's confirmed records of the period at the issuing
-- community, each with its corrections (the minutes it counted when the certificate was issued).
CREATE TABLE certificate_line (
  certificate_id INTEGER NOT NULL REFERENCES certificate(id),
  position INTEGER NOT NULL,
  record_id INTEGER NOT NULL REFERENCES record(id),
  served_on TEXT NOT NULL,                   -- YYYY-MM-DD (China time)
  item_name TEXT NOT NULL,
  content TEXT NOT NULL,
  minutes INTEGER NOT NULL CHECK (minutes > 0),
  PRIMARY KEY (certificate_id, position)
) WITHOUT ROWID;
CREATE TRIGGER certificate_line_kept BEFORE UPDATE ON certificate_line
BEGIN SELECT RAISE(ABORT, 'certificate lines are never changed'); END;
CREATE TRIGGER certificate_line_stays BEFORE DELETE ON certificate_line
BEGIN SELECT RAISE(ABORT, 'certificate lines are never deleted'); END;
