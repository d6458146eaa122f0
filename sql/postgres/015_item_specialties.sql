-- 015_item_specialties: the member specialties (特长, the tags of member.specialties) a catalogue item
-- wants, joined by ','; matching (点单) suggests members and teams who have them first. Districts and
-- streets set them on the items they add.
ALTER TABLE catalog_item ADD COLUMN specialties text NOT NULL DEFAULT '';
UPDATE catalog_item SET specialties = '养老护理' WHERE region_code IS NULL AND code = 'G02';
UPDATE catalog_item SET specialties = '教育' WHERE region_code IS NULL AND code = 'G03';
UPDATE catalog_item SET specialties = '医疗,养老护理' WHERE region_code IS NULL AND code = 'G04';
UPDATE catalog_item SET specialties = '法律' WHERE region_code IS NULL AND code = 'G05';
UPDATE catalog_item SET specialties = '心理咨询' WHERE region_code IS NULL AND code = 'G06';
UPDATE catalog_item SET specialties = '理发' WHERE region_code IS NULL AND code = 'G07';
UPDATE catalog_item SET specialties = '家电维修,水电维修' WHERE region_code IS NULL AND code = 'G08';
UPDATE catalog_item SET specialties = '驾驶' WHERE region_code IS NULL AND code = 'G01';
UPDATE catalog_item SET specialties = '法律,心理咨询' WHERE region_code IS NULL AND code = 'S02';
UPDATE catalog_item SET specialties = '电脑网络' WHERE region_code IS NULL AND code = 'S03';
UPDATE catalog_item SET specialties = '文艺,体育健身' WHERE region_code IS NULL AND code = 'A04';
