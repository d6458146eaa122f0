/* shelf.c: the rewards shelf (爱心超市): items kept by staff; redemptions that spend points, handed over or cancelled */
#include "domain/shelf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/ledger.h"
#include "domain/listing.h"
#include "domain/registration.h"

const char *const redemption_states[] = { "awaiting", "handed_over", "cancelled", NULL };

static int finish(struct db *db, int rc)
{
	if (rc != SHELF_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? SHELF_ERROR : SHELF_OK;
}

static void bind_account(struct db_stmt *st, int i, const struct actor *who)
{
	if (who->account_id)
		db_bind_int(st, i, who->account_id);
	else
		db_bind_null(st, i);
}

static int audit(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
		 const char *path, const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, type, idt, path, "ok", detail ? detail : "");
}

/* An item's columns: the community's name and path, and its awaiting redemptions; the member's this month last. */
#define ITEM_COLUMNS                                                                                          \
	"s.id, s.community_code, r.name, r.path, s.name, s.description, s.price, s.stock, s.monthly_limit, "   \
	"s.retired_at, s.created_at, s.updated_at, "                                                          \
	"(SELECT count(*) FROM redemption x WHERE x.item_id = s.id AND x.state = 'awaiting')"
#define ITEM_FROM " FROM shelf_item s JOIN region r ON r.code = s.community_code"
#define MINE_SQL                                                                                              \
	"(SELECT count(*) FROM redemption x WHERE x.item_id = s.id AND x.member_id = ? AND x.month = ? AND " \
	"x.state <> 'cancelled')"

static void read_item(struct db_stmt *st, void *item, const void *arg)
{
	struct shelf_item *o = item;

	(void)arg;
	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, 0);
	str_copy(o->community_code, sizeof(o->community_code), db_col_text(st, 1));
	str_copy(o->community_name, sizeof(o->community_name), db_col_text(st, 2));
	str_copy(o->community_path, sizeof(o->community_path), db_col_text(st, 3));
	str_copy(o->name, sizeof(o->name), db_col_text(st, 4));
	str_copy(o->description, sizeof(o->description), db_col_text(st, 5));
	o->price = db_col_int(st, 6);
	o->stock = db_col_int(st, 7);
	o->monthly_limit = db_col_int(st, 8);
	o->retired_at = db_col_int(st, 9);
	o->created_at = db_col_int(st, 10);
	o->updated_at = db_col_int(st, 11);
	o->awaiting = db_col_int(st, 12);
}

/* The row of sql (one ? for the id) read into out by read: SHELF_OK, SHELF_NOT_FOUND or SHELF_ERROR. */
static int get_one(struct db *db, const char *sql, int64_t id, void (*read)(struct db_stmt *, void *, const void *),
		   void *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? SHELF_OK : rc == DB_DONE ? SHELF_NOT_FOUND : SHELF_ERROR;
}

int shelf_item_get(struct db *db, int64_t id, struct shelf_item *out)
{
	memset(out, 0, sizeof(*out));
	return get_one(db, "SELECT " ITEM_COLUMNS ITEM_FROM " WHERE s.id = ?", id, read_item, out);
}

/* The numbers of an item within their bounds (the API's spec checks them too: this is the domain's word). */
static void check_numbers(const struct shelf_input *in, struct field_errors *errs)
{
	if (in->price < 1 || in->price > SHELF_PRICE_MAX)
		field_errors_add(errs, "price", "out_of_range", "所需积分应为 1 到 100000");
	if (in->stock < 0 || in->stock > SHELF_STOCK_MAX)
		field_errors_add(errs, "stock", "out_of_range", "库存应为 0 到 100000");
	if (in->monthly_limit < 0 || in->monthly_limit > SHELF_LIMIT_MAX)
		field_errors_add(errs, "monthly_limit", "out_of_range", "每人每月限兑应为 0（不限）到 100");
	if (!in->name || !*in->name)
		field_errors_add(errs, "name", "required", "请填写物品名称");
}

/* The name is taken by another item on the same shelf. */
static int name_taken(int rc, struct field_errors *errs)
{
	if (rc != DB_UNIQUE)
		return SHELF_ERROR;
	field_errors_add(errs, "name", "taken", "本社区的爱心超市已有同名物品");
	return SHELF_INVALID;
}

int shelf_item_create(struct db *db, const struct actor *who, const struct shelf_input *in, struct field_errors *errs,
		      int64_t *id)
{
	struct region c;
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc = in->community_code ? region_get(db, in->community_code, &c) : REGION_NOT_FOUND;

	if (rc == REGION_ERROR)
		return SHELF_ERROR;
	if (rc != REGION_OK || strcmp(c.level, "community"))
		field_errors_add(errs, "community_code", "not_found", "应为一个社区");
	check_numbers(in, errs);
	if (errs->n)
		return SHELF_INVALID;
	if (db_begin(db) < 0)
		return SHELF_ERROR;
	st = db_prepare(db, "INSERT INTO shelf_item (community_code, name, description, price, stock, monthly_limit, "
			    "created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, c.code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->description ? in->description : "");
	db_bind_int(st, 4, in->price);
	db_bind_int(st, 5, in->stock);
	db_bind_int(st, 6, in->monthly_limit);
	bind_account(st, 7, who);
	db_bind_int(st, 8, now);
	db_bind_int(st, 9, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	rc = rc == DB_ROW ? SHELF_OK : name_taken(rc, errs);
	if (rc == SHELF_OK && audit(db, who, "shelf_item.create", "shelf_item", *id, c.path, in->name) < 0)
		rc = SHELF_ERROR;
	return finish(db, rc);
}

int shelf_item_update(struct db *db, const struct actor *who, int64_t id, const struct shelf_input *in,
		      struct field_errors *errs)
{
	struct shelf_item it;
	struct db_stmt *st;
	int rc;

	check_numbers(in, errs);
	if (errs->n)
		return SHELF_INVALID;
	if (db_begin(db) < 0)
		return SHELF_ERROR;
	rc = shelf_item_get(db, id, &it);
	if (rc == SHELF_OK && it.retired_at)
		rc = SHELF_RETIRED;
	if (rc != SHELF_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE shelf_item SET name = ?, description = ?, price = ?, stock = ?, monthly_limit = ?, "
			    "updated_at = ? WHERE id = ? AND retired_at = 0");
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->description ? in->description : "");
	db_bind_int(st, 3, in->price);
	db_bind_int(st, 4, in->stock);
	db_bind_int(st, 5, in->monthly_limit);
	db_bind_int(st, 6, clock_now());
	db_bind_int(st, 7, id);
	rc = db_step(st);
	db_done(st);
	rc = rc == DB_DONE ? SHELF_OK : name_taken(rc, errs);
	if (rc == SHELF_OK && audit(db, who, "shelf_item.update", "shelf_item", id, it.community_path, in->name) < 0)
		rc = SHELF_ERROR;
	return finish(db, rc);
}

int shelf_item_retire(struct db *db, const struct actor *who, int64_t id)
{
	struct shelf_item it;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return SHELF_ERROR;
	rc = shelf_item_get(db, id, &it);
	if (rc == SHELF_OK && it.retired_at)
		rc = SHELF_RETIRED;
	if (rc != SHELF_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE shelf_item SET retired_at = ?, updated_at = ? WHERE id = ? AND retired_at = 0");
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? SHELF_OK : SHELF_ERROR;
	db_done(st);
	if (rc == SHELF_OK && audit(db, who, "shelf_item.retire", "shelf_item", id, it.community_path, it.name) < 0)
		rc = SHELF_ERROR;
	return finish(db, rc);
}

/* This calendar month in China, YYYY-MM. */
static void this_month(char out[8])
{
	char day[11];

	clock_date(clock_now(), day);
	memcpy(out, day, 7);
	out[7] = '\0';
}

int shelf_item_list(struct db *db, const struct scope *scope, const struct shelf_filter *f, struct shelf_item **items,
		    size_t *n)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	char month[8];
	size_t cap = 8;
	int rc, i = 1;

	this_month(month);
	buf_addf(&sql, "SELECT " ITEM_COLUMNS ", %s" ITEM_FROM " WHERE 1=1", f->member_id ? MINE_SQL : "0");
	if (f->community)
		buf_addstr(&sql, " AND s.community_code = ?");
	if (f->on_shelf)
		buf_addstr(&sql, " AND s.retired_at = 0");
	listing_codes_sql(&sql, scope, "s.community_code", NULL, false);
	buf_addstr(&sql, " ORDER BY s.retired_at > 0, s.id LIMIT ?");
	st = db_prepare(db, sql.data);
	if (f->member_id) {
		db_bind_int(st, i++, f->member_id);
		db_bind_text(st, i++, month);
	}
	if (f->community)
		db_bind_text(st, i++, f->community);
	i = listing_codes_bind(st, scope, 0, i);
	db_bind_int(st, i, SHELF_LIST_MAX);
	*n = 0;
	*items = xmalloc(cap * sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*items = xrealloc(*items, (cap *= 2) * sizeof(**items));
		read_item(st, &(*items)[*n], NULL);
		(*items)[(*n)++].mine = db_col_int(st, 13);
	}
	db_done(st);
	buf_release(&sql);
	if (rc == DB_DONE)
		return SHELF_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return SHELF_ERROR;
}

/* The member's redemptions of the item in month, cancelled ones not counted. */
static int redeemed_in(struct db *db, int64_t item_id, int64_t member_id, const char *month, int64_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM redemption WHERE item_id = ? AND member_id = ? AND "
					    "month = ? AND state <> 'cancelled'");
	int rc;

	db_bind_int(st, 1, item_id);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, month);
	rc = db_step(st);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Moves points between the member's account and the community's shelf: to_shelf spends, else gives back. */
static int move_points(struct db *db, const struct actor *who, int64_t member_id, const char *community, int64_t points,
		       bool to_shelf, int64_t corrects, const char *note, int64_t *movement)
{
	struct ledger_owner member = { KIND_MEMBER, member_id, NULL }, shelf = { KIND_SHELF, 0, community };
	/* No member_id: a redemption spends a balance, it moves no standing. */
	struct movement m = { .book = BOOK_POINTS, .source = to_shelf ? MOVE_REDEMPTION : MOVE_CORRECTION,
			      .corrects_id = corrects, .note = note, .nentries = 2 };

	clock_date(clock_now(), m.day);
	if (ledger_account(db, BOOK_POINTS, &member, &m.entries[0].account_id) < 0 ||
	    ledger_account(db, BOOK_POINTS, &shelf, &m.entries[1].account_id) < 0)
		return -1;
	m.entries[0].amount = to_shelf ? -points : points;
	m.entries[1].amount = -m.entries[0].amount;
	return ledger_post(db, who, &m, movement);
}

/* Every rule of a redemption, inside the caller's transaction. */
static int redeem_in(struct db *db, const struct actor *who, int64_t member_id, int64_t item_id, int64_t *id)
{
	struct ledger_owner me = { KIND_MEMBER, member_id, NULL };
	struct registration reg;
	struct shelf_item it;
	struct db_stmt *st;
	char month[8], note[TEXT_BYTES(SHELF_NAME_MAX) + 16];
	int64_t used, balance, movement;
	int rc = shelf_item_get(db, item_id, &it);

	if (rc != SHELF_OK)
		return rc;
	rc = registration_current(db, member_id, &reg);
	if (rc == REG_ERROR)
		return SHELF_ERROR;
	if (rc != REG_OK || strcmp(reg.state, "approved") || strcmp(reg.community_code, it.community_code))
		return SHELF_NOT_MEMBER;
	if (it.retired_at)
		return SHELF_RETIRED;
	/* The check and the taking are one statement: of many asking for the last one, one gets it. */
	st = db_prepare(db, "UPDATE shelf_item SET stock = stock - 1 WHERE id = ? AND stock > 0 AND retired_at = 0");
	db_bind_int(st, 1, item_id);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return SHELF_ERROR;
	if (db_changes(db) != 1)
		return SHELF_OUT_OF_STOCK;
	this_month(month);
	if (redeemed_in(db, item_id, member_id, month, &used) < 0 || ledger_balance(db, BOOK_POINTS, &me, &balance) < 0)
		return SHELF_ERROR;
	if (it.monthly_limit && used >= it.monthly_limit)
		return SHELF_LIMIT;
	if (balance < it.price)
		return SHELF_POINTS;
	snprintf(note, sizeof(note), "兑换：%s", it.name);
	if (move_points(db, who, member_id, it.community_code, it.price, true, 0, note, &movement) < 0)
		return SHELF_ERROR;
	st = db_prepare(db, "INSERT INTO redemption (item_id, member_id, community_code, points, month, movement_id, "
			    "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, item_id);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, it.community_code);
	db_bind_int(st, 4, it.price);
	db_bind_text(st, 5, month);
	db_bind_int(st, 6, movement);
	bind_account(st, 7, who);
	db_bind_int(st, 8, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return SHELF_ERROR;
	return audit(db, who, "redemption.create", "redemption", *id, it.community_path, it.name) < 0 ? SHELF_ERROR
												   : SHELF_OK;
}

int shelf_redeem(struct db *db, const struct actor *who, int64_t member_id, int64_t item_id, int64_t *id)
{
	if (db_begin(db) < 0)
		return SHELF_ERROR;
	return finish(db, redeem_in(db, who, member_id, item_id, id));
}

#define REDEMPTION_COLUMNS                                                                                      \
	"d.id, d.item_id, d.member_id, d.points, d.movement_id, COALESCE(d.cancel_movement_id, 0), s.name, m.name, " \
	"m.phone, COALESCE(m.account_id, 0), d.community_code, r.name, r.path, d.month, d.state, d.created_at, "    \
	"d.handed_over_at, d.cancelled_at, COALESCE(h.name, ''), COALESCE(x.name, ''), d.cancel_reason, "          \
	"d.cancelled_by IS NOT NULL AND d.cancelled_by = m.account_id"
#define REDEMPTION_FROM                                                                                          \
	" FROM redemption d JOIN shelf_item s ON s.id = d.item_id JOIN member m ON m.id = d.member_id "          \
	"JOIN region r ON r.code = d.community_code LEFT JOIN account h ON h.id = d.handed_over_by "            \
	"LEFT JOIN account x ON x.id = d.cancelled_by"

static void read_redemption(struct db_stmt *st, void *item, const void *arg)
{
	struct redemption *o = item;

	(void)arg;
	memset(o, 0, sizeof(*o));
	o->id = db_col_int(st, 0);
	o->item_id = db_col_int(st, 1);
	o->member_id = db_col_int(st, 2);
	o->points = db_col_int(st, 3);
	o->movement_id = db_col_int(st, 4);
	o->cancel_movement_id = db_col_int(st, 5);
	str_copy(o->item_name, sizeof(o->item_name), db_col_text(st, 6));
	str_copy(o->member_name, sizeof(o->member_name), db_col_text(st, 7));
	str_copy(o->member_phone, sizeof(o->member_phone), db_col_text(st, 8));
	o->member_account_id = db_col_int(st, 9);
	str_copy(o->community_code, sizeof(o->community_code), db_col_text(st, 10));
	str_copy(o->community_name, sizeof(o->community_name), db_col_text(st, 11));
	str_copy(o->community_path, sizeof(o->community_path), db_col_text(st, 12));
	str_copy(o->month, sizeof(o->month), db_col_text(st, 13));
	str_copy(o->state, sizeof(o->state), db_col_text(st, 14));
	o->created_at = db_col_int(st, 15);
	o->handed_over_at = db_col_int(st, 16);
	o->cancelled_at = db_col_int(st, 17);
	str_copy(o->handed_over_by, sizeof(o->handed_over_by), db_col_text(st, 18));
	str_copy(o->cancelled_by, sizeof(o->cancelled_by), db_col_text(st, 19));
	str_copy(o->cancel_reason, sizeof(o->cancel_reason), db_col_text(st, 20));
	o->cancelled_by_member = db_col_int(st, 21) != 0;
}

int redemption_get(struct db *db, int64_t id, struct redemption *out)
{
	memset(out, 0, sizeof(*out));
	return get_one(db, "SELECT " REDEMPTION_COLUMNS REDEMPTION_FROM " WHERE d.id = ?", id, read_redemption, out);
}

/* The redemption, awaiting, and not the acting staff's own; inside the caller's transaction. */
static int awaiting(struct db *db, const struct actor *who, int64_t id, bool by_member, struct redemption *d)
{
	int rc = redemption_get(db, id, d);

	if (rc != SHELF_OK)
		return rc;
	if (strcmp(d->state, "awaiting"))
		return SHELF_BAD_STATE;
	if (!by_member && who->account_id && who->account_id == d->member_account_id)
		return SHELF_OWN;
	return SHELF_OK;
}

int redemption_hand_over(struct db *db, const struct actor *who, int64_t id)
{
	struct redemption d;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return SHELF_ERROR;
	rc = awaiting(db, who, id, false, &d);
	if (rc != SHELF_OK)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE redemption SET state = 'handed_over', handed_over_by = ?, handed_over_at = ? "
			    "WHERE id = ? AND state = 'awaiting'");
	bind_account(st, 1, who);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? SHELF_OK : SHELF_ERROR;
	db_done(st);
	if (rc == SHELF_OK && audit(db, who, "redemption.handover", "redemption", id, d.community_path, d.item_name) < 0)
		rc = SHELF_ERROR;
	return finish(db, rc);
}

/* The cancellation inside the caller's transaction: points back (naming the movement they reverse), stock back. */
static int cancel_in(struct db *db, const struct actor *who, const struct redemption *d, const char *reason)
{
	char note[TEXT_BYTES(SHELF_NAME_MAX) + 24];
	struct db_stmt *st;
	int64_t movement;
	int rc;

	snprintf(note, sizeof(note), "取消兑换：%s", d->item_name);
	if (move_points(db, who, d->member_id, d->community_code, d->points, false, d->movement_id, note, &movement) < 0)
		return SHELF_ERROR;
	st = db_prepare(db, "UPDATE redemption SET state = 'cancelled', cancelled_by = ?, cancelled_at = ?, "
			    "cancel_reason = ?, cancel_movement_id = ? WHERE id = ? AND state = 'awaiting'");
	bind_account(st, 1, who);
	db_bind_int(st, 2, clock_now());
	db_bind_text(st, 3, reason ? reason : "");
	db_bind_int(st, 4, movement);
	db_bind_int(st, 5, d->id);
	rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? SHELF_OK : SHELF_ERROR;
	db_done(st);
	if (rc != SHELF_OK)
		return rc;
	st = db_prepare(db, "UPDATE shelf_item SET stock = stock + 1 WHERE id = ?");
	db_bind_int(st, 1, d->item_id);
	rc = db_step(st) == DB_DONE && db_changes(db) == 1 ? SHELF_OK : SHELF_ERROR;
	db_done(st);
	if (rc == SHELF_OK && audit(db, who, "redemption.cancel", "redemption", d->id, d->community_path, reason) < 0)
		rc = SHELF_ERROR;
	return rc;
}

int redemption_cancel(struct db *db, const struct actor *who, int64_t id, bool by_member, const char *reason)
{
	struct redemption d;
	int rc;

	if (db_begin(db) < 0)
		return SHELF_ERROR;
	rc = awaiting(db, who, id, by_member, &d);
	if (rc == SHELF_OK)
		rc = cancel_in(db, who, &d, reason);
	return finish(db, rc);
}

struct list_arg {
	const struct scope *scope;
	const struct redemption_filter *f;
};

static void redemption_filters(struct buf *sql, const void *arg)
{
	const struct list_arg *a = arg;

	buf_addstr(sql, REDEMPTION_FROM " WHERE 1=1");
	if (a->f->community)
		buf_addstr(sql, " AND d.community_code = ?");
	if (a->f->state)
		buf_addstr(sql, " AND d.state = ?");
	if (a->f->member_id)
		buf_addstr(sql, " AND d.member_id = ?");
	listing_codes_sql(sql, a->scope, "d.community_code", NULL, false);
}

static int redemption_bind(struct db_stmt *st, const void *arg)
{
	const struct list_arg *a = arg;
	int i = 1;

	if (a->f->community)
		db_bind_text(st, i++, a->f->community);
	if (a->f->state)
		db_bind_text(st, i++, a->f->state);
	if (a->f->member_id)
		db_bind_int(st, i++, a->f->member_id);
	return listing_codes_bind(st, a->scope, 0, i);
}

int redemption_list(struct db *db, const struct scope *scope, const struct redemption_filter *f,
		    struct redemption **items, size_t *n, int64_t *total)
{
	struct list_arg a = { scope, f };
	struct listing l = { .columns = REDEMPTION_COLUMNS, .filters = redemption_filters, .bind = redemption_bind,
			     .order = f->state && !strcmp(f->state, "awaiting") ? " ORDER BY d.id" : " ORDER BY d.id DESC",
			     .size = sizeof(struct redemption), .read = read_redemption };
	void *out;
	int rc = listing_page(db, &l, &a, f->page, f->per_page, &out, n, total);

	*items = out;
	return rc < 0 ? SHELF_ERROR : SHELF_OK;
}
