/* activity_list.c: lists of activities: a scope's calendar, a team's, and what a member may sign up for near home */
#include "domain/activity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/listing.h"

struct query {
	const struct scope *scope; /* NULL: a team's */
	const struct activity_filter *f;
	bool wide;
};

/* FROM and WHERE of a list's ids: a narrow scope by its communities' codes, a wide one in start order. */
static void filters_sql(struct buf *sql, const struct query *q)
{
	buf_addstr(sql, " FROM activity a WHERE 1=1");
	if (q->scope)
		listing_codes_sql(sql, q->scope, "a.community_code", "a.unit_id", q->wide);
	else
		buf_addstr(sql, " AND a.team_id = ?");
	if (q->f->community)
		buf_addstr(sql, " AND a.community_code = ?");
	if (q->f->state)
		buf_addstr(sql, " AND a.state = ?");
	if (q->f->team_id && q->scope)
		buf_addstr(sql, " AND a.team_id = ?");
	if (q->f->unit_id)
		buf_addstr(sql, " AND a.unit_id = ?");
	if (q->f->from)
		buf_addstr(sql, " AND a.starts_at >= ?");
	if (q->f->to)
		buf_addstr(sql, " AND a.starts_at < ?");
}

static int filters_bind(struct db_stmt *st, const struct query *q)
{
	int i = q->scope ? listing_codes_bind(st, q->scope, 1, 1) : 1;

	if (!q->scope)
		db_bind_int(st, i++, q->f->team_id);
	if (q->f->community)
		db_bind_text(st, i++, q->f->community);
	if (q->f->state)
		db_bind_text(st, i++, q->f->state);
	if (q->f->team_id && q->scope)
		db_bind_int(st, i++, q->f->team_id);
	if (q->f->unit_id)
		db_bind_int(st, i++, q->f->unit_id);
	if (q->f->from)
		db_bind_int(st, i++, q->f->from);
	if (q->f->to)
		db_bind_int(st, i++, q->f->to);
	return i;
}

/* Reads the activities of ids, in their order, into *items (caller frees). */
static int read_ids(struct db *db, const int64_t *ids, size_t k, struct activity **items, size_t *n)
{
	struct buf sql = BUF_INIT;
	int rc = ACTIVITY_OK;

	*items = xcalloc(k ? k : 1, sizeof(**items));
	*n = 0;
	buf_addf(&sql, "%s WHERE a.id = ?", activity_columns_sql());
	for (size_t i = 0; i < k && rc == ACTIVITY_OK; i++) {
		struct db_stmt *st = db_prepare(db, sql.data);
		int r;

		db_bind_int(st, 1, ids[i]);
		r = db_step(st);
		if (r == DB_ROW)
			activity_read_row(st, &(*items)[(*n)++]);
		else
			rc = ACTIVITY_ERROR;
		db_done(st);
	}
	buf_release(&sql);
	if (rc != ACTIVITY_OK) {
		free(*items);
		*items = NULL;
		*n = 0;
	}
	return rc;
}

/* Steps st (its ids in its first column) into ids; -1 on an error. */
static int collect(struct db_stmt *st, int64_t *ids, size_t max, size_t *k)
{
	int rc;

	*k = 0;
	while ((rc = db_step(st)) == DB_ROW && *k < max)
		ids[(*k)++] = db_col_int(st, 0);
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

static int list_query(struct db *db, const struct query *q, struct activity **items, size_t *n, int64_t *total)
{
	int64_t ids[PAGE_SIZE_MAX];
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t k = 0;
	int rc, i;

	*items = NULL;
	*n = 0;
	buf_addstr(&sql, "SELECT COUNT(*)");
	filters_sql(&sql, q);
	st = db_prepare(db, sql.data);
	filters_bind(st, q);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		goto fail;
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT a.id");
	filters_sql(&sql, q);
	buf_addstr(&sql, " ORDER BY a.starts_at, a.id LIMIT ? OFFSET ?");
	st = db_prepare(db, sql.data);
	i = filters_bind(st, q);
	db_bind_int(st, i++, q->f->per_page);
	db_bind_int(st, i, (q->f->page - 1) * q->f->per_page);
	if (collect(st, ids, PAGE_SIZE_MAX, &k) < 0)
		goto fail;
	buf_release(&sql);
	return read_ids(db, ids, k, items, n);
fail:
	buf_release(&sql);
	return ACTIVITY_ERROR;
}

int activity_list(struct db *db, const struct scope *scope, const struct activity_filter *f, struct activity **items,
		  size_t *n, int64_t *total)
{
	struct query q = { scope, f, listing_scope_wide(scope) };

	return list_query(db, &q, items, n, total);
}

int activity_list_team(struct db *db, int64_t team_id, const struct activity_filter *f, struct activity **items,
		       size_t *n, int64_t *total)
{
	struct activity_filter g = *f;
	struct query q = { NULL, &g, false };

	g.team_id = team_id;
	return list_query(db, &q, items, n, total);
}

/*
 * The three tiers of what is near a member, in order: their community's (any
 * audience), their street's other communities' open to the street or the
 * city, the city's other streets' open to the city. Each reads a partial
 * index of the published ones (closed and cancelled activities are not in it).
 */
#define NEAR_SQL                                                                                                  \
	" FROM (SELECT a.id, 0 AS tier, a.starts_at FROM activity a WHERE a.state = 'published' AND "              \
	"a.community_code = ? AND a.ends_at > ? UNION ALL SELECT a.id, 1, a.starts_at FROM activity a WHERE "       \
	"a.state = 'published' AND a.community_code >= ? AND a.community_code < ? AND a.community_code <> ? AND "   \
	"a.ends_at > ? AND a.audience IN ('street', 'city') UNION ALL SELECT a.id, 2, a.starts_at FROM activity a " \
	"WHERE a.state = 'published' AND a.audience = 'city' AND a.ends_at > ? AND a.community_code >= ? AND "      \
	"a.community_code < ? AND NOT (a.community_code >= ? AND a.community_code < ?)) near"

static int near_bind(struct db_stmt *st, const char *code, int64_t now)
{
	char street[24], street_hi[26], city[24], city_hi[26];
	int i = 1;

	snprintf(street, sizeof(street), "%.9s", code);
	snprintf(street_hi, sizeof(street_hi), "%s:", street);
	snprintf(city, sizeof(city), "%.4s", code);
	snprintf(city_hi, sizeof(city_hi), "%s:", city);
	db_bind_text(st, i++, code);
	db_bind_int(st, i++, now);
	db_bind_text(st, i++, street);
	db_bind_text(st, i++, street_hi);
	db_bind_text(st, i++, code);
	db_bind_int(st, i++, now);
	db_bind_int(st, i++, now);
	db_bind_text(st, i++, city);
	db_bind_text(st, i++, city_hi);
	db_bind_text(st, i++, street);
	db_bind_text(st, i++, street_hi);
	return i;
}

int activity_near(struct db *db, const char *member_code, int64_t now, int64_t page, int64_t per_page,
		  struct activity **items, size_t *n, int64_t *total)
{
	int64_t ids[PAGE_SIZE_MAX] = { 0 };
	struct db_stmt *st;
	size_t k;
	int rc, i;

	*items = NULL;
	*n = 0;
	*total = 0;
	if (strlen(member_code) != 12)
		return read_ids(db, ids, 0, items, n);
	st = db_prepare(db, "SELECT COUNT(*)" NEAR_SQL);
	near_bind(st, member_code, now);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return ACTIVITY_ERROR;
	st = db_prepare(db, "SELECT id" NEAR_SQL " ORDER BY tier, starts_at, id LIMIT ? OFFSET ?");
	i = near_bind(st, member_code, now);
	db_bind_int(st, i++, per_page);
	db_bind_int(st, i, (page - 1) * per_page);
	if (collect(st, ids, PAGE_SIZE_MAX, &k) < 0)
		return ACTIVITY_ERROR;
	return read_ids(db, ids, k, items, n);
}
