/* today.c: a community's work of today and its monthly report form, by counts over the community's indexes */
#include "domain/today.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/care.h"
#include "domain/quiet.h"
#include "domain/stats_rollup.h"

#define CHINA_OFFSET 28800

/* One count of sql with the community code bound to ?1 (and t, t_end to ?2, ?3 when either is not 0). */
static int count(struct db *db, const char *sql, const char *code, int64_t t, int64_t t_end, int64_t *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_text(st, 1, code);
	if (t || t_end) {
		db_bind_int(st, 2, t);
		db_bind_int(st, 3, t_end);
	}
	rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int short_activities(struct db *db, const char *code, int64_t now, struct community_today *t)
{
	/* Tomorrow in China: from the midnight after today's to the one after that. */
	int64_t midnight = (now + CHINA_OFFSET) / 86400 * 86400 - CHINA_OFFSET;
	struct db_stmt *st = db_prepare(db, "SELECT a.id, a.title, a.starts_at, a.capacity, "
					    "(SELECT COUNT(*) FROM signup s WHERE s.activity_id = a.id AND s.state = 'signed') "
					    "FROM activity a WHERE a.community_code = ? AND a.starts_at >= ? AND a.starts_at < ? "
					    "AND a.state = 'published' ORDER BY a.starts_at, a.id");
	size_t cap = 0;
	int rc;

	db_bind_text(st, 1, code);
	db_bind_int(st, 2, midnight + 86400);
	db_bind_int(st, 3, midnight + 2 * 86400);
	while ((rc = db_step(st)) == DB_ROW) {
		struct today_activity a = { .id = db_col_int(st, 0), .starts_at = db_col_int(st, 2),
					    .capacity = db_col_int(st, 3), .signed_up = db_col_int(st, 4) };

		if (a.signed_up >= a.capacity)
			continue;
		str_copy(a.title, sizeof(a.title), db_col_text(st, 1));
		if (t->nshort == cap)
			t->short_activities = xrealloc(t->short_activities, (cap = cap ? cap * 2 : 8) * sizeof(a));
		t->short_activities[t->nshort++] = a;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int open_shifts(struct db *db, const char *code, int64_t now, struct community_today *t)
{
	struct db_stmt *st = db_prepare(db, "SELECT s.id, p.id, p.name, s.day, s.start_min, s.end_min, s.places, "
					    "(SELECT COUNT(*) FROM duty_assignment d WHERE d.shift_id = s.id AND d.state <> 'cancelled') "
					    "FROM duty_post p JOIN duty_shift s ON s.post_id = p.id "
					    "WHERE p.community_code = ? AND p.state = 'open' AND s.day >= ? AND s.day <= ? "
					    "AND s.ends_at > ? AND s.closed_at = 0 ORDER BY s.day, s.start_min, s.id");
	char today[11], last[11];
	size_t cap = 0;
	int rc;

	clock_date(now, today);
	clock_date(now + 2 * 86400, last);
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, today);
	db_bind_text(st, 3, last);
	db_bind_int(st, 4, now);
	while ((rc = db_step(st)) == DB_ROW) {
		struct today_shift s = { .id = db_col_int(st, 0), .post_id = db_col_int(st, 1), .start_min = db_col_int(st, 4),
					 .end_min = db_col_int(st, 5), .places = db_col_int(st, 6), .filled = db_col_int(st, 7) };

		if (s.filled >= s.places)
			continue;
		str_copy(s.post_name, sizeof(s.post_name), db_col_text(st, 2));
		str_copy(s.day, sizeof(s.day), db_col_text(st, 3));
		if (t->nshifts == cap)
			t->open_shifts = xrealloc(t->open_shifts, (cap = cap ? cap * 2 : 8) * sizeof(s));
		t->open_shifts[t->nshifts++] = s;
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int community_today(struct db *db, const struct region *community, int64_t now, struct community_today *out)
{
	const char *code = community->code;
	struct care_filter f = { .overdue_only = true };
	struct quiet_member *quiet = NULL;
	struct care *care = NULL;
	char today[11];
	size_t n;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	clock_date(now, today);
	if (count(db, "SELECT COUNT(*) FROM registration WHERE community_code = ? AND state = 'pending'", code, 0, 0,
		  &out->registrations_pending) < 0 ||
	    count(db, "SELECT COUNT(*) FROM record WHERE community_code = ? AND state = 'pending'", code, 0, 0,
		  &out->records_pending) < 0 ||
	    count(db, "SELECT COUNT(*) FROM record_request q JOIN record r ON r.id = q.record_id "
		      "WHERE r.community_code = ? AND q.state = 'asked'", code, 0, 0, &out->requests_asked) < 0 ||
	    count(db, "SELECT COUNT(*) FROM need WHERE community_code = ? AND state = 'submitted'", code, 0, 0,
		  &out->needs_new) < 0 ||
	    count(db, "SELECT COUNT(*) FROM need WHERE community_code = ? AND state = 'accepted'", code, 0, 0,
		  &out->needs_to_dispatch) < 0 ||
	    count(db, "SELECT COUNT(*) FROM wish WHERE community_code = ? AND state = 'submitted'", code, 0, 0,
		  &out->wishes_to_approve) < 0 ||
	    short_activities(db, code, now, out) < 0 || open_shifts(db, code, now, out) < 0)
		rc = -1;
	if (rc == 0 && care_list(db, code, &f, today, &care, &n) == CARE_OK)
		out->care_overdue = (int64_t)n;
	else
		rc = -1;
	free(care);
	if (rc == 0 && quiet_in_community(db, community, now, &quiet, &n) == 0)
		out->quiet = (int64_t)n;
	else
		rc = -1;
	free(quiet);
	if (rc < 0)
		community_today_free(out);
	return rc;
}

void community_today_free(struct community_today *t)
{
	free(t->short_activities);
	free(t->open_shifts);
	t->short_activities = NULL;
	t->open_shifts = NULL;
	t->nshort = t->nshifts = 0;
}

int community_monthly_report(struct db *db, const struct region *community, const char *month,
			     struct monthly_report *out)
{
	const char *code = community->code;
	struct stats_month_row *rows = NULL;
	char next[STATS_MONTH_BYTES];
	int64_t from, to;
	size_t n = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	stats_month_next(month, next);
	from = stats_month_start(month);
	to = stats_month_start(next);
	if (stats_region_months(db, code, month, month, &rows, &n) < 0 ||
	    count(db, "SELECT COUNT(DISTINCT x.member_id) FROM record x JOIN member m ON m.id = x.member_id "
		      "WHERE x.community_code = ? AND x.state = 'confirmed' AND x.started_at >= ? AND x.started_at < ? "
		      "AND x.source <> 'correction' AND m.unit_id IS NOT NULL", code, from, to,
		  &out->unit_members_serving) < 0 ||
	    count(db, "SELECT COUNT(*) FROM member WHERE community_code = ? AND state = 'approved'", code, 0, 0,
		  &out->members_living) < 0 ||
	    count(db, "SELECT COUNT(*) FROM need WHERE community_code = ? AND taken_at >= ? AND taken_at < ?", code, from,
		  to, &out->needs_taken) < 0)
		rc = -1;
	if (rc == 0 && n == 1) {
		out->activities = rows[0].v[STATS_ACTIVITIES];
		out->signups = rows[0].v[STATS_SIGNUPS];
		out->attended = rows[0].v[STATS_ATTENDED];
		out->needs_done = rows[0].v[STATS_NEEDS_DONE];
		out->wishes_done = rows[0].v[STATS_WISHES_DONE];
		out->services = rows[0].v[STATS_SERVICES];
		out->minutes = rows[0].v[STATS_MINUTES];
		out->active_members = rows[0].v[STATS_ACTIVE];
	}
	free(rows);
	return rc;
}
