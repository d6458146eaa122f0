/* agreement.c: co-building agreements: saved with their commitments, listed by community or unit */
#include "domain/agreement.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/listing.h"

void agreement_release(struct agreement *a)
{
	free(a->commitments);
	a->commitments = NULL;
}

#define COLUMNS "a.id, a.unit_id, u.name, a.community_code, r.name, r.path, a.starts_on, a.ends_on, " \
		"a.commitments, a.status, a.signed_doc, a.created_at, a.updated_at"
#define FROM " FROM agreement a JOIN unit u ON u.id = a.unit_id JOIN region r ON r.code = a.community_code"

static void read_row(struct db_stmt *st, const char *today, struct agreement *a)
{
	a->id = db_col_int(st, 0);
	a->unit_id = db_col_int(st, 1);
	str_copy(a->unit_name, sizeof(a->unit_name), db_col_text(st, 2));
	str_copy(a->community_code, sizeof(a->community_code), db_col_text(st, 3));
	str_copy(a->community_name, sizeof(a->community_name), db_col_text(st, 4));
	str_copy(a->community_path, sizeof(a->community_path), db_col_text(st, 5));
	str_copy(a->starts_on, sizeof(a->starts_on), db_col_text(st, 6));
	str_copy(a->ends_on, sizeof(a->ends_on), db_col_text(st, 7));
	a->commitments = xstrdup(db_col_text(st, 8));
	str_copy(a->status, sizeof(a->status), db_col_text(st, 9));
	if (!strcmp(a->status, "signed") && strcmp(a->ends_on, today) < 0)
		str_copy(a->status, sizeof(a->status), "expired");
	str_copy(a->signed_doc, sizeof(a->signed_doc), db_col_text(st, 10));
	a->created_at = db_col_int(st, 11);
	a->updated_at = db_col_int(st, 12);
}

int agreement_save(struct db *db, const struct actor *who, struct agreement *a)
{
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0)
		return -1;
	a->updated_at = clock_now();
	if (!a->id) {
		a->created_at = a->updated_at;
		st = db_prepare(db, "INSERT INTO agreement (unit_id, community_code, starts_on, ends_on, commitments, "
				    "status, signed_doc, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id");
	} else {
		st = db_prepare(db, "UPDATE agreement SET unit_id = ?, community_code = ?, starts_on = ?, ends_on = ?, "
				    "commitments = ?, status = ?, signed_doc = ?, updated_at = ? WHERE id = ?");
	}
	db_bind_int(st, 1, a->unit_id);
	db_bind_text(st, 2, a->community_code);
	db_bind_text(st, 3, a->starts_on);
	db_bind_text(st, 4, a->ends_on);
	db_bind_text(st, 5, a->commitments);
	db_bind_text(st, 6, a->status);
	db_bind_text(st, 7, a->signed_doc);
	if (!a->id) {
		db_bind_int(st, 8, a->created_at);
		db_bind_int(st, 9, a->updated_at);
	} else {
		db_bind_int(st, 8, a->updated_at);
		db_bind_int(st, 9, a->id);
	}
	rc = db_step(st);
	if (rc == DB_ROW) {
		a->id = db_col_int(st, 0);
		rc = db_step(st);
	}
	db_done(st);
	snprintf(idt, sizeof(idt), "%" PRId64, a->id);
	if (rc != DB_DONE || audit_append(db, who, "agreement.save", "agreement", idt, a->community_path, "ok") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int agreement_get(struct db *db, int64_t id, const char *today, struct agreement *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS FROM " WHERE a.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, today, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int agreement_partner(struct db *db, int64_t unit_id, const char *code, const char *today)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM region WHERE code = ?" AGREEMENT_PARTNER_SQL("code"));
	int rc;

	db_bind_text(st, 1, code);
	db_bind_int(st, 2, unit_id);
	db_bind_text(st, 3, today);
	db_bind_text(st, 4, today);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

struct agreement_query {
	const struct scope *scope;
	const char *community;
	int64_t unit_id;
	const char *today;
};

static void filters_sql(struct buf *sql, const void *arg)
{
	const struct agreement_query *q = arg;

	buf_addstr(sql, FROM " WHERE 1=1");
	listing_scope_sql(sql, q->scope, "r.path", "a.unit_id");
	if (q->community)
		buf_addstr(sql, " AND a.community_code = ?");
	if (q->unit_id)
		buf_addstr(sql, " AND a.unit_id = ?");
}

static int filters_bind(struct db_stmt *st, const void *arg)
{
	const struct agreement_query *q = arg;
	int i = listing_scope_bind(st, q->scope, 1, 1);

	if (q->community)
		db_bind_text(st, i++, q->community);
	if (q->unit_id)
		db_bind_int(st, i++, q->unit_id);
	return i;
}

static void read_item(struct db_stmt *st, void *item, const void *arg)
{
	read_row(st, ((const struct agreement_query *)arg)->today, item);
}

int agreement_list(struct db *db, const struct scope *scope, const char *community, int64_t unit_id,
		   const char *today, int64_t page, int64_t per_page, struct agreement **items, size_t *n,
		   int64_t *total)
{
	static const struct listing l = { COLUMNS, filters_sql, filters_bind, " ORDER BY a.ends_on DESC, a.id DESC",
					  sizeof(struct agreement), read_item };
	struct agreement_query q = { scope, community, unit_id, today };

	return listing_page(db, &l, &q, page, per_page, (void **)items, n, total);
}
