-- 013_check_lists: the same constraints as SQLite's 013, written as comparisons there because SQLite
-- builds a temporary b-tree for an IN list of more than two constants on every statement that checks
-- it. PostgreSQL has no such cost; the constraints are written the same way here so that the two
-- catalogues stay the same (tests/api/migrations-same.test.mjs) and allow the same values.
ALTER TABLE region DROP CONSTRAINT region_level_check,
  ADD CONSTRAINT region_level_check CHECK (level = 'city' OR level = 'district' OR level = 'street' OR level = 'community' OR level = 'grid' OR level = 'building');
ALTER TABLE unit DROP CONSTRAINT unit_type_check,
  ADD CONSTRAINT unit_type_check CHECK (type = 'organ' OR type = 'institution' OR type = 'soe' OR type = 'nonpublic' OR type = 'social' OR type = 'other');
ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check,
  ADD CONSTRAINT role_grant_role_check CHECK (role = 'admin' OR role = 'org' OR role = 'staff' OR role = 'unit' OR role = 'member' OR role = 'resident');
ALTER TABLE registration DROP CONSTRAINT registration_state_check,
  ADD CONSTRAINT registration_state_check CHECK (state = 'pending' OR state = 'approved' OR state = 'rejected' OR state = 'withdrawn' OR state = 'left' OR state = 'transferred');
ALTER TABLE registration DROP CONSTRAINT registration_channel_check,
  ADD CONSTRAINT registration_channel_check CHECK (channel = 'self' OR channel = 'unit' OR channel = 'staff');
ALTER TABLE catalog_item DROP CONSTRAINT catalog_item_category_check,
  ADD CONSTRAINT catalog_item_category_check CHECK (category = 'welfare' OR category = 'post' OR category = 'activity' OR category = 'affairs');
ALTER TABLE catalog_field DROP CONSTRAINT catalog_field_type_check,
  ADD CONSTRAINT catalog_field_type_check CHECK (type = 'text' OR type = 'number' OR type = 'date' OR type = 'choice' OR type = 'choices');
ALTER TABLE post_holder DROP CONSTRAINT post_holder_state_check,
  ADD CONSTRAINT post_holder_state_check CHECK (state = 'applied' OR state = 'holding' OR state = 'refused' OR state = 'withdrawn' OR state = 'leaving' OR state = 'left');
ALTER TABLE team_member DROP CONSTRAINT team_member_state_check,
  ADD CONSTRAINT team_member_state_check CHECK (state = 'applied' OR state = 'member' OR state = 'refused' OR state = 'withdrawn' OR state = 'left' OR state = 'removed');
ALTER TABLE activity DROP CONSTRAINT activity_organiser_check,
  ADD CONSTRAINT activity_organiser_check CHECK (organiser = 'community' OR organiser = 'team' OR organiser = 'unit');
ALTER TABLE activity DROP CONSTRAINT activity_audience_check,
  ADD CONSTRAINT activity_audience_check CHECK (audience = 'community' OR audience = 'street' OR audience = 'city');
ALTER TABLE activity DROP CONSTRAINT activity_state_check,
  ADD CONSTRAINT activity_state_check CHECK (state = 'draft' OR state = 'published' OR state = 'cancelled' OR state = 'closed');
ALTER TABLE signup DROP CONSTRAINT signup_state_check,
  ADD CONSTRAINT signup_state_check CHECK (state = 'signed' OR state = 'waiting' OR state = 'cancelled');
ALTER TABLE signup DROP CONSTRAINT signup_leave_check,
  ADD CONSTRAINT signup_leave_check CHECK (leave = '' OR leave = 'asked' OR leave = 'approved' OR leave = 'refused');
ALTER TABLE signup DROP CONSTRAINT signup_checkin_by_check,
  ADD CONSTRAINT signup_checkin_by_check CHECK (checkin_by = 'qr' OR checkin_by = 'poster' OR checkin_by = 'staff');
ALTER TABLE signup DROP CONSTRAINT signup_checkout_by_check,
  ADD CONSTRAINT signup_checkout_by_check CHECK (checkout_by = 'qr' OR checkout_by = 'poster' OR checkout_by = 'staff');
ALTER TABLE record DROP CONSTRAINT record_source_check,
  ADD CONSTRAINT record_source_check CHECK (source = 'activity' OR source = 'post' OR source = 'self' OR source = 'staff' OR source = 'correction');
ALTER TABLE record DROP CONSTRAINT record_state_check,
  ADD CONSTRAINT record_state_check CHECK (state = 'pending' OR state = 'confirmed' OR state = 'rejected' OR state = 'withdrawn');
ALTER TABLE record_request DROP CONSTRAINT record_request_state_check,
  ADD CONSTRAINT record_request_state_check CHECK (state = 'asked' OR state = 'accepted' OR state = 'declined');
ALTER TABLE ledger_account DROP CONSTRAINT ledger_account_kind_check,
  ADD CONSTRAINT ledger_account_kind_check CHECK (kind = 'member' OR kind = 'person' OR kind = 'issue' OR kind = 'shelf');
ALTER TABLE ledger_movement DROP CONSTRAINT ledger_movement_source_check,
  ADD CONSTRAINT ledger_movement_source_check CHECK (source = 'record' OR source = 'bonus' OR source = 'redemption' OR source = 'gift' OR source = 'correction');
ALTER TABLE standing DROP CONSTRAINT standing_tier_check,
  ADD CONSTRAINT standing_tier_check CHECK (tier = '' OR tier = 'qualified' OR tier = 'excellent' OR tier = 'pioneer');
ALTER TABLE redemption DROP CONSTRAINT redemption_state_check,
  ADD CONSTRAINT redemption_state_check CHECK (state = 'awaiting' OR state = 'handed_over' OR state = 'cancelled');
ALTER TABLE publication_row DROP CONSTRAINT publication_row_tier_check,
  ADD CONSTRAINT publication_row_tier_check CHECK (tier = '' OR tier = 'qualified' OR tier = 'excellent' OR tier = 'pioneer');
ALTER TABLE certificate_request DROP CONSTRAINT certificate_request_state_check,
  ADD CONSTRAINT certificate_request_state_check CHECK (state = 'asked' OR state = 'issued' OR state = 'declined');
ALTER TABLE bonus DROP CONSTRAINT bonus_kind_check,
  ADD CONSTRAINT bonus_kind_check CHECK (kind = 'wish' OR kind = 'post' OR kind = 'lead');
