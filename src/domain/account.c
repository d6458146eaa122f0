/* account.c: accounts, Argon2id passwords and role grants (logins: login.c) */
#include "domain/account.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/session.h"

static void id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%" PRId64, id);
}

static void read_account(struct db_stmt *st, struct account *out)
{
	out->id = db_col_int(st, 0);
	str_copy(out->login, sizeof(out->login), db_col_text(st, 1));
	str_copy(out->name, sizeof(out->name), db_col_text(st, 2));
	str_copy(out->phone, sizeof(out->phone), db_col_text(st, 3));
}

int account_create(struct db *db, const struct actor *who, const char *login, const char *name,
		   const char *phone, const char *password, int64_t *id)
{
	char *hash = crypto_password_hash(password);
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0) {
		free(hash);
		return ACCOUNT_ERROR;
	}
	st = db_prepare(db, "INSERT INTO account (login, name, phone, password_hash, password_changed_at, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
	db_bind_text(st, 1, login);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, phone && *phone ? phone : NULL);
	db_bind_text(st, 4, hash);
	db_bind_int(st, 5, clock_now());
	db_bind_int(st, 6, clock_now());
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	free(hash);
	if (rc != DB_ROW) {
		db_rollback(db);
		return rc == DB_UNIQUE ? ACCOUNT_DUPLICATE : ACCOUNT_ERROR;
	}
	id_text(*id, idt);
	if (audit_append(db, who, "account.create", "account", idt, "", "ok") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return ACCOUNT_OK;
}

int account_get(struct db *db, int64_t id, struct account *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, login, name, COALESCE(phone, '') FROM account WHERE id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_account(st, out);
	db_done(st);
	return rc == DB_ROW ? ACCOUNT_OK : rc == DB_DONE ? ACCOUNT_NOT_FOUND : ACCOUNT_ERROR;
}

int account_find(struct db *db, const char *login_or_phone, struct account *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, login, name, COALESCE(phone, '') FROM account "
					    "WHERE login = ? OR phone = ? ORDER BY (login = ?) DESC LIMIT 1");
	int rc;

	db_bind_text(st, 1, login_or_phone);
	db_bind_text(st, 2, login_or_phone);
	db_bind_text(st, 3, login_or_phone);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_account(st, out);
	db_done(st);
	return rc == DB_ROW ? ACCOUNT_OK : rc == DB_DONE ? ACCOUNT_NOT_FOUND : ACCOUNT_ERROR;
}

int account_set_password(struct db *db, const struct actor *who, int64_t id, const char *password,
			 const char *keep_token)
{
	char *hash = crypto_password_hash(password);
	struct db_stmt *st;
	char idt[24];
	int rc;

	if (db_begin(db) < 0) {
		free(hash);
		return ACCOUNT_ERROR;
	}
	/* A password of one's own: a one-time code is done with. */
	st = db_prepare(db, "UPDATE account SET password_hash = ?, password_changed_at = ?, failed_logins = 0, "
			    "locked_until = 0, must_change_password = 0, password_expires_at = 0 WHERE id = ?");
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, clock_now());
	db_bind_int(st, 3, id);
	rc = db_step(st);
	db_done(st);
	free(hash);
	id_text(id, idt);
	if (rc != DB_DONE || db_changes(db) != 1 || session_end_others(db, id, keep_token) < 0 ||
	    audit_append(db, who, "account.password", "account", idt, "", "ok") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == DB_DONE ? ACCOUNT_NOT_FOUND : ACCOUNT_ERROR;
	}
	return ACCOUNT_OK;
}

static int grant_audit(struct db *db, const struct actor *who, int64_t id, const char *what)
{
	char idt[24];

	id_text(id, idt);
	return audit_append(db, who, what, "account", idt, "", "ok");
}

int account_grant(struct db *db, const struct actor *who, int64_t id, enum role role, const char *region_code,
		  int64_t unit_id)
{
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return ACCOUNT_ERROR;
	st = db_prepare(db, "INSERT INTO role_grant (account_id, role, region_code, unit_id, created_at) "
			    "VALUES (?, ?, ?, ?, ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, role_name(role));
	db_bind_text(st, 3, region_code && *region_code ? region_code : NULL);
	if (unit_id)
		db_bind_int(st, 4, unit_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, clock_now());
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE || grant_audit(db, who, id, "account.role") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return rc == DB_FOREIGN ? ACCOUNT_NOT_FOUND : ACCOUNT_ERROR;
	}
	return ACCOUNT_OK;
}

int account_revoke(struct db *db, const struct actor *who, int64_t id, enum role role, const char *region_code,
		   int64_t unit_id)
{
	struct db_stmt *st;
	int64_t n;
	int rc;

	if (db_begin(db) < 0)
		return ACCOUNT_ERROR;
	st = db_prepare(db, "DELETE FROM role_grant WHERE account_id = ? AND role = ? "
			    "AND (? = '' OR region_code = ?) AND (? = 0 OR unit_id = ?)");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, role_name(role));
	db_bind_text(st, 3, region_code ? region_code : "");
	db_bind_text(st, 4, region_code ? region_code : "");
	db_bind_int(st, 5, unit_id);
	db_bind_int(st, 6, unit_id);
	rc = db_step(st);
	db_done(st);
	n = db_changes(db);
	if (rc != DB_DONE || grant_audit(db, who, id, "account.role") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return ACCOUNT_ERROR;
	}
	return (int)n;
}

int account_principal(struct db *db, int64_t id, struct principal *out)
{
	struct db_stmt *st;
	char key[DB_MEMO_KEY_MAX];
	int rc;

	/* Every request asks: the grants come from the connection's memo while the database is unchanged. */
	snprintf(key, sizeof(key), "grants:%" PRId64, id);
	if (db_memo_get(db, key, out, sizeof(*out)))
		return 0;
	st = db_prepare(db, "SELECT must_change_password FROM account WHERE id = ?");
	memset(out, 0, sizeof(*out));
	out->account_id = id;
	db_bind_int(st, 1, id);
	rc = db_step(st);
	out->must_change_password = rc == DB_ROW && db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT g.role, COALESCE(g.region_code, ''), COALESCE(r.path, ''), "
			    "COALESCE(g.unit_id, 0), g.pending FROM role_grant g "
			    "LEFT JOIN region r ON r.code = g.region_code "
			    "WHERE g.account_id = ? ORDER BY g.id");
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct grant *g;
		enum role role;

		if (out->ngrants == GRANTS_MAX || role_parse(db_col_text(st, 0), &role) < 0)
			continue;
		g = &out->grants[out->ngrants++];
		g->role = role;
		str_copy(g->region_code, sizeof(g->region_code), db_col_text(st, 1));
		str_copy(g->region_path, sizeof(g->region_path), db_col_text(st, 2));
		g->unit_id = db_col_int(st, 3);
		g->pending = db_col_int(st, 4) != 0;
	}
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	db_memo_put(db, key, out, sizeof(*out));
	return 0;
}

int account_each(struct db *db, void (*fn)(const struct account *a, const char *roles, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, login, name, COALESCE(phone, '') FROM account ORDER BY id");
	struct account *all = NULL;
	size_t n = 0, cap = 0;
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			all = xrealloc(all, cap * sizeof(*all));
		}
		read_account(st, &all[n++]);
	}
	db_done(st);
	for (size_t i = 0; rc == DB_DONE && i < n; i++) {
		struct principal p;
		struct buf roles = BUF_INIT;

		if (account_principal(db, all[i].id, &p) < 0) {
			rc = DB_ERROR;
			break;
		}
		for (size_t k = 0; k < p.ngrants; k++) {
			const struct grant *g = &p.grants[k];

			buf_addf(&roles, "%s%s", k ? " " : "", role_name(g->role));
			if (g->region_code[0])
				buf_addf(&roles, "@%s", g->region_code);
			if (g->unit_id)
				buf_addf(&roles, "#%" PRId64, g->unit_id);
		}
		fn(&all[i], buf_str(&roles), arg);
		buf_release(&roles);
	}
	free(all);
	return rc == DB_DONE ? 0 : -1;
}

int account_lives_in(struct db *db, int64_t id, const char *code)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM role_grant WHERE account_id = ? AND role = 'resident' AND "
					    "region_code = ? AND pending = 0");
	int rc;

	db_bind_int(st, 1, id);
	db_bind_text(st, 2, code);
	rc = db_step(st);
	db_done(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
