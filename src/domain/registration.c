/* registration.c: the report-in state machine and its timeline, every change audited */
#include "domain/registration.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/listing.h"
#include "domain/notify.h"
#include "domain/region.h"

static const char *const channels[] = { "self", "unit", "staff" };

const char *reg_channel_name(enum reg_channel c)
{
	return channels[c];
}

static int add_event(struct db *db, const struct actor *who, int64_t reg_id, int64_t member_id, const char *event,
		     const char *community, const char *note)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO registration_event (registration_id, member_id, at, "
					    "account_id, event, community_code, note) VALUES (?, ?, ?, ?, ?, ?, ?)");
	int rc;

	db_bind_int(st, 1, reg_id);
	db_bind_int(st, 2, member_id);
	db_bind_int(st, 3, clock_now());
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, event);
	db_bind_text(st, 6, community);
	db_bind_text(st, 7, note ? note : "");
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/*
 * The file shows the state of its report-ins (MEMBER_STATE_SQL), kept in
 * member.state with every change so that lists filter and count by it
 * through an index (and the tallies' triggers follow it).
 */
static int sync_state(struct db *db, int64_t member_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(" MEMBER_STATE_SQL ", '') FROM member m WHERE m.id = ?");
	char state[16] = "";
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(state, sizeof(state), db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	st = db_prepare(db, "UPDATE member SET state = ? WHERE id = ? AND state <> ?");
	db_bind_text(st, 1, state);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, state);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* An event, the audit entry that goes with it, and the file's state, for report-in r. */
static int record(struct db *db, const struct actor *who, const struct registration *r, const char *event,
		  const char *note)
{
	char action[48], idt[24];

	snprintf(action, sizeof(action), "registration.%s", event);
	snprintf(idt, sizeof(idt), "%" PRId64, r->id);
	if (add_event(db, who, r->id, r->member_id, event, r->community_code, note) < 0 ||
	    sync_state(db, r->member_id) < 0)
		return -1;
	return audit_append_detail(db, who, action, "registration", idt, r->community_path, "ok", note ? note : "");
}

#define COLUMNS                                                                                             \
	"g.id, g.member_id, m.name, m.phone, m.id_number_masked, COALESCE(u.name, ''), g.community_code, "  \
	"r.name, r.path, g.state, g.channel, COALESCE(fr.name, ''), g.reason, g.created_at, "               \
	"COALESCE(g.decided_at, 0)"
#define FROM                                                                                               \
	" FROM registration g JOIN member m ON m.id = g.member_id JOIN region r ON r.code = g.community_code " \
	"LEFT JOIN unit u ON u.id = m.unit_id LEFT JOIN registration f ON f.id = g.transfer_from "            \
	"LEFT JOIN region fr ON fr.code = f.community_code"

/* Reads one row into item (a struct registration); the listing callback, and the single-row readers. */
static void read_row(struct db_stmt *st, void *item, const void *arg)
{
	struct registration *r = item;

	(void)arg;
	r->id = db_col_int(st, 0);
	r->member_id = db_col_int(st, 1);
	str_copy(r->member_name, sizeof(r->member_name), db_col_text(st, 2));
	str_copy(r->member_phone, sizeof(r->member_phone), db_col_text(st, 3));
	str_copy(r->id_masked, sizeof(r->id_masked), db_col_text(st, 4));
	str_copy(r->unit_name, sizeof(r->unit_name), db_col_text(st, 5));
	str_copy(r->community_code, sizeof(r->community_code), db_col_text(st, 6));
	str_copy(r->community_name, sizeof(r->community_name), db_col_text(st, 7));
	str_copy(r->community_path, sizeof(r->community_path), db_col_text(st, 8));
	str_copy(r->state, sizeof(r->state), db_col_text(st, 9));
	str_copy(r->channel, sizeof(r->channel), db_col_text(st, 10));
	str_copy(r->from_community_name, sizeof(r->from_community_name), db_col_text(st, 11));
	str_copy(r->reason, sizeof(r->reason), db_col_text(st, 12));
	r->created_at = db_col_int(st, 13);
	r->decided_at = db_col_int(st, 14);
}

static int get_where(struct db *db, const char *where, int64_t v, struct registration *out)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc;

	buf_addf(&sql, "SELECT " COLUMNS FROM " WHERE %s ORDER BY g.id DESC LIMIT 1", where);
	st = db_prepare(db, sql.data);
	db_bind_int(st, 1, v);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out, NULL);
	db_done(st);
	buf_release(&sql);
	return rc == DB_ROW ? REG_OK : rc == DB_DONE ? REG_NOT_FOUND : REG_ERROR;
}

int registration_get(struct db *db, int64_t id, struct registration *out)
{
	return get_where(db, "g.id = ?", id, out);
}

int registration_current(struct db *db, int64_t member_id, struct registration *out)
{
	return get_where(db, "g.member_id = ? AND g.state IN ('pending', 'approved')", member_id, out);
}

int registration_current_community(struct db *db, int64_t member_id, char state[16], char community_code[24])
{
	struct db_stmt *st = db_prepare(db, "SELECT state, community_code FROM registration WHERE member_id = ? AND "
					    "state IN ('pending', 'approved') ORDER BY id DESC LIMIT 1");
	int rc;

	db_bind_int(st, 1, member_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(state, 16, db_col_text(st, 0));
		str_copy(community_code, 24, db_col_text(st, 1));
	}
	db_done(st);
	return rc == DB_ROW ? REG_OK : rc == DB_DONE ? REG_NOT_FOUND : REG_ERROR;
}

static int set_state(struct db *db, const struct actor *who, int64_t id, const char *from, const char *to,
		     const char *reason)
{
	struct db_stmt *st = db_prepare(db, "UPDATE registration SET state = ?, reason = ?, decided_at = ?, "
					    "decided_by = ? WHERE id = ? AND state = ?");
	int rc;

	db_bind_text(st, 1, to);
	db_bind_text(st, 2, reason ? reason : "");
	db_bind_int(st, 3, clock_now());
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, id);
	db_bind_text(st, 6, from);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return REG_ERROR;
	return db_changes(db) == 1 ? REG_OK : REG_BAD_STATE;
}

/* The member's home is the community of its approved report-in. */
static int set_home(struct db *db, int64_t member_id, const char *community)
{
	struct db_stmt *st = db_prepare(db, "UPDATE member SET community_code = ?, building_code = CASE WHEN "
					    "community_code = ? THEN building_code ELSE NULL END, updated_at = ? "
					    "WHERE id = ?");
	int rc;

	db_bind_text(st, 1, community);
	db_bind_text(st, 2, community);
	db_bind_int(st, 3, clock_now());
	db_bind_int(st, 4, member_id);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* The member's account, if any, belongs where the member reported in: its member grant moves along. */
static int move_grant(struct db *db, int64_t member_id, const char *community)
{
	struct db_stmt *st = db_prepare(db, "UPDATE role_grant SET region_code = ? WHERE role = 'member' AND "
					    "account_id = (SELECT account_id FROM member WHERE id = ?) AND "
					    "(region_code IS NULL OR region_code <> ?)");
	int rc;

	db_bind_text(st, 1, community);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, community);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* pending → approved inside the caller's transaction: a transfer closes the old report-in. */
static int approve(struct db *db, const struct actor *who, struct registration *r)
{
	struct registration old;
	int rc = get_where(db, "g.member_id = ? AND g.state = 'approved'", r->member_id, &old);
	if (rc == REG_ERROR)
		return REG_ERROR;
	if (rc == REG_OK) {
		if (set_state(db, who, old.id, "approved", "transferred", r->community_name) != REG_OK ||
		    record(db, who, &old, "transferred", r->community_name) < 0)
			return REG_ERROR;
	}
	if ((rc = set_state(db, who, r->id, "pending", "approved", NULL)) != REG_OK)
		return rc;
	if (set_home(db, r->member_id, r->community_code) < 0 || move_grant(db, r->member_id, r->community_code) < 0 ||
	    record(db, who, r, "approved", NULL) < 0)
		return REG_ERROR;
	return REG_OK;
}

int registration_submit(struct db *db, const struct actor *who, int64_t member_id, const char *community,
			enum reg_channel channel, int64_t *id)
{
	struct registration cur, r;
	struct db_stmt *st;
	int rc = registration_current(db, member_id, &cur);

	if (rc == REG_ERROR)
		return REG_ERROR;
	if (rc == REG_OK && !strcmp(cur.state, "pending"))
		return REG_PENDING_EXISTS;
	if (rc == REG_OK && !strcmp(cur.community_code, community))
		return REG_ALREADY_HERE;
	st = db_prepare(db, "INSERT INTO registration (member_id, community_code, state, channel, transfer_from, "
			    "created_at) VALUES (?, ?, 'pending', ?, ?, ?) RETURNING id");
	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, community);
	db_bind_text(st, 3, reg_channel_name(channel));
	if (rc == REG_OK)
		db_bind_int(st, 4, cur.id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_UNIQUE ? REG_PENDING_EXISTS : REG_ERROR;
	if (registration_get(db, *id, &r) != REG_OK || record(db, who, &r, "submitted", reg_channel_name(channel)) < 0)
		return REG_ERROR;
	return channel == CHANNEL_STAFF ? approve(db, who, &r) : REG_OK;
}

/* Ends the transaction of a state change: commits when it succeeded, rolls back otherwise. */
static int finish(struct db *db, int rc_of_body)
{
	if (rc_of_body != REG_OK) {
		db_rollback(db);
		return rc_of_body;
	}
	return db_commit(db) < 0 ? REG_ERROR : REG_OK;
}

int registration_decide(struct db *db, const struct actor *who, int64_t id, bool approve_it, const char *reason)
{
	struct registration r;
	int rc;

	if (db_begin(db) < 0)
		return REG_ERROR;
	rc = registration_get(db, id, &r);
	if (rc == REG_OK && strcmp(r.state, "pending"))
		rc = REG_BAD_STATE;
	if (rc == REG_OK && approve_it)
		rc = approve(db, who, &r);
	else if (rc == REG_OK) {
		rc = set_state(db, who, id, "pending", "rejected", reason);
		if (rc == REG_OK && record(db, who, &r, "rejected", reason) < 0)
			rc = REG_ERROR;
	}
	if (rc == REG_OK && notify_registration(db, r.member_id, approve_it, r.community_name, reason, clock_now()) < 0)
		rc = REG_ERROR;
	return finish(db, rc);
}

int registration_withdraw(struct db *db, const struct actor *who, int64_t id)
{
	struct registration r;
	int rc;

	if (db_begin(db) < 0)
		return REG_ERROR;
	rc = registration_get(db, id, &r);
	if (rc == REG_OK)
		rc = set_state(db, who, id, "pending", "withdrawn", NULL);
	if (rc == REG_OK && record(db, who, &r, "withdrawn", NULL) < 0)
		rc = REG_ERROR;
	return finish(db, rc);
}

int registration_leave(struct db *db, const struct actor *who, int64_t member_id, const char *reason)
{
	struct registration r;
	int rc;

	if (db_begin(db) < 0)
		return REG_ERROR;
	rc = get_where(db, "g.member_id = ? AND g.state = 'approved'", member_id, &r);
	if (rc == REG_NOT_FOUND)
		rc = REG_NOT_ACTIVE;
	if (rc == REG_OK)
		rc = set_state(db, who, r.id, "approved", "left", reason);
	if (rc == REG_OK && record(db, who, &r, "left", reason) < 0)
		rc = REG_ERROR;
	return finish(db, rc);
}

struct reg_query {
	const struct scope *scope;
	const struct reg_filter *f;
	bool wide;
};

/*
 * FROM and WHERE of the ids: by the community's code, as member_list does
 * (listing_codes_sql); a wide scope reads registration_state in id order.
 */
static void filters_sql(struct buf *sql, const struct reg_query *q)
{
	buf_addstr(sql, q->scope->nunits ? " FROM registration g JOIN member m ON m.id = g.member_id WHERE 1=1"
					 : " FROM registration g WHERE 1=1");
	listing_codes_sql(sql, q->scope, "g.community_code", "m.unit_id", q->wide);
	/* A narrow scope reads its communities' report-ins; only a wide one reads by state. */
	if (q->f->state)
		buf_addstr(sql, q->wide ? " AND g.state = ?" : " AND +g.state = ?");
	if (q->f->community)
		buf_addstr(sql, " AND g.community_code = ?");
}

static int filters_bind(struct db_stmt *st, const struct reg_query *q)
{
	int i = listing_codes_bind(st, q->scope, 1, 1);

	if (q->f->state)
		db_bind_text(st, i++, q->f->state);
	if (q->f->community)
		db_bind_text(st, i++, q->f->community);
	return i;
}

/*
 * The count of a wide scope's queue is its tally rows (registration_tally, at the depth of each
 * path's code prefix); any other list counts its index range.
 */
static struct db_stmt *count_stmt(struct db *db, const struct reg_query *q, struct buf *sql)
{
	struct db_stmt *st;
	int i = 1;

	if (!(q->wide && q->f->state && !strcmp(q->f->state, "pending") && !q->f->community && !q->scope->nunits)) {
		buf_addstr(sql, "SELECT COUNT(*)");
		filters_sql(sql, q);
		st = db_prepare(db, sql->data);
		filters_bind(st, q);
		return st;
	}
	buf_addstr(sql, "SELECT COALESCE(SUM(pending), 0) FROM registration_tally WHERE ");
	if (q->scope->all)
		buf_addstr(sql, "depth = 2");
	for (size_t k = 0; !q->scope->all && k < q->scope->npaths; k++)
		buf_addf(sql, "%s(depth = ? AND prefix = ?)", k ? " OR " : "");
	st = db_prepare(db, sql->data);
	for (size_t k = 0; !q->scope->all && k < q->scope->npaths; k++) {
		char lo[24], hi[26];

		listing_code_range(q->scope->paths[k], lo, hi);
		db_bind_int(st, i++, (int64_t)strlen(lo));
		db_bind_text(st, i++, lo);
	}
	return st;
}

int registration_list(struct db *db, const struct scope *scope, const struct reg_filter *f,
		      struct registration **items, size_t *n, int64_t *total)
{
	struct reg_query q = { scope, f, listing_scope_wide(scope) };
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i;

	*items = NULL;
	*n = 0;
	st = count_stmt(db, &q, &sql);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		goto out;
	/* The page's ids first, oldest first (the queue's order), then their rows. */
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT " COLUMNS " FROM (SELECT g.id AS id");
	filters_sql(&sql, &q);
	buf_addstr(&sql, q.wide ? " ORDER BY g.id" : " ORDER BY +g.id");
	buf_addstr(&sql, " LIMIT ? OFFSET ?) p JOIN registration g ON g.id = p.id JOIN member m ON m.id = g.member_id "
			 "JOIN region r ON r.code = g.community_code LEFT JOIN unit u ON u.id = m.unit_id "
			 "LEFT JOIN registration f ON f.id = g.transfer_from LEFT JOIN region fr ON fr.code = "
			 "f.community_code ORDER BY g.id");
	st = db_prepare(db, sql.data);
	i = filters_bind(st, &q);
	db_bind_int(st, i++, f->per_page);
	db_bind_int(st, i, (f->page - 1) * f->per_page);
	*items = xcalloc((size_t)f->per_page, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)f->per_page)
		read_row(st, &(*items)[(*n)++], NULL);
	db_done(st);
out:
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return REG_ERROR;
	}
	return REG_OK;
}

int registration_timeline(struct db *db, int64_t member_id, struct reg_event **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT e.id, e.registration_id, e.at, COALESCE(e.account_id, 0), "
					    "COALESCE(a.name, ''), e.event, e.community_code, COALESCE(r.name, ''), "
					    "e.note FROM registration_event e LEFT JOIN account a ON a.id = e.account_id "
					    "LEFT JOIN region r ON r.code = e.community_code WHERE e.member_id = ? "
					    "ORDER BY e.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, member_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct reg_event *e;

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		e = &(*items)[(*n)++];
		e->id = db_col_int(st, 0);
		e->registration_id = db_col_int(st, 1);
		e->at = db_col_int(st, 2);
		e->account_id = db_col_int(st, 3);
		str_copy(e->account_name, sizeof(e->account_name), db_col_text(st, 4));
		str_copy(e->event, sizeof(e->event), db_col_text(st, 5));
		str_copy(e->community_code, sizeof(e->community_code), db_col_text(st, 6));
		str_copy(e->community_name, sizeof(e->community_name), db_col_text(st, 7));
		str_copy(e->note, sizeof(e->note), db_col_text(st, 8));
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return REG_ERROR;
	}
	return REG_OK;
}
