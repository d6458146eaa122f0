/* account_admin.c: accounts opened and kept by others, each change one transaction with its audit entry */
#include "domain/account_admin.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/valid.h"
#include "base/xalloc.h"
#include "domain/listing.h"
#include "domain/member.h"
#include "domain/session.h"

void account_code(char out[ACCOUNT_CODE_BUF])
{
	for (int i = 0; i < ACCOUNT_CODE_DIGITS; i++)
		out[i] = (char)('0' + crypto_uniform(10));
	out[ACCOUNT_CODE_DIGITS] = '\0';
}

int account_place_get(struct db *db, int64_t id, struct account_place *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT g.role, COALESCE(g.region_code, ''), COALESCE(r.path, ''), "
					    "COALESCE(g.unit_id, 0), g.pending, COALESCE(ur.path, '') FROM account a "
					    "LEFT JOIN role_grant g ON g.account_id = a.id LEFT JOIN region r ON "
					    "r.code = g.region_code LEFT JOIN unit u ON u.id = g.unit_id LEFT JOIN region ur "
					    "ON ur.code = u.region_code WHERE a.id = ? ORDER BY g.id");
	struct member_place mp;
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	out->id = id;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct grant *g;
		enum role role;

		found = 1;
		if (db_col_null(st, 0) || out->ngrants == GRANTS_MAX || role_parse(db_col_text(st, 0), &role) < 0)
			continue;
		g = &out->grants[out->ngrants];
		g->role = role;
		str_copy(g->region_code, sizeof(g->region_code), db_col_text(st, 1));
		str_copy(g->region_path, sizeof(g->region_path), db_col_text(st, 2));
		g->unit_id = db_col_int(st, 3);
		g->pending = db_col_int(st, 4) != 0;
		str_copy(out->unit_paths[out->ngrants], PATH_MAX_LEN, db_col_text(st, 5));
		out->ngrants++;
	}
	db_done(st);
	if (rc != DB_DONE)
		return ADMIN_ERROR;
	if (!found)
		return ADMIN_NOT_FOUND;
	rc = member_find_by_account(db, id, &out->member_id);
	if (rc == MEMBER_NOT_FOUND)
		return ADMIN_OK;
	if (rc != MEMBER_OK || member_place(db, out->member_id, &mp) != MEMBER_OK)
		return ADMIN_ERROR;
	for (size_t i = 0; i < mp.nopen; i++)
		str_copy(out->member_paths[out->nmember_paths++], PATH_MAX_LEN, mp.open_paths[i]);
	out->member_unit = mp.unit_id;
	return ADMIN_OK;
}

static bool allows(const struct principal *p, enum action a, const char *path, int64_t unit)
{
	struct target t = { path, unit };

	return authz_allows(p, a, &t);
}

bool account_may_manage(const struct principal *p, const struct account_place *a)
{
	bool member = a->member_id != 0, member_ok = false;

	if (a->id == p->account_id)
		return false;
	for (size_t i = 0; i < a->ngrants; i++) {
		const struct grant *g = &a->grants[i];

		switch (g->role) {
		case ROLE_MEMBER:
			member = true;
			member_ok = member_ok || allows(p, ACT_ACCOUNT_MEMBER, g->region_path, 0);
			break;
		case ROLE_RESIDENT:
			if (!allows(p, ACT_ACCOUNT_RESIDENT, g->region_path, 0))
				return false;
			break;
		case ROLE_STAFF:
			if (!allows(p, ACT_ACCOUNT_STAFF, g->region_path, 0))
				return false;
			break;
		case ROLE_UNIT:
			if (!allows(p, ACT_ACCOUNT_UNIT, a->unit_paths[i], 0))
				return false;
			break;
		default:
			if (!allows(p, ACT_ACCOUNT_ORG, NULL, 0))
				return false;
		}
	}
	for (size_t i = 0; i < a->nmember_paths; i++)
		member_ok = member_ok || allows(p, ACT_ACCOUNT_MEMBER, a->member_paths[i], 0);
	if (a->member_unit)
		member_ok = member_ok || allows(p, ACT_ACCOUNT_MEMBER, NULL, a->member_unit);
	if (member)
		return member_ok;
	return a->ngrants || allows(p, ACT_ACCOUNT_ORG, NULL, 0);
}

bool account_may_open(const struct principal *p, enum role role, const char *region_path, int64_t unit,
		      const char *unit_path)
{
	switch (role) {
	case ROLE_MEMBER:
		return allows(p, ACT_ACCOUNT_MEMBER, region_path, 0);
	case ROLE_RESIDENT:
		return allows(p, ACT_ACCOUNT_RESIDENT, region_path, 0);
	case ROLE_STAFF:
		return allows(p, ACT_ACCOUNT_STAFF, region_path, 0);
	case ROLE_UNIT:
		return unit && allows(p, ACT_ACCOUNT_UNIT, unit_path, 0);
	default:
		return allows(p, ACT_ACCOUNT_ORG, NULL, 0);
	}
}

static int audit_account(struct db *db, const struct actor *who, const char *action, int64_t id, const char *path,
			 const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, id);
	return audit_append_detail(db, who, action, "account", idt, path ? path : "", "ok", detail ? detail : "");
}

/* Whether login or phone s is free: no account logs in with it (by login name or by phone). */
static int login_free(struct db *db, const char *s)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM account WHERE login = ? OR phone = ?");
	int rc;

	db_bind_text(st, 1, s);
	db_bind_text(st, 2, s);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 1 : rc == DB_ROW ? 0 : -1;
}

/* Inserts the account and its grant, with a new one-time code; inside the caller's transaction. */
static int insert(struct db *db, const struct account_new *in, bool pending, const char *code, int64_t *id)
{
	char *hash = crypto_password_hash(code);
	int64_t now = clock_now();
	struct db_stmt *st;
	int rc;

	st = db_prepare(db, "INSERT INTO account (login, name, phone, password_hash, password_changed_at, "
			    "must_change_password, password_expires_at, created_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) "
			    "RETURNING id");
	db_bind_text(st, 1, in->login);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->phone && *in->phone ? in->phone : NULL);
	db_bind_text(st, 4, hash);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now + ACCOUNT_CODE_DAYS * 86400);
	db_bind_int(st, 7, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	free(hash);
	if (rc != DB_ROW)
		return rc == DB_UNIQUE ? ADMIN_PHONE_TAKEN : ADMIN_ERROR;
	st = db_prepare(db, "INSERT INTO role_grant (account_id, role, region_code, unit_id, pending, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?)");
	db_bind_int(st, 1, *id);
	db_bind_text(st, 2, role_name(in->role));
	db_bind_text(st, 3, in->region_code && *in->region_code ? in->region_code : NULL);
	if (in->unit_id)
		db_bind_int(st, 4, in->unit_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, pending);
	db_bind_int(st, 6, now);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? ADMIN_OK : ADMIN_ERROR;
}

/* Commits when rc is ADMIN_OK, rolls back otherwise. */
static int finish(struct db *db, int rc)
{
	if (rc != ADMIN_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? ADMIN_ERROR : ADMIN_OK;
}

int account_open_for_member(struct db *db, const struct actor *who, int64_t member_id, char code[ACCOUNT_CODE_BUF],
			    int64_t *account_id)
{
	struct account_new in = { .role = ROLE_MEMBER };
	struct member m;
	char detail[48];
	int rc;

	account_code(code);
	if (db_begin(db) < 0)
		return ADMIN_ERROR;
	rc = member_get(db, member_id, &m);
	if (rc == MEMBER_OK && m.account_id)
		rc = ADMIN_HAS_ACCOUNT;
	else if (rc == MEMBER_OK && !valid_mobile(m.phone))
		rc = ADMIN_NO_PHONE;
	else if (rc == MEMBER_OK)
		rc = login_free(db, m.phone) > 0 ? ADMIN_OK : ADMIN_PHONE_TAKEN;
	else
		rc = rc == MEMBER_NOT_FOUND ? ADMIN_NOT_FOUND : ADMIN_ERROR;
	if (rc == ADMIN_OK) {
		in.login = in.phone = m.phone;
		in.name = m.name;
		in.region_code = m.community_code;
		rc = insert(db, &in, false, code, account_id);
	}
	snprintf(detail, sizeof(detail), "member %" PRId64, member_id);
	if (rc == ADMIN_OK && (member_claim(db, who, member_id, *account_id) != MEMBER_OK ||
			       audit_account(db, who, "account.create", *account_id, m.community_path, detail) < 0))
		rc = ADMIN_ERROR;
	return finish(db, rc);
}

/* The region path an account's audit entries are placed at: its first grant's region, if any. */
static void audit_path(struct db *db, int64_t id, char path[PATH_MAX_LEN])
{
	struct account_place a;

	path[0] = '\0';
	if (account_place_get(db, id, &a) != ADMIN_OK)
		return;
	if (a.nmember_paths)
		str_copy(path, PATH_MAX_LEN, a.member_paths[0]);
	else if (a.ngrants)
		str_copy(path, PATH_MAX_LEN, a.grants[0].region_path[0] ? a.grants[0].region_path : a.unit_paths[0]);
}

int account_open(struct db *db, const struct actor *who, const struct account_new *in, char code[ACCOUNT_CODE_BUF],
		 int64_t *account_id)
{
	char path[PATH_MAX_LEN];
	int rc;

	account_code(code);
	if (db_begin(db) < 0)
		return ADMIN_ERROR;
	rc = login_free(db, in->login) > 0 && (!in->phone || !*in->phone || login_free(db, in->phone) > 0)
		     ? ADMIN_OK
		     : ADMIN_PHONE_TAKEN;
	if (rc == ADMIN_OK)
		rc = insert(db, in, false, code, account_id);
	if (rc == ADMIN_OK) {
		audit_path(db, *account_id, path);
		if (audit_account(db, who, "account.create", *account_id, path, role_name(in->role)) < 0)
			rc = ADMIN_ERROR;
	}
	return finish(db, rc);
}

/* Runs an UPDATE of account id that must change one row; ADMIN_NOT_FOUND when it changed none. */
static int update_one(struct db *db, struct db_stmt *st)
{
	int rc = db_step(st);

	db_done(st);
	if (rc != DB_DONE)
		return ADMIN_ERROR;
	return db_changes(db) == 1 ? ADMIN_OK : ADMIN_NOT_FOUND;
}

int account_reset(struct db *db, const struct actor *who, int64_t id, char code[ACCOUNT_CODE_BUF])
{
	char *hash, path[PATH_MAX_LEN];
	struct db_stmt *st;
	int64_t now = clock_now();
	int rc;

	account_code(code);
	hash = crypto_password_hash(code);
	if (db_begin(db) < 0) {
		free(hash);
		return ADMIN_ERROR;
	}
	st = db_prepare(db, "UPDATE account SET password_hash = ?, password_changed_at = ?, must_change_password = 1, "
			    "password_expires_at = ? WHERE id = ?");
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, now + ACCOUNT_CODE_DAYS * 86400);
	db_bind_int(st, 4, id);
	rc = update_one(db, st);
	free(hash);
	audit_path(db, id, path);
	if (rc == ADMIN_OK && (session_end_others(db, id, NULL) < 0 ||
			       audit_account(db, who, "account.reset", id, path, NULL) < 0))
		rc = ADMIN_ERROR;
	return finish(db, rc);
}

int account_set_disabled(struct db *db, const struct actor *who, int64_t id, bool disabled)
{
	char path[PATH_MAX_LEN];
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return ADMIN_ERROR;
	st = db_prepare(db, "UPDATE account SET disabled = ? WHERE id = ?");
	db_bind_int(st, 1, disabled);
	db_bind_int(st, 2, id);
	rc = update_one(db, st);
	audit_path(db, id, path);
	if (rc == ADMIN_OK && ((disabled && session_end_others(db, id, NULL) < 0) ||
			       audit_account(db, who, disabled ? "account.disable" : "account.enable", id, path, NULL) < 0))
		rc = ADMIN_ERROR;
	return finish(db, rc);
}

int account_confirm(struct db *db, const struct actor *who, int64_t id, const char *region_code, bool confirm)
{
	char path[PATH_MAX_LEN];
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0)
		return ADMIN_ERROR;
	audit_path(db, id, path);
	st = db_prepare(db, confirm ? "UPDATE role_grant SET pending = 0 WHERE account_id = ? AND region_code = ? AND "
				      "pending = 1"
				    : "DELETE FROM role_grant WHERE account_id = ? AND region_code = ? AND pending = 1");
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, region_code);
	rc = db_step(st);
	db_done(st);
	rc = rc != DB_DONE ? ADMIN_ERROR : db_changes(db) ? ADMIN_OK : ADMIN_NOT_PENDING;
	if (rc == ADMIN_OK && audit_account(db, who, confirm ? "account.confirm" : "account.refuse", id, path, NULL) < 0)
		rc = ADMIN_ERROR;
	return finish(db, rc);
}

struct account_query {
	const struct account_filter *f;
	struct scope scope;
	const char *code_col;
	char q_hi[TEXT_BYTES(ACCOUNT_LOGIN_MAX) + 4];
};

static void account_where(struct buf *sql, const struct account_query *q)
{
	buf_addstr(sql, " FROM role_grant g JOIN account a ON a.id = g.account_id LEFT JOIN member m ON m.account_id = "
			"a.id LEFT JOIN unit un ON un.id = g.unit_id WHERE g.role = ?");
	listing_codes_sql(sql, &q->scope, q->code_col, "m.unit_id", false);
	if (q->f->pending >= 0)
		buf_addstr(sql, " AND g.pending = ?");
	if (q->f->q)
		buf_addstr(sql, " AND ((a.name >= ? AND a.name < ?) OR (a.login >= ? AND a.login < ?) OR "
				"(a.phone >= ? AND a.phone < ?))");
}

static int account_bind(struct db_stmt *st, const struct account_query *q)
{
	int i = 1;

	db_bind_text(st, i++, role_name(q->f->role));
	i = listing_codes_bind(st, &q->scope, 1, i);
	if (q->f->pending >= 0)
		db_bind_int(st, i++, q->f->pending);
	for (int k = 0; q->f->q && k < 3; k++) {
		db_bind_text(st, i++, q->f->q);
		db_bind_text(st, i++, q->q_hi);
	}
	return i;
}

static void read_account_row(struct db_stmt *st, struct account_row *r)
{
	r->id = db_col_int(st, 0);
	str_copy(r->login, sizeof(r->login), db_col_text(st, 1));
	str_copy(r->name, sizeof(r->name), db_col_text(st, 2));
	str_copy(r->phone, sizeof(r->phone), db_col_text(st, 3));
	r->disabled = db_col_int(st, 4) != 0;
	r->must_change_password = db_col_int(st, 5) != 0;
	r->password_expires_at = db_col_int(st, 6);
	r->created_at = db_col_int(st, 7);
	r->member_id = db_col_int(st, 8);
	role_parse(db_col_text(st, 9), &r->role);
	str_copy(r->region_code, sizeof(r->region_code), db_col_text(st, 10));
	str_copy(r->region_name, sizeof(r->region_name), db_col_text(st, 11));
	r->unit_id = db_col_int(st, 12);
	str_copy(r->unit_name, sizeof(r->unit_name), db_col_text(st, 13));
	r->pending = db_col_int(st, 14) != 0;
}

int account_list(struct db *db, const struct principal *p, const struct account_filter *f, struct account_row **items,
		 size_t *n, int64_t *total)
{
	static const enum action by_role[ROLE_COUNT] = {
		[ROLE_ADMIN] = ACT_ACCOUNT_ORG, [ROLE_ORG] = ACT_ACCOUNT_ORG, [ROLE_STAFF] = ACT_ACCOUNT_STAFF,
		[ROLE_UNIT] = ACT_ACCOUNT_UNIT, [ROLE_MEMBER] = ACT_ACCOUNT_MEMBER, [ROLE_RESIDENT] = ACT_ACCOUNT_RESIDENT,
	};
	struct account_query q = { .f = f, .code_col = f->role == ROLE_UNIT ? "un.region_code" : "g.region_code" };
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i;

	*items = NULL;
	*n = 0;
	authz_scope(p, by_role[f->role], &q.scope);
	if (f->role != ROLE_MEMBER)
		q.scope.nunits = 0; /* only members belong to a unit by their file */
	if (f->q) {
		str_copy(q.q_hi, sizeof(q.q_hi), f->q);
		str_copy(q.q_hi + strlen(q.q_hi), sizeof(q.q_hi) - strlen(q.q_hi), "\xf4\x8f\xbf\xbf");
	}
	buf_addstr(&sql, "SELECT COUNT(*)");
	account_where(&sql, &q);
	st = db_prepare(db, sql.data);
	account_bind(st, &q);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		goto out;
	buf_reset(&sql);
	buf_addstr(&sql, "SELECT a.id, a.login, a.name, COALESCE(a.phone, ''), a.disabled, a.must_change_password, "
			 "a.password_expires_at, a.created_at, COALESCE(m.id, 0), g.role, COALESCE(g.region_code, ''), "
			 "COALESCE((SELECT name FROM region WHERE code = g.region_code), ''), COALESCE(g.unit_id, 0), "
			 "COALESCE(un.name, ''), g.pending");
	account_where(&sql, &q);
	buf_addstr(&sql, " ORDER BY g.pending DESC, a.name, a.id LIMIT ? OFFSET ?");
	st = db_prepare(db, sql.data);
	i = account_bind(st, &q);
	db_bind_int(st, i++, f->per_page);
	db_bind_int(st, i, (f->page - 1) * f->per_page);
	*items = xcalloc((size_t)f->per_page, sizeof(**items));
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)f->per_page)
		read_account_row(st, &(*items)[(*n)++]);
	db_done(st);
out:
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return ADMIN_ERROR;
	}
	return ADMIN_OK;
}
