/* wish_list.c: reading micro-wishes: one whole, its timeline, and the lists (the staff's, the wall, a member's) */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/agreement.h"
#include "domain/listing.h"
#include "domain/wish.h"

/* The columns read_row reads, over FROM (w the wish, r its community). */
#define COLUMNS                                                                                                    \
	"w.id, w.community_code, r.name, r.path, w.beneficiary_name, COALESCE(w.beneficiary_account_id, 0), "         \
	"w.title, w.description, COALESCE(w.value_cap, 0), w.state, w.refuse_reason, COALESCE(w.publish_until, 0), " \
	"COALESCE(w.claimer_kind, ''), COALESCE(w.claimer_member_id, 0), COALESCE(w.claimer_team_id, 0), "           \
	"COALESCE(w.claimer_unit_id, 0), COALESCE(w.claimer_account_id, 0), w.claimer_name, "                        \
	"COALESCE(w.claimed_at, 0), COALESCE(w.claim_until, 0), w.fulfil_note, COALESCE(w.value_spent, -1), "        \
	"COALESCE(w.minutes, 0), COALESCE(w.fulfilled_at, 0), COALESCE(w.confirmed_at, 0), "                         \
	"COALESCE(w.confirmed_by, 0), COALESCE(w.record_id, 0), COALESCE(w.bonus_id, 0), COALESCE(w.created_by, 0), " \
	"w.created_at, w.updated_at, w.beneficiary_phone, COALESCE(w.item_code, ''), COALESCE(w.due_on, ''), "  \
	"COALESCE((SELECT MIN(p.id) FROM list_photos p WHERE p.wish_id = w.id AND p.stage = 'ask'), 0)"
#define FROM " FROM wish w JOIN region r ON r.code = w.community_code"

static void read_row(struct db_stmt *st, struct wish *w)
{
	memset(w, 0, sizeof(*w));
	w->id = db_col_int(st, 0);
	str_copy(w->community_code, sizeof(w->community_code), db_col_text(st, 1));
	str_copy(w->community_name, sizeof(w->community_name), db_col_text(st, 2));
	str_copy(w->community_path, sizeof(w->community_path), db_col_text(st, 3));
	str_copy(w->beneficiary_name, sizeof(w->beneficiary_name), db_col_text(st, 4));
	w->beneficiary_account_id = db_col_int(st, 5);
	str_copy(w->title, sizeof(w->title), db_col_text(st, 6));
	str_copy(w->description, sizeof(w->description), db_col_text(st, 7));
	w->value_cap = db_col_int(st, 8);
	str_copy(w->state, sizeof(w->state), db_col_text(st, 9));
	str_copy(w->refuse_reason, sizeof(w->refuse_reason), db_col_text(st, 10));
	w->publish_until = db_col_int(st, 11);
	str_copy(w->claimer_kind, sizeof(w->claimer_kind), db_col_text(st, 12));
	w->claimer_member_id = db_col_int(st, 13);
	w->claimer_team_id = db_col_int(st, 14);
	w->claimer_unit_id = db_col_int(st, 15);
	w->claimer_account_id = db_col_int(st, 16);
	str_copy(w->claimer_name, sizeof(w->claimer_name), db_col_text(st, 17));
	w->claimed_at = db_col_int(st, 18);
	w->claim_until = db_col_int(st, 19);
	str_copy(w->fulfil_note, sizeof(w->fulfil_note), db_col_text(st, 20));
	w->value_spent = db_col_int(st, 21);
	w->minutes = db_col_int(st, 22);
	w->fulfilled_at = db_col_int(st, 23);
	w->confirmed_at = db_col_int(st, 24);
	w->confirmed_by = db_col_int(st, 25);
	w->record_id = db_col_int(st, 26);
	w->bonus_id = db_col_int(st, 27);
	w->created_by = db_col_int(st, 28);
	w->created_at = db_col_int(st, 29);
	w->updated_at = db_col_int(st, 30);
	str_copy(w->beneficiary_phone, sizeof(w->beneficiary_phone), db_col_text(st, 31));
	str_copy(w->item_code, sizeof(w->item_code), db_col_text(st, 32));
	str_copy(w->due_on, sizeof(w->due_on), db_col_text(st, 33));
	w->ask_photo_id = db_col_int(st, 34);
}

int wish_get(struct db *db, int64_t id, struct wish *w)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS FROM " WHERE w.id = ?");
	int rc;

	memset(w, 0, sizeof(*w));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, w);
	db_done(st);
	return rc == DB_ROW ? WISH_OK : rc == DB_DONE ? WISH_NOT_FOUND : WISH_ERROR;
}

int wish_events(struct db *db, int64_t id, struct wish_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT e.id, e.kind, e.state, e.note, COALESCE(e.account_id, 0), "
					    "COALESCE(a.name, ''), e.created_at FROM wish_event e LEFT JOIN account a ON "
					    "a.id = e.account_id WHERE e.wish_id = ? ORDER BY e.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct wish_event *e;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		e = &(*items)[(*n)++];
		e->id = db_col_int(st, 0);
		str_copy(e->kind, sizeof(e->kind), db_col_text(st, 1));
		str_copy(e->state, sizeof(e->state), db_col_text(st, 2));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 3));
		e->account_id = db_col_int(st, 4);
		str_copy(e->by, sizeof(e->by), db_col_text(st, 5));
		e->created_at = db_col_int(st, 6);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return WISH_ERROR;
	}
	return WISH_OK;
}

static void filters(struct buf *sql, const void *arg)
{
	const struct wish_filter *f = arg;

	buf_addstr(sql, FROM " WHERE 1 = 1");
	if (f->scope)
		listing_codes_sql(sql, f->scope, "w.community_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND w.community_code = ?");
	if (f->state)
		buf_addstr(sql, " AND w.state = ?");
	if (f->claimer_account_id && f->claimer_unit_id)
		buf_addstr(sql, " AND (w.claimer_account_id = ? OR w.claimer_unit_id = ?)");
	else if (f->claimer_account_id)
		buf_addstr(sql, " AND w.claimer_account_id = ?");
	else if (f->claimer_unit_id)
		buf_addstr(sql, " AND w.claimer_unit_id = ?");
	if (f->partner_unit_id)
		buf_addstr(sql, AGREEMENT_PARTNER_SQL("w.community_code"));
	if (f->beneficiary_account_id)
		buf_addstr(sql, " AND w.beneficiary_account_id = ?");
}

static int bind(struct db_stmt *st, const void *arg)
{
	const struct wish_filter *f = arg;
	int i = 1;

	if (f->scope)
		i = listing_codes_bind(st, f->scope, 0, i);
	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->state)
		db_bind_text(st, i++, f->state);
	if (f->claimer_account_id)
		db_bind_int(st, i++, f->claimer_account_id);
	if (f->claimer_unit_id)
		db_bind_int(st, i++, f->claimer_unit_id);
	if (f->partner_unit_id) {
		db_bind_int(st, i++, f->partner_unit_id);
		db_bind_text(st, i++, f->partner_today);
		db_bind_text(st, i++, f->partner_today);
	}
	if (f->beneficiary_account_id)
		db_bind_int(st, i++, f->beneficiary_account_id);
	return i;
}

static void read_item(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	read_row(st, item);
}

int wish_list(struct db *db, const struct wish_filter *f, int64_t page, int64_t per_page, struct wish **items,
	      size_t *n, int64_t *total)
{
	static const struct listing l = { COLUMNS, filters, bind, " ORDER BY w.id DESC", sizeof(struct wish), read_item };
	void *out = NULL;

	if (listing_page(db, &l, f, page, per_page, &out, n, total) < 0)
		return WISH_ERROR;
	*items = out;
	return WISH_OK;
}
