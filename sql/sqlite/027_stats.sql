-- 027_stats.sql: monthly figures of every region and every unit, kept by a rollup; the going-quiet rule (docs/stats.md)
-- The same schema as sql/postgres/027_stats.sql.

-- One row per region (community, street, district, city) and month (YYYY-MM, China time): what
-- happened there that month. A community's row is counted from the raw tables; a parent's is the sum
-- of its children's. Written only by the rollup (src/domain/stats_rollup.c); dashboards read these.
CREATE TABLE stats_month (
  region_code TEXT NOT NULL REFERENCES region(code),
  month TEXT NOT NULL,
  services INTEGER NOT NULL DEFAULT 0,       -- confirmed records begun that month, corrections aside
  minutes INTEGER NOT NULL DEFAULT 0,        -- their minutes, corrections included
  active_members INTEGER NOT NULL DEFAULT 0, -- members living here with a confirmed record that month
  points INTEGER NOT NULL DEFAULT 0,         -- points earned that month by members living here
  activities INTEGER NOT NULL DEFAULT 0,     -- activities held (published or closed) starting that month
  signups INTEGER NOT NULL DEFAULT 0,        -- places taken on them
  attended INTEGER NOT NULL DEFAULT 0,       -- of those, checked in
  needs_done INTEGER NOT NULL DEFAULT 0,     -- needs served (done or closed after it) that month
  wishes_done INTEGER NOT NULL DEFAULT 0,    -- micro-wishes confirmed fulfilled that month
  PRIMARY KEY (region_code, month)
) WITHOUT ROWID;

-- The same for the members of a unit, wherever they live and serve.
CREATE TABLE stats_unit_month (
  unit_id INTEGER NOT NULL REFERENCES unit(id),
  month TEXT NOT NULL,
  services INTEGER NOT NULL DEFAULT 0,
  minutes INTEGER NOT NULL DEFAULT 0,
  active_members INTEGER NOT NULL DEFAULT 0,
  points INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, month)
) WITHOUT ROWID;

-- The rollup's last run: the figures are as of ran_at.
CREATE TABLE stats_run (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  ran_at INTEGER NOT NULL,
  from_month TEXT NOT NULL,
  to_month TEXT NOT NULL,
  took_ms INTEGER NOT NULL
);

-- What the rollup reads by time: a month's points, needs served, wishes confirmed.
CREATE INDEX earning_day_day ON earning_day (day);
CREATE INDEX need_done ON need (done_at) WHERE done_at IS NOT NULL;
CREATE INDEX wish_confirmed ON wish (confirmed_at) WHERE confirmed_at IS NOT NULL;

-- Going quiet (沉寂): a member with no confirmed service for quiet_days days (counted from their report-in when
-- they have none) is listed to their community and unit and reminded (docs/stats.md). Part of the region's
-- rule, versioned with it.
ALTER TABLE rule_version ADD COLUMN quiet_days INTEGER NOT NULL DEFAULT 90;
