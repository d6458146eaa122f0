/* need_list.c: lists of needs: the staff's queue, a resident's own, a member's tasks, the open needs of a community */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/agreement.h"
#include "domain/listing.h"
#include "domain/need_row.h"

void need_read_row(struct db_stmt *st, struct need *out)
{
	int k = 0;

	memset(out, 0, sizeof(*out));
#define TEXT(f) str_copy(out->f, sizeof(out->f), db_col_text(st, k++))
#define INT(f) (out->f = db_col_int(st, k++))
	INT(id), TEXT(community_code), TEXT(community_name), TEXT(community_path), INT(item_id), TEXT(item_name);
	TEXT(specialties), TEXT(description), TEXT(building_code), TEXT(building_name), TEXT(place_path);
	TEXT(place), TEXT(wanted_on), TEXT(wanted_part), TEXT(urgency), TEXT(contact_name), TEXT(contact_phone);
	TEXT(channel), INT(requester_account_id), TEXT(state), TEXT(state_reason), TEXT(assignee_kind);
	INT(assignee_member_id), INT(assignee_team_id), INT(assignee_unit_id), INT(assignee_account_id);
	TEXT(assignee_name), TEXT(done_note), TEXT(rating_comment), INT(minutes), INT(rating), INT(expires_at);
	INT(accepted_at), INT(dispatched_at), INT(taken_at), INT(done_at), INT(closed_at), INT(record_id);
	INT(project_id), INT(created_by), INT(created_at), INT(updated_at);
#undef TEXT
#undef INT
}

static void filters(struct buf *sql, const void *arg)
{
	const struct need_filter *f = arg;

	buf_addstr(sql, NEED_FROM " WHERE 1 = 1");
	if (f->scope)
		listing_codes_sql(sql, f->scope, "n.community_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND n.community_code = ?");
	if (f->state)
		buf_addstr(sql, " AND n.state = ?");
	else if (f->open)
		buf_addstr(sql, " AND n.state IN ('submitted', 'accepted', 'dispatched', 'taken', 'in_progress', 'done')");
	if (f->urgency)
		buf_addstr(sql, " AND n.urgency = ?");
	if (f->item_id)
		buf_addstr(sql, " AND n.item_id = ?");
	if (f->requester_account_id)
		buf_addstr(sql, " AND n.requester_account_id = ?");
	if (f->partner_unit_id)
		buf_addstr(sql, AGREEMENT_PARTNER_SQL("n.community_code"));
	if (f->holder_account_id)
		buf_addstr(sql, " AND (n.assignee_account_id = ? OR (n.assignee_account_id IS NULL AND n.assignee_unit_id = ?))"
				" AND n.state IN ('dispatched', 'taken', 'in_progress', 'done')");
}

static int bind(struct db_stmt *st, const void *arg)
{
	const struct need_filter *f = arg;
	int i = 1;

	if (f->scope)
		i = listing_codes_bind(st, f->scope, 0, i);
	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->urgency)
		db_bind_text(st, i++, f->urgency);
	if (f->item_id)
		db_bind_int(st, i++, f->item_id);
	if (f->requester_account_id)
		db_bind_int(st, i++, f->requester_account_id);
	if (f->partner_unit_id) {
		db_bind_int(st, i++, f->partner_unit_id);
		db_bind_text(st, i++, f->partner_today);
		db_bind_text(st, i++, f->partner_today);
	}
	if (f->holder_account_id) {
		db_bind_int(st, i++, f->holder_account_id);
		db_bind_int(st, i++, f->holder_unit_id ? f->holder_unit_id : -1);
	}
	return i;
}

static void read_row(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	need_read_row(st, item);
}

int need_list(struct db *db, const struct need_filter *f, int64_t page, int64_t per_page, struct need **items,
	      size_t *n, int64_t *total)
{
	/* The queue: urgent first, then the oldest; a resident's and a member's lists: the newest first. */
	const struct listing l = { NEED_COLUMNS, filters, bind,
				   f->scope || f->community ? " ORDER BY n.urgency DESC, n.id" : " ORDER BY n.id DESC",
				   sizeof(struct need), read_row };
	void *out = NULL;

	if (listing_page(db, &l, f, page, per_page, &out, n, total) < 0)
		return NEED_ERROR;
	*items = out;
	return NEED_OK;
}

int need_counts(struct db *db, const struct need_filter *f, struct need_count *out, size_t *n)
{
	struct buf sql;
	struct db_stmt *st;
	struct need_filter g = *f;
	int rc;

	g.state = NULL;
	g.open = false;
	*n = 0;
	buf_init(&sql, 8192);
	buf_addstr(&sql, "SELECT n.state, COUNT(*)");
	filters(&sql, &g);
	buf_addstr(&sql, " GROUP BY n.state");
	st = db_prepare(db, buf_str(&sql));
	bind(st, &g);
	while ((rc = db_step(st)) == DB_ROW && *n < NEED_STATES) {
		str_copy(out[*n].state, sizeof(out[*n].state), db_col_text(st, 0));
		out[*n].count = db_col_int(st, 1);
		(*n)++;
	}
	db_done(st);
	buf_release(&sql);
	return rc == DB_DONE || rc == DB_ROW ? NEED_OK : NEED_ERROR;
}

int need_events(struct db *db, int64_t id, struct need_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT e.kind, e.state, e.note, COALESCE(a.name, ''), e.created_at FROM "
					    "need_event e LEFT JOIN account a ON a.id = e.account_id WHERE e.need_id = ? "
					    "ORDER BY e.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct need_event *e;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		e = &(*items)[(*n)++];
		str_copy(e->kind, sizeof(e->kind), db_col_text(st, 0));
		str_copy(e->state, sizeof(e->state), db_col_text(st, 1));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 2));
		str_copy(e->by, sizeof(e->by), db_col_text(st, 3));
		e->at = db_col_int(st, 4);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return NEED_ERROR;
	}
	return NEED_OK;
}
