-- 022_record_sources.sql (PostgreSQL): three more ways a service record comes to be (issue #13):
-- 'campaign' (a campaign walk), 'visit' (a care visit), 'duty' (a duty shift worked); origin_id names the
-- stretch, the visit, the shift. The same change as sql/sqlite/022_record_sources.sql.
ALTER TABLE record DROP CONSTRAINT record_source_check,
  ADD CONSTRAINT record_source_check CHECK (source = 'activity' OR source = 'post' OR source = 'self' OR source = 'staff' OR source = 'correction' OR source = 'need' OR source = 'wish' OR source = 'campaign' OR source = 'visit' OR source = 'duty');
