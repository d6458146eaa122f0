-- 013_check_lists: every CHECK (col IN ('a', 'b', 'c', …)) of three values or more written as
-- (col = 'a' OR col = 'b' OR …). The same rule, cheaper: SQLite codes an IN list of more than two
-- constants as a small temporary b-tree built on every run of the statement that checks it (an
-- INSERT into ledger_movement, a check-in's UPDATE of signup), about 3 µs each; a chain of
-- comparisons costs a fraction of that. Only the text of the constraints changes, not what is
-- stored or what is allowed, so the tables are not rebuilt: the schema's text is edited in place,
-- as SQLite documents for changes that leave the file's format as it is
-- (https://sqlite.org/lang_altertable.html, "otherwise" case), and a throwaway table created and
-- dropped makes every connection read the new schema. PostgreSQL's 013 writes its constraints the
-- same way, so that the catalogues stay the same. New CHECKs with lists are written as comparisons.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'level IN (''city'',''district'',''street'',''community'',''grid'',''building'')',
  '(level = ''city'' OR level = ''district'' OR level = ''street'' OR level = ''community'' OR level = ''grid'' OR level = ''building'')')
  WHERE type = 'table' AND name = 'region';
UPDATE sqlite_schema SET sql = replace(sql, 'type IN (''organ'',''institution'',''soe'',''nonpublic'',''social'',''other'')',
  '(type = ''organ'' OR type = ''institution'' OR type = ''soe'' OR type = ''nonpublic'' OR type = ''social'' OR type = ''other'')')
  WHERE type = 'table' AND name = 'unit';
UPDATE sqlite_schema SET sql = replace(sql, 'role IN (''admin'',''org'',''staff'',''unit'',''member'',''resident'')',
  '(role = ''admin'' OR role = ''org'' OR role = ''staff'' OR role = ''unit'' OR role = ''member'' OR role = ''resident'')')
  WHERE type = 'table' AND name = 'role_grant';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''pending'',''approved'',''rejected'',''withdrawn'',''left'',''transferred'')',
  '(state = ''pending'' OR state = ''approved'' OR state = ''rejected'' OR state = ''withdrawn'' OR state = ''left'' OR state = ''transferred'')')
  WHERE type = 'table' AND name = 'registration';
UPDATE sqlite_schema SET sql = replace(sql, 'channel IN (''self'',''unit'',''staff'')',
  '(channel = ''self'' OR channel = ''unit'' OR channel = ''staff'')')
  WHERE type = 'table' AND name = 'registration';
UPDATE sqlite_schema SET sql = replace(sql, 'category IN (''welfare'', ''post'', ''activity'', ''affairs'')',
  '(category = ''welfare'' OR category = ''post'' OR category = ''activity'' OR category = ''affairs'')')
  WHERE type = 'table' AND name = 'catalog_item';
UPDATE sqlite_schema SET sql = replace(sql, 'type IN (''text'', ''number'', ''date'', ''choice'', ''choices'')',
  '(type = ''text'' OR type = ''number'' OR type = ''date'' OR type = ''choice'' OR type = ''choices'')')
  WHERE type = 'table' AND name = 'catalog_field';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''applied'', ''holding'', ''refused'', ''withdrawn'', ''leaving'', ''left'')',
  '(state = ''applied'' OR state = ''holding'' OR state = ''refused'' OR state = ''withdrawn'' OR state = ''leaving'' OR state = ''left'')')
  WHERE type = 'table' AND name = 'post_holder';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''applied'', ''member'', ''refused'', ''withdrawn'', ''left'', ''removed'')',
  '(state = ''applied'' OR state = ''member'' OR state = ''refused'' OR state = ''withdrawn'' OR state = ''left'' OR state = ''removed'')')
  WHERE type = 'table' AND name = 'team_member';
UPDATE sqlite_schema SET sql = replace(sql, 'organiser IN (''community'', ''team'', ''unit'')',
  '(organiser = ''community'' OR organiser = ''team'' OR organiser = ''unit'')')
  WHERE type = 'table' AND name = 'activity';
UPDATE sqlite_schema SET sql = replace(sql, 'audience IN (''community'', ''street'', ''city'')',
  '(audience = ''community'' OR audience = ''street'' OR audience = ''city'')')
  WHERE type = 'table' AND name = 'activity';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''draft'', ''published'', ''cancelled'', ''closed'')',
  '(state = ''draft'' OR state = ''published'' OR state = ''cancelled'' OR state = ''closed'')')
  WHERE type = 'table' AND name = 'activity';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''signed'', ''waiting'', ''cancelled'')',
  '(state = ''signed'' OR state = ''waiting'' OR state = ''cancelled'')')
  WHERE type = 'table' AND name = 'signup';
UPDATE sqlite_schema SET sql = replace(sql, 'leave IN ('''', ''asked'', ''approved'', ''refused'')',
  '(leave = '''' OR leave = ''asked'' OR leave = ''approved'' OR leave = ''refused'')')
  WHERE type = 'table' AND name = 'signup';
UPDATE sqlite_schema SET sql = replace(sql, 'checkin_by IN (''qr'', ''poster'', ''staff'')',
  '(checkin_by = ''qr'' OR checkin_by = ''poster'' OR checkin_by = ''staff'')')
  WHERE type = 'table' AND name = 'signup';
UPDATE sqlite_schema SET sql = replace(sql, 'checkout_by IN (''qr'', ''poster'', ''staff'')',
  '(checkout_by = ''qr'' OR checkout_by = ''poster'' OR checkout_by = ''staff'')')
  WHERE type = 'table' AND name = 'signup';
UPDATE sqlite_schema SET sql = replace(sql, 'source IN (''activity'', ''post'', ''self'', ''staff'', ''correction'')',
  '(source = ''activity'' OR source = ''post'' OR source = ''self'' OR source = ''staff'' OR source = ''correction'')')
  WHERE type = 'table' AND name = 'record';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''pending'', ''confirmed'', ''rejected'', ''withdrawn'')',
  '(state = ''pending'' OR state = ''confirmed'' OR state = ''rejected'' OR state = ''withdrawn'')')
  WHERE type = 'table' AND name = 'record';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''asked'', ''accepted'', ''declined'')',
  '(state = ''asked'' OR state = ''accepted'' OR state = ''declined'')')
  WHERE type = 'table' AND name = 'record_request';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''member'', ''person'', ''issue'', ''shelf'')',
  '(kind = ''member'' OR kind = ''person'' OR kind = ''issue'' OR kind = ''shelf'')')
  WHERE type = 'table' AND name = 'ledger_account';
UPDATE sqlite_schema SET sql = replace(sql, 'source IN (''record'', ''bonus'', ''redemption'', ''gift'', ''correction'')',
  '(source = ''record'' OR source = ''bonus'' OR source = ''redemption'' OR source = ''gift'' OR source = ''correction'')')
  WHERE type = 'table' AND name = 'ledger_movement';
UPDATE sqlite_schema SET sql = replace(sql, 'tier IN ('''', ''qualified'', ''excellent'', ''pioneer'')',
  '(tier = '''' OR tier = ''qualified'' OR tier = ''excellent'' OR tier = ''pioneer'')')
  WHERE type = 'table' AND name = 'standing';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''awaiting'', ''handed_over'', ''cancelled'')',
  '(state = ''awaiting'' OR state = ''handed_over'' OR state = ''cancelled'')')
  WHERE type = 'table' AND name = 'redemption';
UPDATE sqlite_schema SET sql = replace(sql, 'tier IN ('''', ''qualified'', ''excellent'', ''pioneer'')',
  '(tier = '''' OR tier = ''qualified'' OR tier = ''excellent'' OR tier = ''pioneer'')')
  WHERE type = 'table' AND name = 'publication_row';
UPDATE sqlite_schema SET sql = replace(sql, 'state IN (''asked'', ''issued'', ''declined'')',
  '(state = ''asked'' OR state = ''issued'' OR state = ''declined'')')
  WHERE type = 'table' AND name = 'certificate_request';
UPDATE sqlite_schema SET sql = replace(sql, 'kind IN (''wish'', ''post'', ''lead'')',
  '(kind = ''wish'' OR kind = ''post'' OR kind = ''lead'')')
  WHERE type = 'table' AND name = 'bonus';
PRAGMA writable_schema = OFF;
CREATE TABLE schema_reload (x INTEGER);
DROP TABLE schema_reload;
