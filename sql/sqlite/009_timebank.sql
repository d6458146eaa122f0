-- 009_timebank.sql: the time bank: gifts of hours, and the community's rewards shelf (爱心超市) with its redemptions

-- What a community's shelf offers: priced in points, a stock kept as items are redeemed and given
-- back, at most monthly_limit redemptions of one item by one member in a calendar month (China
-- time; 0: no limit). A retired item (retired_at > 0) is offered no more and kept for its history.
CREATE TABLE shelf_item (
  id INTEGER PRIMARY KEY,
  community_code TEXT NOT NULL REFERENCES region(code),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  price INTEGER NOT NULL CHECK (price > 0),
  stock INTEGER NOT NULL CHECK (stock >= 0),
  monthly_limit INTEGER NOT NULL CHECK (monthly_limit >= 0),
  retired_at INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- A community's shelf, what is on it first; one item of a name on it at a time.
CREATE INDEX shelf_item_community ON shelf_item (community_code, retired_at, id);
CREATE UNIQUE INDEX shelf_item_name ON shelf_item (community_code, name) WHERE retired_at = 0;

-- A member's redemption (兑换) of an item: awaiting until staff hand it over (已领取) or it is
-- cancelled (by the member, or by staff with a reason). movement_id moved the points from the
-- member to the shelf; a cancellation's reversing movement (cancel_movement_id) gave them back,
-- and the stock with them. month (YYYY-MM, China time) counts the item's monthly limit.
CREATE TABLE redemption (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES shelf_item(id),
  member_id INTEGER NOT NULL REFERENCES member(id),
  community_code TEXT NOT NULL REFERENCES region(code),
  points INTEGER NOT NULL CHECK (points > 0),
  month TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'awaiting' CHECK (state IN ('awaiting', 'handed_over', 'cancelled')),
  movement_id INTEGER NOT NULL REFERENCES ledger_movement(id),
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL,
  handed_over_by INTEGER REFERENCES account(id),
  handed_over_at INTEGER NOT NULL DEFAULT 0,
  cancelled_by INTEGER REFERENCES account(id),
  cancelled_at INTEGER NOT NULL DEFAULT 0,
  cancel_reason TEXT NOT NULL DEFAULT '',
  cancel_movement_id INTEGER REFERENCES ledger_movement(id),
  CHECK ((state = 'cancelled') = (cancel_movement_id IS NOT NULL))
);
CREATE INDEX redemption_queue ON redemption (community_code, state, id);
CREATE INDEX redemption_member ON redemption (member_id, id);
CREATE INDEX redemption_item ON redemption (item_id, state);
CREATE INDEX redemption_month ON redemption (item_id, member_id, month) WHERE state <> 'cancelled';

-- A gift of hours (赠送时长): minutes from a member's earned hours to a person's time-bank account
-- (a resident's or another member's login account), found by phone and name together.
CREATE TABLE gift (
  id INTEGER PRIMARY KEY,
  from_member_id INTEGER NOT NULL REFERENCES member(id),
  to_account_id INTEGER NOT NULL REFERENCES account(id),
  minutes INTEGER NOT NULL CHECK (minutes > 0),
  note TEXT NOT NULL DEFAULT '',
  movement_id INTEGER NOT NULL REFERENCES ledger_movement(id),
  created_by INTEGER REFERENCES account(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX gift_from ON gift (from_member_id, id);
CREATE INDEX gift_to ON gift (to_account_id, id);
