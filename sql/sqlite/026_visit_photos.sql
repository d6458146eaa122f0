-- 026_visit_photos.sql: photos of visits taken with the person's consent, and the needs and wishes a visit produced (issue #13)
-- The same schema as sql/postgres/026_visit_photos.sql (docs/care.md, Visits).

-- photo_consent: the person visited agreed to photos (set when the visit is logged); a visit takes photos only then.
ALTER TABLE visit ADD COLUMN photo_consent INTEGER NOT NULL DEFAULT 0 CHECK (photo_consent = 0 OR photo_consent = 1);

-- A photo of a visit (up to 3): stored as list photos are (file and thumb relative to the photo folder; the JPEG
-- re-encoded, with no metadata). Seen only by the community's staff, the visit's author and the paired members.
CREATE TABLE visit_photos (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id),
  file TEXT NOT NULL,
  thumb TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX visit_photos_visit ON visit_photos (visit_id, id);

-- A need (需求清单) or a micro-wish (微心愿) made from what a visit found (exactly one of need_id, wish_id).
CREATE TABLE visit_lists (
  id INTEGER PRIMARY KEY,
  visit_id INTEGER NOT NULL REFERENCES visit(id),
  need_id INTEGER UNIQUE REFERENCES need(id),
  wish_id INTEGER UNIQUE REFERENCES wish(id),
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  CHECK ((need_id IS NULL) <> (wish_id IS NULL))
);
CREATE INDEX visit_lists_visit ON visit_lists (visit_id, id);
