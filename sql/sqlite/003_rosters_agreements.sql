-- 003_rosters_agreements.sql: units' member rosters, and unit ↔ community co-building agreements (共驻共建)

-- A unit's own list of its Party members (name + ID number), loaded before they report in.
CREATE TABLE roster_entry (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  name TEXT NOT NULL,
  id_number_hash TEXT NOT NULL,
  id_number_masked TEXT NOT NULL,
  position TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (unit_id, id_number_hash)
);

CREATE TABLE agreement (
  id INTEGER PRIMARY KEY,
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  community_code TEXT NOT NULL REFERENCES region(code),
  starts_on TEXT NOT NULL,                 -- YYYY-MM-DD
  ends_on TEXT NOT NULL,
  commitments TEXT NOT NULL,               -- one commitment per line
  status TEXT NOT NULL CHECK (status IN ('draft','signed')),  -- 'expired' is derived from ends_on
  signed_doc TEXT NOT NULL DEFAULT '',     -- reference of the signed paper (document number, archive place)
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX agreement_unit ON agreement (unit_id);
CREATE INDEX agreement_community ON agreement (community_code);
