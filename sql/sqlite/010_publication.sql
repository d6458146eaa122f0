-- 010_publication.sql: half-year publications (公示): frozen rankings shown publicly, their versions, objections (异议)

-- A publication: the ranking of a half-year at a community (its staff) or a street or district (an org),
-- shown for days from opened_at; open until closes_at, final after (computed from the time, never
-- stored). version is the latest one published, ledger_mark the last ledger movement it saw.
CREATE TABLE publication (
  id INTEGER PRIMARY KEY,
  region_code TEXT NOT NULL REFERENCES region(code),
  period TEXT NOT NULL,                       -- '2026H2'
  title TEXT NOT NULL,
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 30),
  opened_at INTEGER NOT NULL,
  closes_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  ledger_mark INTEGER NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX publication_region ON publication (region_code, period, id);

-- Each version published: the ledger it saw (max(ledger_movement.id) when frozen: the rows are
-- verified against the movements up to it), how many rows, why it was published again.
CREATE TABLE publication_version (
  publication_id INTEGER NOT NULL REFERENCES publication(id),
  version INTEGER NOT NULL,
  ledger_mark INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (publication_id, version)
) WITHOUT ROWID;

-- A row of a version, in the ranking's order (pos 1, 2, …): the member's standing as it was then, with
-- the name masked as the public page shows it (张*元). A re-published version carries the values of the
-- version before it (NULL: the member was not in it, or this is the first version).
CREATE TABLE publication_row (
  publication_id INTEGER NOT NULL REFERENCES publication(id),
  version INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  member_id INTEGER NOT NULL REFERENCES member(id),
  masked_name TEXT NOT NULL,
  unit_name TEXT NOT NULL,
  community_code TEXT NOT NULL REFERENCES region(code),
  community_name TEXT NOT NULL,
  points INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  services INTEGER NOT NULL,
  tier TEXT NOT NULL CHECK (tier IN ('', 'qualified', 'excellent', 'pioneer')),
  rank INTEGER NOT NULL,
  prev_points INTEGER,
  prev_tier TEXT,
  PRIMARY KEY (publication_id, version, pos)
) WITHOUT ROWID;
CREATE UNIQUE INDEX publication_row_member ON publication_row (publication_id, version, member_id);

-- An objection (异议) by a member listed in the publication, during its window: asked, then answered by
-- the staff of the member's community, upheld (a correction movement of points, named here) or dismissed.
CREATE TABLE objection (
  id INTEGER PRIMARY KEY,
  publication_id INTEGER NOT NULL REFERENCES publication(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  version INTEGER NOT NULL,                   -- the version objected to
  community_code TEXT NOT NULL REFERENCES region(code),
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('asked', 'answered')),
  outcome TEXT CHECK (outcome IN ('upheld', 'dismissed')),
  answer TEXT NOT NULL DEFAULT '',
  points INTEGER,                             -- the correction, when upheld
  movement_id INTEGER REFERENCES ledger_movement(id),
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  answered_by INTEGER REFERENCES account(id),
  answered_at INTEGER,
  CHECK ((state = 'answered') = (outcome IS NOT NULL)),
  CHECK ((outcome = 'upheld') = (movement_id IS NOT NULL))
);
-- One objection waits at a time per member and publication.
CREATE UNIQUE INDEX objection_open ON objection (publication_id, member_id) WHERE state = 'asked';
CREATE INDEX objection_publication ON objection (publication_id, id);
CREATE INDEX objection_member ON objection (member_id, id);
