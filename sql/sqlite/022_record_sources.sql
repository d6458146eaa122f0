-- 022_record_sources.sql: three more ways a service record comes to be (issue #13), allowed at once so
-- that the modules that write them need not each edit the same CHECK: 'campaign' (a member's walk of the
-- buildings given them in a door-to-door campaign), 'visit' (a visit to someone on the care register),
-- 'duty' (a duty shift worked). origin_id names the stretch, the visit, the shift. Edited in place as 014.
-- The same change as sql/postgres/022_record_sources.sql.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
  ' OR source = ''need'' OR source = ''wish'')',
  ' OR source = ''need'' OR source = ''wish'' OR source = ''campaign'' OR source = ''visit'' OR source = ''duty'')')
  WHERE type = 'table' AND name = 'record';
PRAGMA writable_schema = RESET;
