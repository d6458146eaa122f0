-- 021_list_photos.sql: photos of needs and micro-wishes (issue #12), stored as files in the photo folder
-- The same schema as sql/postgres/021_list_photos.sql (docs/postgres.md, Schema).

-- A photo of a need or of a wish (exactly one of need_id, wish_id): stage 'ask' when posted (a need up to 3,
-- a wish 1: what is wanted), 'done' with the done note or the fulfilment (圆梦: up to 3). file and thumb are
-- relative to the photo folder (as record_photo's); the JPEG is re-encoded, with no metadata.
CREATE TABLE list_photos (
  id INTEGER PRIMARY KEY,
  need_id INTEGER REFERENCES need(id),
  wish_id INTEGER REFERENCES wish(id),
  stage TEXT NOT NULL CHECK (stage = 'ask' OR stage = 'done'),
  file TEXT NOT NULL,
  thumb TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  CHECK ((need_id IS NULL) <> (wish_id IS NULL))
);
CREATE INDEX list_photos_need ON list_photos (need_id, id) WHERE need_id IS NOT NULL;
CREATE INDEX list_photos_wish ON list_photos (wish_id, id) WHERE wish_id IS NOT NULL;
