/* stats_rollup.c: the monthly figures of every region and unit: counted in a snapshot, written in one short write */
#include "domain/stats_rollup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/valid.h"
#include "base/xalloc.h"

const char *const stats_metrics[STATS_METRICS] = { "services",	 "minutes", "active_members",
						   "points",	 "activities", "signups",
						   "attended",	 "needs_done", "wishes_done" };

/* China keeps UTC+8 all year. */
#define CHINA_OFFSET (8 * 3600)

bool stats_month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return false;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return false;
	int mon = (m[5] - '0') * 10 + (m[6] - '0');

	return m[0] >= '2' && mon >= 1 && mon <= 12;
}

static void split(const char *m, int *y, int *mon)
{
	*y = digits_value(m, 4);
	*mon = digits_value(m + 5, 2);
}

static void join(int y, int mon, char out[STATS_MONTH_BYTES])
{
	snprintf(out, STATS_MONTH_BYTES, "%04u-%02u", (unsigned)y % 10000u, (unsigned)mon % 100u);
}

/* Days from 1970-01-01 to y-mon-01 (the proleptic Gregorian calendar). */
static int64_t days_to(int y, int mon)
{
	y -= mon <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void stats_month_of(int64_t t, char out[STATS_MONTH_BYTES])
{
	char day[11];

	clock_date(t, day);
	memcpy(out, day, 7);
	out[7] = '\0';
}

int64_t stats_month_start(const char *m)
{
	int y, mon;

	split(m, &y, &mon);
	return days_to(y, mon) * 86400 - CHINA_OFFSET;
}

void stats_month_add(const char *m, int k, char out[STATS_MONTH_BYTES])
{
	int y, mon;

	split(m, &y, &mon);
	int n = y * 12 + (mon - 1) + k;

	join(n / 12, n % 12 + 1, out);
}

void stats_month_next(const char *m, char out[STATS_MONTH_BYTES])
{
	stats_month_add(m, 1, out);
}

int stats_month_span(const char *from, const char *to)
{
	int y0, m0, y1, m1;

	split(from, &y0, &m0);
	split(to, &y1, &m1);
	int n = (y1 * 12 + m1) - (y0 * 12 + m0) + 1;

	return n > 0 ? n : 0;
}

/* What the counting fills: one row of metrics per key (community code or unit id) and month. */
struct tally {
	char (*codes)[24]; /* communities, sorted */
	int64_t *units; /* unit ids, sorted */
	size_t ncodes, nunits;
	int months;
	int64_t *by_code; /* [code][month][metric] */
	int64_t *by_unit; /* [unit][month][metric] */
	/* Each member file by id: the index of its community and of its unit (-1: none), and the last month k + 1
	 * it was counted active in; read once, so that no counting query joins the member files. */
	int64_t max_member;
	int32_t *home, *unit_of, *seen;
};

static int cmp_code(const void *a, const void *b) { return strcmp(a, b); }

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int load_keys(struct db *db, struct tally *t)
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM region WHERE level = 'community'");
	size_t cap = 0;
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		if (t->ncodes == cap)
			t->codes = xrealloc(t->codes, (cap = cap ? cap * 2 : 256) * sizeof(*t->codes));
		str_copy(t->codes[t->ncodes++], sizeof(*t->codes), db_col_text(st, 0));
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT id FROM unit");
	cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (t->nunits == cap)
			t->units = xrealloc(t->units, (cap = cap ? cap * 2 : 256) * sizeof(*t->units));
		t->units[t->nunits++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	if (t->ncodes)
		qsort(t->codes, t->ncodes, sizeof(*t->codes), cmp_code);
	if (t->nunits)
		qsort(t->units, t->nunits, sizeof(*t->units), cmp_id);
	t->by_code = xcalloc(t->ncodes * (size_t)t->months * STATS_METRICS + 1, sizeof(int64_t));
	t->by_unit = xcalloc(t->nunits * (size_t)t->months * STATS_METRICS + 1, sizeof(int64_t));
	return 0;
}

/* The index of community code among t->codes, -1 when it is none of them. */
static int32_t code_index(const struct tally *t, const char *code)
{
	char key[24];

	str_copy(key, sizeof(key), code);
	char(*hit)[24] = t->ncodes ? bsearch(key, t->codes, t->ncodes, sizeof(*t->codes), cmp_code) : NULL;

	return hit ? (int32_t)(hit - t->codes) : -1;
}

static int32_t unit_index(const struct tally *t, int64_t id)
{
	int64_t *hit = t->nunits ? bsearch(&id, t->units, t->nunits, sizeof(*t->units), cmp_id) : NULL;

	return hit ? (int32_t)(hit - t->units) : -1;
}

static int load_members(struct db *db, struct tally *t)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM member");
	int rc = db_step(st);

	t->max_member = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	t->home = xmalloc(((size_t)t->max_member + 1) * sizeof(*t->home));
	t->unit_of = xmalloc(((size_t)t->max_member + 1) * sizeof(*t->unit_of));
	t->seen = xcalloc((size_t)t->max_member + 1, sizeof(*t->seen));
	for (int64_t i = 0; i <= t->max_member; i++)
		t->home[i] = t->unit_of[i] = -1;
	st = db_prepare(db, "SELECT id, COALESCE(community_code, ''), COALESCE(unit_id, 0) FROM member");
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);

		if (id < 0 || id > t->max_member)
			continue;
		t->home[id] = code_index(t, db_col_text(st, 1));
		t->unit_of[id] = db_col_int(st, 2) ? unit_index(t, db_col_int(st, 2)) : -1;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int64_t *code_row(struct tally *t, int32_t c, int k)
{
	return t->by_code + ((size_t)c * t->months + k) * STATS_METRICS;
}

static int64_t *unit_row(struct tally *t, int32_t u, int k)
{
	return t->by_unit + ((size_t)u * t->months + k) * STATS_METRICS;
}

/*
 * Month k's confirmed records in one pass: services and minutes where they
 * were served and for the member's unit; each member once as active, where
 * they live and for their unit.
 */
static int count_records(struct db *db, struct tally *t, int64_t from, int64_t to, int k)
{
	struct db_stmt *st = db_prepare(db, "SELECT member_id, community_code, source = 'correction', minutes FROM record "
					    "WHERE state = 'confirmed' AND started_at >= ? AND started_at < ?");
	int rc;

	db_bind_int(st, 1, from);
	db_bind_int(st, 2, to);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t m = db_col_int(st, 0), minutes = db_col_int(st, 3);
		int32_t c = code_index(t, db_col_text(st, 1));
		bool correction = db_col_int(st, 2) != 0;

		if (c >= 0) {
			code_row(t, c, k)[STATS_SERVICES] += !correction;
			code_row(t, c, k)[STATS_MINUTES] += minutes;
		}
		if (m < 0 || m > t->max_member)
			continue;
		if (t->unit_of[m] >= 0) {
			unit_row(t, t->unit_of[m], k)[STATS_SERVICES] += !correction;
			unit_row(t, t->unit_of[m], k)[STATS_MINUTES] += minutes;
		}
		if (correction || t->seen[m] == k + 1)
			continue;
		t->seen[m] = k + 1;
		if (t->home[m] >= 0)
			code_row(t, t->home[m], k)[STATS_ACTIVE]++;
		if (t->unit_of[m] >= 0)
			unit_row(t, t->unit_of[m], k)[STATS_ACTIVE]++;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Month k's points (days d0 ≤ day < d1), where each member lives and for their unit. */
static int count_points(struct db *db, struct tally *t, const char *d0, const char *d1, int k)
{
	struct db_stmt *st = db_prepare(db, "SELECT member_id, points FROM earning_day WHERE day >= ? AND day < ?");
	int rc;

	db_bind_text(st, 1, d0);
	db_bind_text(st, 2, d1);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t m = db_col_int(st, 0), p = db_col_int(st, 1);

		if (m < 0 || m > t->max_member)
			continue;
		if (t->home[m] >= 0)
			code_row(t, t->home[m], k)[STATS_POINTS] += p;
		if (t->unit_of[m] >= 0)
			unit_row(t, t->unit_of[m], k)[STATS_POINTS] += p;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The row of metrics of the community (column 0 of st) in month k, NULL when it is none of the counted. */
static int64_t *row_of(struct tally *t, struct db_stmt *st, int k)
{
	int32_t c = code_index(t, db_col_text(st, 0));

	return c >= 0 ? code_row(t, c, k) : NULL;
}

/*
 * The other figures of month k, grouped by the database: ?1 and ?2 bound to
 * the month's first and the next month's first instant, each row a
 * community and then the values of the metrics listed.
 */
struct count {
	const char *sql;
	int metrics[2];
	int nmetrics;
};

static const struct count counts[] = {
	{ "SELECT community_code, COUNT(*) FROM activity WHERE (state = 'published' OR state = 'closed') "
	  "AND starts_at >= ?1 AND starts_at < ?2 GROUP BY community_code",
	  { STATS_ACTIVITIES }, 1 },
	{ "SELECT a.community_code, COUNT(*), SUM(CASE WHEN s.checkin_at IS NOT NULL THEN 1 ELSE 0 END) "
	  "FROM activity a JOIN signup s ON s.activity_id = a.id WHERE (a.state = 'published' OR a.state = 'closed') "
	  "AND a.starts_at >= ?1 AND a.starts_at < ?2 AND s.state = 'signed' GROUP BY a.community_code",
	  { STATS_SIGNUPS, STATS_ATTENDED }, 2 },
	{ "SELECT community_code, COUNT(*) FROM need WHERE done_at >= ?1 AND done_at < ?2 "
	  "AND (state = 'done' OR state = 'closed') GROUP BY community_code",
	  { STATS_NEEDS_DONE }, 1 },
	{ "SELECT community_code, COUNT(*) FROM wish WHERE confirmed_at >= ?1 AND confirmed_at < ?2 "
	  "GROUP BY community_code",
	  { STATS_WISHES_DONE }, 1 },
};

static int count_month(struct db *db, struct tally *t, const char *month, int k)
{
	char next[STATS_MONTH_BYTES], d0[11], d1[11];
	int64_t from = stats_month_start(month), to;

	stats_month_next(month, next);
	to = stats_month_start(next);
	snprintf(d0, sizeof(d0), "%s-01", month);
	snprintf(d1, sizeof(d1), "%s-01", next);
	if (count_records(db, t, from, to, k) < 0 || count_points(db, t, d0, d1, k) < 0)
		return -1;
	for (size_t q = 0; q < sizeof(counts) / sizeof(counts[0]); q++) {
		const struct count *c = &counts[q];
		struct db_stmt *st = db_prepare(db, c->sql);
		int rc;

		db_bind_int(st, 1, from);
		db_bind_int(st, 2, to);
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t *row = row_of(t, st, k);

			for (int i = 0; row && i < c->nmetrics; i++)
				row[c->metrics[i]] += db_col_int(st, 1 + i);
		}
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static bool any(const int64_t *v, int n)
{
	for (int i = 0; i < n; i++)
		if (v[i])
			return true;
	return false;
}

static int insert_rows(struct db *db, const struct tally *t, const char (*months)[STATS_MONTH_BYTES], int64_t *filled)
{
	struct db_stmt *st;
	int rc = DB_DONE;

	for (size_t i = 0; i < t->ncodes && rc == DB_DONE; i++)
		for (int k = 0; k < t->months && rc == DB_DONE; k++) {
			const int64_t *v = t->by_code + (i * t->months + k) * STATS_METRICS;

			if (!any(v, STATS_METRICS))
				continue;
			st = db_prepare(db, "INSERT INTO stats_month (region_code, month, services, minutes, "
					    "active_members, points, activities, signups, attended, needs_done, "
					    "wishes_done) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
			db_bind_text(st, 1, t->codes[i]);
			db_bind_text(st, 2, months[k]);
			for (int m = 0; m < STATS_METRICS; m++)
				db_bind_int(st, 3 + m, v[m]);
			rc = db_step(st);
			db_done(st);
			(*filled)++;
		}
	for (size_t i = 0; i < t->nunits && rc == DB_DONE; i++)
		for (int k = 0; k < t->months && rc == DB_DONE; k++) {
			const int64_t *v = t->by_unit + (i * t->months + k) * STATS_METRICS;

			if (!any(v, STATS_UNIT_METRICS))
				continue;
			st = db_prepare(db, "INSERT INTO stats_unit_month (unit_id, month, services, minutes, "
					    "active_members, points) VALUES (?, ?, ?, ?, ?, ?)");
			db_bind_int(st, 1, t->units[i]);
			db_bind_text(st, 2, months[k]);
			for (int m = 0; m < STATS_UNIT_METRICS; m++)
				db_bind_int(st, 3 + m, v[m]);
			rc = db_step(st);
			db_done(st);
		}
	return rc == DB_DONE ? 0 : -1;
}

/*
 * Each level's rows added into their parents', lowest level first, so that a
 * parent has every child's share before it is added into its own parent (a
 * community placed right under a district included).
 */
static int sum_upwards(struct db *db, const char *from, const char *to)
{
	static const char *const levels[] = { "community", "street", "district" };

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		struct db_stmt *st = db_prepare(
			db, "INSERT INTO stats_month (region_code, month, services, minutes, active_members, points, "
			    "activities, signups, attended, needs_done, wishes_done) "
			    "SELECT r.parent, s.month, SUM(s.services), SUM(s.minutes), SUM(s.active_members), "
			    "SUM(s.points), SUM(s.activities), SUM(s.signups), SUM(s.attended), SUM(s.needs_done), "
			    "SUM(s.wishes_done) FROM stats_month s JOIN region r ON r.code = s.region_code "
			    "WHERE r.level = ?1 AND r.parent IS NOT NULL AND s.month >= ?2 AND s.month <= ?3 "
			    "GROUP BY r.parent, s.month "
			    "ON CONFLICT (region_code, month) DO UPDATE SET services = stats_month.services + "
			    "excluded.services, minutes = stats_month.minutes + excluded.minutes, active_members = "
			    "stats_month.active_members + excluded.active_members, points = stats_month.points + "
			    "excluded.points, activities = stats_month.activities + excluded.activities, signups = "
			    "stats_month.signups + excluded.signups, attended = stats_month.attended + "
			    "excluded.attended, needs_done = stats_month.needs_done + excluded.needs_done, "
			    "wishes_done = stats_month.wishes_done + excluded.wishes_done");
		int rc;

		db_bind_text(st, 1, levels[i]);
		db_bind_text(st, 2, from);
		db_bind_text(st, 3, to);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static int delete_months(struct db *db, const char *sql, const char *from, const char *to)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int note_run(struct db *db, const char *from, const char *to, int64_t now, int64_t took_ms)
{
	struct db_stmt *st = db_prepare(
		db, "INSERT INTO stats_run (id, ran_at, from_month, to_month, took_ms) VALUES (1, ?, ?, ?, ?) "
		    "ON CONFLICT (id) DO UPDATE SET ran_at = excluded.ran_at, from_month = excluded.from_month, "
		    "to_month = excluded.to_month, took_ms = excluded.took_ms");
	int rc;

	db_bind_int(st, 1, now);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_int(st, 4, took_ms);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int write_months(struct db *db, const struct tally *t, const char (*months)[STATS_MONTH_BYTES], int64_t now,
			int64_t began_us, int64_t *filled)
{
	const char *from = months[0], *to = months[t->months - 1];

	if (db_begin(db) < 0)
		return -1;
	if (delete_months(db, "DELETE FROM stats_month WHERE month >= ? AND month <= ?", from, to) < 0 ||
	    delete_months(db, "DELETE FROM stats_unit_month WHERE month >= ? AND month <= ?", from, to) < 0 ||
	    insert_rows(db, t, months, filled) < 0 || sum_upwards(db, from, to) < 0 ||
	    note_run(db, from, to, now, (clock_mono_us() - began_us) / 1000) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int stats_rollup(struct db *db, const char *from, int64_t now, struct stats_rollup_result *res)
{
	char to[STATS_MONTH_BYTES], (*months)[STATS_MONTH_BYTES] = NULL;
	struct tally t = { 0 };
	int64_t began = clock_mono_us(), filled = 0, wrote;
	int rc = -1, k;
	bool ok;

	memset(res, 0, sizeof(*res));
	stats_month_of(now, to);
	if (!stats_month_valid(from) || (t.months = stats_month_span(from, to)) == 0)
		return -1;
	months = xcalloc((size_t)t.months, sizeof(*months));
	for (k = 0; k < t.months; k++)
		stats_month_add(from, k, months[k]);
	if (db_begin_read(db) < 0)
		goto out;
	ok = load_keys(db, &t) == 0 && load_members(db, &t) == 0;
	for (k = 0; ok && k < t.months; k++)
		ok = count_month(db, &t, months[k], k) == 0;
	db_rollback(db);
	wrote = clock_mono_us();
	if (!ok || write_months(db, &t, (const char(*)[STATS_MONTH_BYTES])months, now, began, &filled) < 0)
		goto out;
	res->write_ms = (clock_mono_us() - wrote) / 1000;
	res->months = t.months;
	res->communities = filled;
	res->took_ms = (clock_mono_us() - began) / 1000;
	rc = 0;
out:
	if (rc < 0)
		log_error("stats rollup from %s failed", from);
	free(months);
	free(t.codes);
	free(t.units);
	free(t.by_code);
	free(t.by_unit);
	free(t.home);
	free(t.unit_of);
	free(t.seen);
	return rc;
}

static int fill_months(struct db_stmt *st, const char *from, const char *to, int nmetrics, struct stats_month_row **rows,
		       size_t *n)
{
	int span = stats_month_span(from, to), rc;
	struct stats_month_row *r;

	*rows = NULL;
	*n = 0;
	if (span <= 0 || span > STATS_MONTHS_MAX) {
		db_done(st);
		return -1;
	}
	r = xcalloc((size_t)span, sizeof(*r));
	for (int k = 0; k < span; k++)
		stats_month_add(from, k, r[k].month);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		int k = stats_month_span(from, db_col_text(st, 0)) - 1;

		for (int m = 0; k >= 0 && k < span && m < nmetrics; m++)
			r[k].v[m] = db_col_int(st, 1 + m);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(r);
		return -1;
	}
	*rows = r;
	*n = (size_t)span;
	return 0;
}

int stats_region_months(struct db *db, const char *code, const char *from, const char *to,
			struct stats_month_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT month, services, minutes, active_members, points, activities, "
					    "signups, attended, needs_done, wishes_done FROM stats_month "
					    "WHERE region_code = ?1 AND month >= ?2 AND month <= ?3");

	db_bind_text(st, 1, code);
	return fill_months(st, from, to, STATS_METRICS, rows, n);
}

int stats_unit_months(struct db *db, int64_t unit_id, const char *from, const char *to, struct stats_month_row **rows,
		      size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT month, services, minutes, active_members, points "
					    "FROM stats_unit_month WHERE unit_id = ?1 AND month >= ?2 AND month <= ?3");

	db_bind_int(st, 1, unit_id);
	return fill_months(st, from, to, STATS_UNIT_METRICS, rows, n);
}

int stats_children_months(struct db *db, const char *code, const char *from, const char *to,
			  struct stats_child_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT r.code, r.name, r.level, COALESCE(SUM(s.services), 0), COALESCE(SUM(s.minutes), 0), "
		    "COALESCE(SUM(CASE WHEN s.month = ?3 THEN s.active_members ELSE 0 END), 0), "
		    "COALESCE(SUM(s.points), 0), COALESCE(SUM(s.activities), 0), COALESCE(SUM(s.signups), 0), "
		    "COALESCE(SUM(s.attended), 0), COALESCE(SUM(s.needs_done), 0), COALESCE(SUM(s.wishes_done), 0) "
		    "FROM region r LEFT JOIN stats_month s ON s.region_code = r.code AND s.month >= ?2 AND s.month <= ?3 "
		    "WHERE r.parent = ?1 AND (r.level = 'district' OR r.level = 'street' OR r.level = 'community') "
		    "GROUP BY r.code, r.name, r.level ORDER BY r.code");
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*rows = xrealloc(*rows, (cap = cap ? cap * 2 : 32) * sizeof(**rows));
		struct stats_child_row *r = &(*rows)[(*n)++];

		str_copy(r->region.code, sizeof(r->region.code), db_col_text(st, 0));
		str_copy(r->region.name, sizeof(r->region.name), db_col_text(st, 1));
		str_copy(r->region.level, sizeof(r->region.level), db_col_text(st, 2));
		for (int m = 0; m < STATS_METRICS; m++)
			r->v[m] = db_col_int(st, 3 + m);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*rows);
		*rows = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int stats_last_run(struct db *db, int64_t *ran_at)
{
	struct db_stmt *st = db_prepare(db, "SELECT ran_at FROM stats_run WHERE id = 1");
	int rc = db_step(st);

	*ran_at = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}
