/* open311.c: Open311 client keys (stored hashed), cases reported through a key, the public list of requests */
#include "domain/open311.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/case_row.h"

/* How many columns CASE_COLUMNS has: the request's come after them. */
#define CASE_NCOLUMNS 43

static int finish(struct db *db, int rc)
{
	if (rc != OPEN311_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? OPEN311_ERROR : OPEN311_OK;
}

static void key_hash(const char *key, char out[CRYPTO_HEX_HASH])
{
	crypto_hash_hex(key, strlen(key), out);
}

#define KEY_COLUMNS "k.id, k.name, k.community_code, r.name, r.path, k.created_at, COALESCE(k.revoked_at, 0)"
#define KEY_FROM " FROM open311_key k JOIN region r ON r.code = k.community_code"

static void key_row(struct db_stmt *st, struct open311_key *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	str_copy(out->name, sizeof(out->name), db_col_text(st, 1));
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 2));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 3));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 4));
	out->created_at = db_col_int(st, 5);
	out->revoked_at = db_col_int(st, 6);
}

int open311_key_issue(struct db *db, const struct actor *who, const char *name, const char *community_code,
		      char key[CRYPTO_TOKEN_HEX], int64_t *id)
{
	char hash[CRYPTO_HEX_HASH], idt[24], path[PATH_MAX_LEN] = "";
	struct db_stmt *st;
	int rc;

	crypto_token(key);
	key_hash(key, hash);
	if (db_begin(db) < 0)
		return OPEN311_ERROR;
	st = db_prepare(db, "INSERT INTO open311_key (name, community_code, key_hash, created_by, created_at) VALUES "
			    "(?, ?, ?, ?, ?) RETURNING id, (SELECT path FROM region WHERE code = ?)");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, community_code);
	db_bind_text(st, 3, hash);
	if (who->account_id)
		db_bind_int(st, 4, who->account_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	db_bind_text(st, 6, community_code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		str_copy(path, sizeof(path), db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW)
		return finish(db, OPEN311_ERROR);
	snprintf(idt, sizeof(idt), "%" PRId64, *id);
	rc = audit_append(db, who, "open311.key_issue", "open311_key", idt, path, "ok") < 0 ? OPEN311_ERROR
											    : OPEN311_OK;
	return finish(db, rc);
}

int open311_keys(struct db *db, struct open311_key **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " KEY_COLUMNS KEY_FROM " ORDER BY k.id DESC");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		key_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return OPEN311_ERROR;
	}
	return OPEN311_OK;
}

int open311_key_revoke(struct db *db, const struct actor *who, int64_t id)
{
	struct db_stmt *st;
	char idt[24], path[PATH_MAX_LEN] = "";
	int rc;

	if (db_begin(db) < 0)
		return OPEN311_ERROR;
	st = db_prepare(db, "UPDATE open311_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING "
			    "(SELECT path FROM region WHERE code = open311_key.community_code)");
	db_bind_int(st, 1, clock_now());
	db_bind_int(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(path, sizeof(path), db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return finish(db, rc == DB_DONE ? OPEN311_NOT_FOUND : OPEN311_ERROR);
	snprintf(idt, sizeof(idt), "%" PRId64, id);
	rc = audit_append(db, who, "open311.key_revoke", "open311_key", idt, path, "ok") < 0 ? OPEN311_ERROR
											     : OPEN311_OK;
	return finish(db, rc);
}

int open311_key_find(struct db *db, const char *key, struct open311_key *out)
{
	char hash[CRYPTO_HEX_HASH];
	struct db_stmt *st;
	int rc;

	key_hash(key, hash);
	st = db_prepare(db, "SELECT " KEY_COLUMNS KEY_FROM " WHERE k.key_hash = ? AND k.revoked_at IS NULL");
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	if (rc == DB_ROW)
		key_row(st, out);
	db_done(st);
	return rc == DB_ROW ? OPEN311_OK : rc == DB_DONE ? OPEN311_NOT_FOUND : OPEN311_ERROR;
}

int open311_report(struct db *db, const struct actor *who, const struct open311_key *key, const struct case_input *in,
		   const struct open311_where *where, struct field_errors *errs, int64_t *case_id,
		   char token[CRYPTO_TOKEN_HEX])
{
	struct db_stmt *st;
	int rc;

	crypto_token(token);
	if (db_begin(db) < 0)
		return OPEN311_ERROR;
	rc = case_report_in(db, who, in, errs, case_id);
	if (rc != CASE_OK)
		return finish(db, rc == CASE_INVALID ? OPEN311_INVALID : OPEN311_ERROR);
	st = db_prepare(db, "INSERT INTO open311_request (case_id, key_id, token, lat_e6, lon_e6, address_string, "
			    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, *case_id);
	db_bind_int(st, 2, key->id);
	db_bind_text(st, 3, token);
	if (where->has_point) {
		db_bind_int(st, 4, where->lat_e6);
		db_bind_int(st, 5, where->lon_e6);
	} else {
		db_bind_null(st, 4);
		db_bind_null(st, 5);
	}
	db_bind_text(st, 6, where->address ? where->address : "");
	db_bind_int(st, 7, clock_now());
	rc = db_step(st) == DB_DONE ? OPEN311_OK : OPEN311_ERROR;
	db_done(st);
	return finish(db, rc);
}

int open311_token(struct db *db, const char *token, int64_t *case_id)
{
	struct db_stmt *st = db_prepare(db, "SELECT case_id FROM open311_request WHERE token = ?");
	int rc;

	db_bind_text(st, 1, token);
	rc = db_step(st);
	if (rc == DB_ROW)
		*case_id = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? OPEN311_OK : rc == DB_DONE ? OPEN311_NOT_FOUND : OPEN311_ERROR;
}

int open311_list(struct db *db, const struct open311_filter *f, struct open311_item **items, size_t *n)
{
	struct buf sql;
	struct db_stmt *st;
	size_t cap = 0;
	int rc, k = 1;

	*items = NULL;
	*n = 0;
	buf_init(&sql, 0);
	buf_addstr(&sql, "SELECT " CASE_COLUMNS ", COALESCE(q.lat_e6, 0), COALESCE(q.lon_e6, 0), "
			 "CASE WHEN q.lat_e6 IS NULL THEN 0 ELSE 1 END" CASE_FROM " LEFT JOIN open311_request q ON q.case_id = k.id "
			 "WHERE k.private = 0 AND k.state <> 'merged' AND k.state <> 'refused'");
	if (f->nids) {
		buf_addstr(&sql, " AND k.id IN (");
		for (size_t i = 0; i < f->nids; i++)
			buf_addstr(&sql, i ? ", ?" : "?");
		buf_addstr(&sql, ")");
	}
	if (f->category)
		buf_addstr(&sql, " AND k.category_code = ?");
	if (f->start)
		buf_addstr(&sql, " AND k.created_at >= ?");
	if (f->end)
		buf_addstr(&sql, " AND k.created_at <= ?");
	if (f->status == 1)
		buf_addstr(&sql, " AND k.state IN ('reported', 'accepted', 'assigned', 'in_progress')");
	else if (f->status == 2)
		buf_addstr(&sql, " AND k.state IN ('resolved', 'follow_up', 'closed')");
	buf_addstr(&sql, " ORDER BY k.id DESC LIMIT ?");
	st = db_prepare(db, buf_str(&sql));
	for (size_t i = 0; i < f->nids; i++)
		db_bind_int(st, k++, f->ids[i]);
	if (f->category)
		db_bind_text(st, k++, f->category);
	if (f->start)
		db_bind_int(st, k++, f->start);
	if (f->end)
		db_bind_int(st, k++, f->end);
	db_bind_int(st, k, f->limit > 0 && f->limit <= OPEN311_LIST_MAX ? f->limit : OPEN311_LIST_MAX);
	while ((rc = db_step(st)) == DB_ROW) {
		struct open311_item *it;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		it = &(*items)[(*n)++];
		case_read_row(st, &it->k);
		it->lat_e6 = db_col_int(st, CASE_NCOLUMNS);
		it->lon_e6 = db_col_int(st, CASE_NCOLUMNS + 1);
		it->has_point = db_col_int(st, CASE_NCOLUMNS + 2) != 0;
	}
	db_done(st);
	buf_release(&sql);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return OPEN311_ERROR;
	}
	return OPEN311_OK;
}
