/* unit.c: employer units: list within a scope, create, update */
#include "domain/unit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/listing.h"

const char *const unit_types[] = { "organ", "institution", "soe", "nonpublic", "social", "other", NULL };

#define COLUMNS "u.id, u.name, u.party_org_name, u.type, u.region_code, r.name, r.path, u.contact_name, " \
		"u.contact_phone, u.created_at, u.updated_at"

/* Reads one row into item (a struct unit); the listing callback, and the single-row readers. */
static void read_row(struct db_stmt *st, void *item, const void *arg)
{
	struct unit *u = item;

	(void)arg;
	u->id = db_col_int(st, 0);
	str_copy(u->name, sizeof(u->name), db_col_text(st, 1));
	str_copy(u->party_org_name, sizeof(u->party_org_name), db_col_text(st, 2));
	str_copy(u->type, sizeof(u->type), db_col_text(st, 3));
	str_copy(u->region_code, sizeof(u->region_code), db_col_text(st, 4));
	str_copy(u->region_name, sizeof(u->region_name), db_col_text(st, 5));
	str_copy(u->region_path, sizeof(u->region_path), db_col_text(st, 6));
	str_copy(u->contact_name, sizeof(u->contact_name), db_col_text(st, 7));
	str_copy(u->contact_phone, sizeof(u->contact_phone), db_col_text(st, 8));
	u->created_at = db_col_int(st, 9);
	u->updated_at = db_col_int(st, 10);
}

int unit_get(struct db *db, int64_t id, struct unit *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM unit u JOIN region r ON r.code = u.region_code "
					    "WHERE u.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out, NULL);
	db_done(st);
	return rc == DB_ROW ? UNIT_OK : rc == DB_DONE ? UNIT_NOT_FOUND : UNIT_ERROR;
}

struct unit_query {
	const struct scope *scope;
	const struct unit_filter *f;
	struct buf like;
};

static void filters_sql(struct buf *sql, const void *arg)
{
	const struct unit_query *q = arg;

	buf_addstr(sql, " FROM unit u JOIN region r ON r.code = u.region_code WHERE 1=1");
	listing_scope_sql(sql, q->scope, "r.path", "u.id");
	if (q->f->q)
		buf_addstr(sql, " AND (u.name LIKE ? ESCAPE '\\' OR u.party_org_name LIKE ? ESCAPE '\\')");
	if (q->f->type)
		buf_addstr(sql, " AND u.type = ?");
	if (q->f->region)
		buf_addstr(sql, " AND r.path LIKE (SELECT path FROM region WHERE code = ?) || '%'");
}

static int filters_bind(struct db_stmt *st, const void *arg)
{
	const struct unit_query *q = arg;
	int i = listing_scope_bind(st, q->scope, 1, 1);

	if (q->f->q) {
		db_bind_text(st, i++, buf_str(&q->like));
		db_bind_text(st, i++, buf_str(&q->like));
	}
	if (q->f->type)
		db_bind_text(st, i++, q->f->type);
	if (q->f->region)
		db_bind_text(st, i++, q->f->region);
	return i;
}

int unit_list(struct db *db, const struct scope *scope, const struct unit_filter *f, struct unit **items,
	      size_t *n, int64_t *total)
{
	static const struct listing l = { COLUMNS, filters_sql, filters_bind, " ORDER BY u.name, u.id",
					  sizeof(struct unit), read_row };
	struct unit_query q = { scope, f, BUF_INIT };
	int rc;

	if (f->q)
		listing_like(&q.like, f->q, 0);
	rc = listing_page(db, &l, &q, f->page, f->per_page, (void **)items, n, total);
	buf_release(&q.like);
	return rc < 0 ? UNIT_ERROR : UNIT_OK;
}

static int finish(struct db *db, const struct actor *who, const char *action, const struct unit *u, int rc)
{
	char idt[24];

	if (rc != DB_DONE && rc != DB_ROW) {
		db_rollback(db);
		return rc == DB_UNIQUE ? UNIT_DUPLICATE : UNIT_ERROR;
	}
	snprintf(idt, sizeof(idt), "%" PRId64, u->id);
	if (audit_append(db, who, action, "unit", idt, u->region_path, "ok") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return UNIT_ERROR;
	}
	return UNIT_OK;
}

int unit_create(struct db *db, const struct actor *who, struct unit *u)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return UNIT_ERROR;
	u->created_at = u->updated_at = clock_now();
	st = db_prepare(db, "INSERT INTO unit (name, party_org_name, type, region_code, contact_name, contact_phone, "
			    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, u->name);
	db_bind_text(st, 2, u->party_org_name);
	db_bind_text(st, 3, u->type);
	db_bind_text(st, 4, u->region_code);
	db_bind_text(st, 5, u->contact_name);
	db_bind_text(st, 6, u->contact_phone);
	db_bind_int(st, 7, u->created_at);
	db_bind_int(st, 8, u->updated_at);
	rc = db_step(st);
	if (rc == DB_ROW) {
		u->id = db_col_int(st, 0);
		rc = db_step(st);
	}
	db_done(st);
	return finish(db, who, "unit.create", u, rc);
}

int unit_update(struct db *db, const struct actor *who, struct unit *u)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return UNIT_ERROR;
	u->updated_at = clock_now();
	st = db_prepare(db, "UPDATE unit SET name = ?, party_org_name = ?, type = ?, region_code = ?, "
			    "contact_name = ?, contact_phone = ?, updated_at = ? WHERE id = ?");
	db_bind_text(st, 1, u->name);
	db_bind_text(st, 2, u->party_org_name);
	db_bind_text(st, 3, u->type);
	db_bind_text(st, 4, u->region_code);
	db_bind_text(st, 5, u->contact_name);
	db_bind_text(st, 6, u->contact_phone);
	db_bind_int(st, 7, u->updated_at);
	db_bind_int(st, 8, u->id);
	rc = db_step(st);
	db_done(st);
	if (rc == DB_DONE && db_changes(db) == 0) {
		db_rollback(db);
		return UNIT_NOT_FOUND;
	}
	return finish(db, who, "unit.update", u, rc);
}
