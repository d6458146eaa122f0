/* record_list.c: reading records: the confirmation queue and other lists by index, a record's fields and timeline, a member's numbers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/listing.h"
#include "domain/record.h"
#include "domain/record_row.h"

struct list_query {
	const struct scope *scope;
	const struct record_filter *f;
	bool ascending; /* the pending queue: oldest first */
	char lo[24], hi[26]; /* the community filter's code range */
};

/* FROM and WHERE of the page's ids: by the community's code (an index range), or by the member's unit. */
static void filters_sql(struct buf *sql, const struct list_query *q)
{
	const struct record_filter *f = q->f;

	buf_addstr(sql, q->scope->nunits ? " FROM record g JOIN member m ON m.id = g.member_id WHERE 1=1"
					 : " FROM record g WHERE 1=1");
	listing_codes_sql(sql, q->scope, "g.community_code", "m.unit_id", false);
	if (f->community)
		buf_addstr(sql, " AND g.community_code >= ? AND g.community_code < ?");
	if (f->state)
		buf_addstr(sql, " AND g.state = ?");
	if (f->source)
		buf_addstr(sql, " AND g.source = ?");
	if (f->activity_id)
		buf_addstr(sql, " AND g.activity_id = ?");
	if (f->post_id)
		buf_addstr(sql, " AND g.post_id = ?");
	if (f->team_id)
		buf_addstr(sql, " AND g.activity_id IN (SELECT t.id FROM activity t WHERE t.team_id = ?)");
	if (f->member_id)
		buf_addstr(sql, " AND g.member_id = ?");
	if (f->corrects_id)
		buf_addstr(sql, " AND g.corrects_id = ?");
	if (f->from)
		buf_addstr(sql, " AND g.started_at >= ?");
	if (f->to)
		buf_addstr(sql, " AND g.started_at < ?");
	if (f->after)
		buf_addstr(sql, q->ascending ? " AND (g.started_at, g.id) > ((SELECT started_at FROM record WHERE id = ?), ?)"
					     : " AND (g.started_at, g.id) < ((SELECT started_at FROM record WHERE id = ?), ?)");
}

static int filters_bind(struct db_stmt *st, const struct list_query *q)
{
	const struct record_filter *f = q->f;
	int i = listing_codes_bind(st, q->scope, 1, 1);

	if (f->community) {
		db_bind_text(st, i++, q->lo);
		db_bind_text(st, i++, q->hi);
	}
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->source)
		db_bind_text(st, i++, f->source);
	if (f->activity_id)
		db_bind_int(st, i++, f->activity_id);
	if (f->post_id)
		db_bind_int(st, i++, f->post_id);
	if (f->team_id)
		db_bind_int(st, i++, f->team_id);
	if (f->member_id)
		db_bind_int(st, i++, f->member_id);
	if (f->corrects_id)
		db_bind_int(st, i++, f->corrects_id);
	if (f->from)
		db_bind_int(st, i++, f->from);
	if (f->to)
		db_bind_int(st, i++, f->to);
	if (f->after) {
		db_bind_int(st, i++, f->after);
		db_bind_int(st, i++, f->after);
	}
	return i;
}

int record_list(struct db *db, const struct scope *scope, const struct record_filter *f, struct record **items,
		size_t *n, int64_t *total)
{
	struct list_query q = { .scope = scope, .f = f, .ascending = f->state && !strcmp(f->state, "pending") }, whole;
	struct record_filter unpaged = *f;
	const char *order = q.ascending ? " ORDER BY g.started_at, g.id" : " ORDER BY g.started_at DESC, g.id DESC";
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	char path[32];
	int rc, i;

	*items = NULL;
	*n = 0;
	if (f->community) {
		snprintf(path, sizeof(path), "/%s/", f->community);
		listing_code_range(path, q.lo, q.hi);
	}
	/*
	 * Counted up to a cap: a district's years of records are "10000+", not a
	 * scan of them all. The count is the whole list's, whichever page this is.
	 */
	unpaged.after = 0;
	whole = q;
	whole.f = &unpaged;
	buf_addstr(&sql, "SELECT COUNT(*) FROM (SELECT 1");
	filters_sql(&sql, &whole);
	buf_addf(&sql, " LIMIT %d) AS capped", RECORD_COUNT_CAP + 1);
	st = db_prepare(db, sql.data);
	filters_bind(st, &whole);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		goto out;
	/* The page's ids first, through the index, then their rows. */
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT " RECORD_COLUMNS " FROM (SELECT g.id AS id");
	filters_sql(&sql, &q);
	buf_addf(&sql, "%s LIMIT ? OFFSET ?) AS page JOIN record g ON g.id = page.id" RECORD_JOINS "%s", order, order);
	st = db_prepare(db, sql.data);
	i = filters_bind(st, &q);
	db_bind_int(st, i++, f->per_page);
	db_bind_int(st, i, f->after ? 0 : (f->page - 1) * f->per_page);
	*items = xcalloc((size_t)f->per_page, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)f->per_page)
		record_read_row(st, &(*items)[(*n)++]);
	db_done(st);
out:
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return RECORD_ERROR;
	}
	return RECORD_OK;
}

int record_values(struct db *db, int64_t id, struct record_value **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT f.name, f.value FROM record_field f JOIN record g ON g.id = f.record_id "
					    "LEFT JOIN catalog_field cf ON cf.item_id = g.item_id AND cf.name = f.name "
					    "WHERE f.record_id = ? ORDER BY COALESCE(cf.position, 1000), f.name");
	size_t cap = 4;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		str_copy((*items)[*n].name, sizeof((*items)[*n].name), db_col_text(st, 0));
		str_copy((*items)[*n].value, sizeof((*items)[*n].value), db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE ? RECORD_OK : RECORD_ERROR;
}

int record_events(struct db *db, int64_t id, struct record_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT e.at, COALESCE(e.account_id, 0), COALESCE(a.name, ''), e.event, "
					    "e.note FROM record_event e LEFT JOIN account a ON a.id = e.account_id "
					    "WHERE e.record_id = ? ORDER BY e.id");
	size_t cap = 4;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct record_event *e;

		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		e = &(*items)[(*n)++];
		e->at = db_col_int(st, 0);
		e->account_id = db_col_int(st, 1);
		str_copy(e->by, sizeof(e->by), db_col_text(st, 2));
		str_copy(e->event, sizeof(e->event), db_col_text(st, 3));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 4));
	}
	db_done(st);
	return rc == DB_DONE ? RECORD_OK : RECORD_ERROR;
}

int record_summary(struct db *db, int64_t member_id, struct record_summary *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(SUM(CASE WHEN source <> 'correction' AND state <> 'withdrawn' "
					    "THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 "
					    "END), 0), COALESCE(SUM(CASE WHEN state = 'confirmed' AND source <> 'correction' "
					    "THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN state = 'confirmed' THEN minutes "
					    "ELSE 0 END), 0) FROM record WHERE member_id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->total = db_col_int(st, 0);
		out->pending = db_col_int(st, 1);
		out->confirmed = db_col_int(st, 2);
		out->confirmed_minutes = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_ROW ? RECORD_OK : RECORD_ERROR;
}
