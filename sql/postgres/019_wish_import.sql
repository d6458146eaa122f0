-- 019_wish_import.sql (PostgreSQL): what a wish entered from a spreadsheet (POST /wishes/import) carries besides its text:
-- the beneficiary's phone (for staff, never on the wall), the catalogue item it calls for, and the date it is
-- wanted by. The same columns on both engines.
ALTER TABLE wish ADD COLUMN beneficiary_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE wish ADD COLUMN item_code TEXT;
ALTER TABLE wish ADD COLUMN due_on TEXT;
