-- 012_feedback.sql (PostgreSQL): feedback to units (在职党员回社区表现反馈表): the community's comments, units' participation kept by triggers; bonuses (奖励分)
-- The same schema as sql/sqlite/012_feedback.sql (docs/postgres.md, Schema).

-- The community's short comment on a member for a period ('2026H2' or '2026'), which the member's unit
-- reads in its feedback table. One per member and period; a change replaces it (the audit log keeps
-- each version). community_code: the community that wrote it (the member's when it was written).
CREATE TABLE feedback_comment (
  member_id bigint NOT NULL REFERENCES member(id),
  period text NOT NULL,
  community_code text NOT NULL REFERENCES region(code),
  comment text NOT NULL,
  created_by bigint REFERENCES account(id),
  created_at bigint NOT NULL,
  updated_by bigint REFERENCES account(id),
  updated_at bigint NOT NULL,
  PRIMARY KEY (member_id, period)
);

-- A unit's files, and per period how many of them served at least once and the points they earned:
-- the org's ranking of a region's units reads one row per unit, never its members. Kept by the
-- triggers below as standings move and as files change unit; no code path can forget them.
CREATE TABLE unit_files (
  unit_id bigint PRIMARY KEY REFERENCES unit(id),
  files bigint NOT NULL DEFAULT 0
);
CREATE TABLE unit_participation (
  period text NOT NULL,
  unit_id bigint NOT NULL REFERENCES unit(id),
  served bigint NOT NULL DEFAULT 0,            -- files of the unit with at least one service in the period
  points bigint NOT NULL DEFAULT 0,            -- their points together
  PRIMARY KEY (period, unit_id)
);
-- A file's standings, to move them when the file changes unit.
CREATE INDEX standing_member ON standing (member_id);

CREATE FUNCTION unit_files_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_files (unit_id, files) VALUES (NEW.unit_id, 1)
    ON CONFLICT (unit_id) DO UPDATE SET files = unit_files.files + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_files_insert AFTER INSERT ON member FOR EACH ROW WHEN (NEW.unit_id IS NOT NULL)
  EXECUTE FUNCTION unit_files_insert();

CREATE FUNCTION unit_files_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE unit_files SET files = files - 1 WHERE unit_id = OLD.unit_id;
  INSERT INTO unit_files (unit_id, files) SELECT NEW.unit_id, 1 WHERE NEW.unit_id IS NOT NULL
    ON CONFLICT (unit_id) DO UPDATE SET files = unit_files.files + 1;
  INSERT INTO unit_participation (period, unit_id, served, points)
    SELECT s.period, OLD.unit_id, -(s.services > 0)::int, -s.points FROM standing s
    WHERE s.member_id = NEW.id AND OLD.unit_id IS NOT NULL
    ON CONFLICT (period, unit_id) DO UPDATE SET served = unit_participation.served + excluded.served,
      points = unit_participation.points + excluded.points;
  INSERT INTO unit_participation (period, unit_id, served, points)
    SELECT s.period, NEW.unit_id, (s.services > 0)::int, s.points FROM standing s
    WHERE s.member_id = NEW.id AND NEW.unit_id IS NOT NULL
    ON CONFLICT (period, unit_id) DO UPDATE SET served = unit_participation.served + excluded.served,
      points = unit_participation.points + excluded.points;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_files_move AFTER UPDATE OF unit_id ON member FOR EACH ROW
  WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id) EXECUTE FUNCTION unit_files_move();

CREATE FUNCTION unit_participation_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_participation (period, unit_id, served, points)
    SELECT NEW.period, m.unit_id, (NEW.services > 0)::int, NEW.points FROM member m
    WHERE m.id = NEW.member_id AND m.unit_id IS NOT NULL
    ON CONFLICT (period, unit_id) DO UPDATE SET served = unit_participation.served + excluded.served,
      points = unit_participation.points + excluded.points;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_participation_insert AFTER INSERT ON standing FOR EACH ROW
  EXECUTE FUNCTION unit_participation_insert();

CREATE FUNCTION unit_participation_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO unit_participation (period, unit_id, served, points)
    SELECT NEW.period, m.unit_id, (NEW.services > 0)::int - (OLD.services > 0)::int, NEW.points - OLD.points FROM member m
    WHERE m.id = NEW.member_id AND m.unit_id IS NOT NULL
    ON CONFLICT (period, unit_id) DO UPDATE SET served = unit_participation.served + excluded.served,
      points = unit_participation.points + excluded.points;
  RETURN NULL;
END $$;
CREATE TRIGGER unit_participation_update AFTER UPDATE OF points, services ON standing FOR EACH ROW
  WHEN (OLD.points <> NEW.points OR (OLD.services > 0) <> (NEW.services > 0))
  EXECUTE FUNCTION unit_participation_update();

INSERT INTO unit_files (unit_id, files) SELECT unit_id, COUNT(*) FROM member WHERE unit_id IS NOT NULL GROUP BY unit_id;
INSERT INTO unit_participation (period, unit_id, served, points)
  SELECT s.period, m.unit_id, SUM((s.services > 0)::int), SUM(s.points) FROM standing s JOIN member m ON m.id = s.member_id
  WHERE m.unit_id IS NOT NULL GROUP BY s.period, m.unit_id;

-- Bonuses (奖励分) the community gives a member under the rule in force that day: for a fulfilled
-- micro-wish (ref: the wish, optional until wishes are built), for a post held a whole half-year (ref:
-- the post; once per post and half-year), for leading an activity (ref: the activity; once). Each is
-- one movement of the points ledger (movement_id) from the community's issue account.
CREATE TABLE bonus (
  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES member(id),
  kind text NOT NULL CHECK (kind IN ('wish', 'post', 'lead')),
  ref_id bigint,
  period text NOT NULL,                         -- the half-year it was given in (and counts for)
  community_code text NOT NULL REFERENCES region(code),
  points bigint NOT NULL CHECK (points > 0),
  rule_id bigint NOT NULL REFERENCES rule_version(id),
  movement_id bigint NOT NULL REFERENCES ledger_movement(id),
  reason text NOT NULL,
  created_by bigint REFERENCES account(id),
  created_at bigint NOT NULL
);
CREATE INDEX bonus_member ON bonus (member_id, id);
CREATE UNIQUE INDEX bonus_once ON bonus (member_id, kind, ref_id, (CASE WHEN kind = 'post' THEN period ELSE '' END))
  WHERE ref_id IS NOT NULL;
