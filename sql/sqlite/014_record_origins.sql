-- 014_record_origins: a service record may come from a resident's need (需求) or a micro-wish (微心愿)
-- that a member fulfilled; origin_id is that need's or wish's id (source says which). The CHECK on
-- source is edited in place as in 013 (only its text changes: a list that grows allows what it did).
-- RESET makes this connection parse the schema again before ALTER TABLE edits the same table's text
-- (it would otherwise put the column where the text it read at connect time ended); the ALTER then
-- tells every other connection to read the schema again.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
  '(source = ''activity'' OR source = ''post'' OR source = ''self'' OR source = ''staff'' OR source = ''correction'')',
  '(source = ''activity'' OR source = ''post'' OR source = ''self'' OR source = ''staff'' OR source = ''correction'' OR source = ''need'' OR source = ''wish'')')
  WHERE type = 'table' AND name = 'record';
PRAGMA writable_schema = RESET;
ALTER TABLE record ADD COLUMN origin_id INTEGER;
-- One record per member for a need or a wish they fulfilled.
CREATE UNIQUE INDEX record_origin ON record (source, origin_id, member_id) WHERE origin_id IS NOT NULL;
