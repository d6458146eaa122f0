-- 014_record_origins: a service record may come from a resident's need (需求) or a micro-wish (微心愿)
-- that a member fulfilled; origin_id is that need's or wish's id (source says which).
ALTER TABLE record DROP CONSTRAINT record_source_check,
  ADD CONSTRAINT record_source_check CHECK (source = 'activity' OR source = 'post' OR source = 'self' OR source = 'staff' OR source = 'correction' OR source = 'need' OR source = 'wish');
ALTER TABLE record ADD COLUMN origin_id bigint;
-- One record per member for a need or a wish they fulfilled.
CREATE UNIQUE INDEX record_origin ON record (source, origin_id, member_id) WHERE origin_id IS NOT NULL;
