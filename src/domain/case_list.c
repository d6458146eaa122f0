/* case_list.c: lists of cases (the staff's queue with its filters, a resident's own, a community's public list), timelines */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xalloc.h"
#include "domain/case_row.h"
#include "domain/listing.h"

void case_read_row(struct db_stmt *st, struct case_file *out)
{
	int k = 0;

	memset(out, 0, sizeof(*out));
#define TEXT(f) str_copy(out->f, sizeof(out->f), db_col_text(st, k++))
#define INT(f) (out->f = db_col_int(st, k++))
#define SMALL(f) (out->f = (int)db_col_int(st, k++))
	INT(id), TEXT(community_code), TEXT(community_name), TEXT(community_path), TEXT(category_code);
	TEXT(category_name), SMALL(sla_days), TEXT(title), TEXT(description), TEXT(building_code);
	TEXT(building_name), TEXT(place_path), TEXT(place), SMALL(point_x), SMALL(point_y), TEXT(priority);
	out->private_ = db_col_int(st, k++) != 0;
	TEXT(channel), INT(reporter_account_id), TEXT(contact_name), TEXT(contact_phone), INT(need_id), TEXT(state);
	TEXT(state_reason), TEXT(party_kind), INT(party_member_id), INT(party_team_id), INT(party_unit_id);
	TEXT(party_name), INT(due_at), INT(accepted_at), INT(assigned_at), INT(resolved_at), INT(follow_up_at);
	INT(closed_at), TEXT(resolution), SMALL(rating), TEXT(rating_comment), SMALL(reopens), INT(merged_into);
	INT(created_by), INT(created_at), INT(updated_at);
#undef TEXT
#undef INT
#undef SMALL
}

#define OPEN_STATES "('reported', 'accepted', 'assigned', 'in_progress')"

/* " FROM … WHERE …" of f: with the joins a row needs (rows), or the cases alone (counts: every filter is on k). */
static void filters(struct buf *sql, const struct case_filter *f, bool with_state, bool rows)
{
	buf_addstr(sql, rows ? CASE_FROM " WHERE 1 = 1" : " FROM cases k WHERE 1 = 1");
	if (f->scope)
		listing_codes_sql(sql, f->scope, "k.community_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND k.community_code = ?");
	if (with_state && f->state)
		buf_addstr(sql, " AND k.state = ?");
	else if (with_state && (f->open || f->overdue || f->due_soon))
		buf_addstr(sql, " AND k.state IN " OPEN_STATES);
	/*
	 * Counted, the due date is read through COALESCE: a term that implies
	 * due_at IS NOT NULL lets the planner walk the partial index cases_due
	 * over every community, a lookup per row, slower than reading the rows.
	 */
	if (f->overdue)
		buf_addstr(sql, rows ? " AND k.due_at <= ?" : " AND COALESCE(k.due_at, 0) BETWEEN 1 AND ?");
	if (f->due_soon)
		buf_addstr(sql, rows ? " AND k.due_at > ? AND k.due_at <= ?" : " AND COALESCE(k.due_at, 0) > ? AND COALESCE(k.due_at, 0) <= ?");
	if (f->category)
		buf_addstr(sql, " AND k.category_code = ?");
	if (f->building)
		buf_addstr(sql, " AND k.building_code = ?");
	if (f->priority)
		buf_addstr(sql, " AND k.priority = ?");
	if (f->reporter_account_id)
		buf_addstr(sql, " AND k.reporter_account_id = ?");
	if (f->public_only)
		buf_addstr(sql, " AND k.private = 0 AND k.state <> 'merged' AND k.state <> 'refused'");
}

static int bind(struct db_stmt *st, const struct case_filter *f, bool with_state)
{
	int i = 1;

	if (f->scope)
		i = listing_codes_bind(st, f->scope, 0, i);
	if (f->community)
		db_bind_text(st, i++, f->community);
	if (with_state && f->state)
		db_bind_text(st, i++, f->state);
	if (f->overdue)
		db_bind_int(st, i++, f->now);
	if (f->due_soon) {
		db_bind_int(st, i++, f->now);
		db_bind_int(st, i++, f->soon_before);
	}
	if (f->category)
		db_bind_text(st, i++, f->category);
	if (f->building)
		db_bind_text(st, i++, f->building);
	if (f->priority)
		db_bind_text(st, i++, f->priority);
	if (f->reporter_account_id)
		db_bind_int(st, i++, f->reporter_account_id);
	return i;
}

int case_list(struct db *db, const struct case_filter *f, int64_t before, int64_t limit, struct case_file **items,
	      size_t *n, bool *more)
{
	struct buf sql;
	struct db_stmt *st;
	size_t cap = 0;
	int rc, i;

	*items = NULL;
	*n = 0;
	*more = false;
	if (limit < 1)
		limit = 1;
	if (limit > PAGE_SIZE_MAX)
		limit = PAGE_SIZE_MAX;
	buf_init(&sql, 16384);
	buf_addstr(&sql, "SELECT " CASE_COLUMNS);
	filters(&sql, f, true, true);
	if (before > 0)
		buf_addstr(&sql, " AND k.id < ?");
	buf_addstr(&sql, " ORDER BY k.id DESC LIMIT ?");
	st = db_prepare(db, buf_str(&sql));
	i = bind(st, f, true);
	if (before > 0)
		db_bind_int(st, i++, before);
	db_bind_int(st, i, limit + 1); /* one more: whether there is a next page */
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == (size_t)limit) {
			*more = true;
			continue;
		}
		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		case_read_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return CASE_ERROR;
	}
	return CASE_OK;
}

int case_counts(struct db *db, const struct case_filter *f, struct case_count *out, size_t *n)
{
	struct buf sql;
	struct db_stmt *st;
	int rc;

	*n = 0;
	buf_init(&sql, 16384);
	buf_addstr(&sql, "SELECT k.state, COUNT(*)");
	filters(&sql, f, false, false);
	buf_addstr(&sql, " GROUP BY k.state");
	st = db_prepare(db, buf_str(&sql));
	bind(st, f, false);
	while ((rc = db_step(st)) == DB_ROW && *n < CASE_STATES) {
		str_copy(out[*n].state, sizeof(out[*n].state), db_col_text(st, 0));
		out[*n].count = db_col_int(st, 1);
		(*n)++;
	}
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE || rc == DB_ROW ? CASE_OK : CASE_ERROR;
}

int case_events(struct db *db, int64_t id, bool public_only, struct case_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, public_only
						    ? "SELECT e.id, e.kind, e.state, e.note, e.public, COALESCE(a.name, ''), "
						      "e.created_at FROM case_event e LEFT JOIN account a ON a.id = "
						      "e.account_id WHERE e.case_id = ? AND e.public = 1 ORDER BY e.id"
						    : "SELECT e.id, e.kind, e.state, e.note, e.public, COALESCE(a.name, ''), "
						      "e.created_at FROM case_event e LEFT JOIN account a ON a.id = "
						      "e.account_id WHERE e.case_id = ? ORDER BY e.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_event *e;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		e = &(*items)[(*n)++];
		e->id = db_col_int(st, 0);
		str_copy(e->kind, sizeof(e->kind), db_col_text(st, 1));
		str_copy(e->state, sizeof(e->state), db_col_text(st, 2));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 3));
		e->public = db_col_int(st, 4) != 0;
		str_copy(e->by, sizeof(e->by), db_col_text(st, 5));
		e->at = db_col_int(st, 6);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return CASE_ERROR;
	}
	return CASE_OK;
}

int case_workers(struct db *db, int64_t id, struct case_work **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT w.member_id, w.minutes, COALESCE(w.record_id, 0), m.name FROM "
					    "case_worker w JOIN member m ON m.id = w.member_id WHERE w.case_id = ? "
					    "ORDER BY w.created_at, w.member_id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_work *w;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 8) * sizeof(**items));
		w = &(*items)[(*n)++];
		w->member_id = db_col_int(st, 0);
		w->minutes = db_col_int(st, 1);
		w->record_id = db_col_int(st, 2);
		str_copy(w->name, sizeof(w->name), db_col_text(st, 3));
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return CASE_ERROR;
	}
	return CASE_OK;
}
