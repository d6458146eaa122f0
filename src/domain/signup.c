/* signup.c: self sign-up that tells nothing about who has an account, and the codes on sign-up posters */
#include "domain/signup.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/account.h"
#include "domain/rate.h"

static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* no 0/O, 1/I/L to mistake */

static void new_code(char out[SIGNUP_CODE_BUF])
{
	for (int i = 0; i < SIGNUP_CODE_LEN; i++)
		out[i] = alphabet[crypto_uniform(sizeof(alphabet) - 1)];
	out[SIGNUP_CODE_LEN] = '\0';
}

/* Fills out from a live code's row: its community or its unit. */
static int place_of(struct db *db, const char *code, const char *region_code, int64_t unit_id,
		    struct signup_place *out)
{
	struct unit u;

	memset(out, 0, sizeof(*out));
	str_copy(out->code, sizeof(out->code), code);
	if (region_code && *region_code)
		return region_get(db, region_code, &out->community) == REGION_OK ? SIGNUP_OK : SIGNUP_ERROR;
	if (unit_get(db, unit_id, &u) != UNIT_OK)
		return SIGNUP_ERROR;
	out->unit_id = u.id;
	str_copy(out->unit_name, sizeof(out->unit_name), u.name);
	return SIGNUP_OK;
}

int signup_code_get(struct db *db, const char *code, struct signup_place *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(region_code, ''), COALESCE(unit_id, 0) FROM signup_code "
					    "WHERE code = ? AND revoked_at = 0");
	char region[24] = "";
	int64_t unit = 0;
	int rc;

	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(region, sizeof(region), db_col_text(st, 0));
		unit = db_col_int(st, 1);
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? SIGNUP_NOT_FOUND : SIGNUP_ERROR;
	return place_of(db, code, region, unit, out);
}

/* The live code of a place, inside the caller's transaction; "" when it has none. */
static int live_code(struct db *db, const char *region_code, int64_t unit_id, char out[SIGNUP_CODE_BUF])
{
	struct db_stmt *st = db_prepare(db, "SELECT code FROM signup_code WHERE revoked_at = 0 AND (region_code = ? OR "
					    "unit_id = ?)");
	int rc;

	out[0] = '\0';
	db_bind_text(st, 1, region_code && *region_code ? region_code : NULL);
	db_bind_int(st, 2, unit_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(out, SIGNUP_CODE_BUF, db_col_text(st, 0));
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

static int make_code(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id,
		     char out[SIGNUP_CODE_BUF])
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO signup_code (code, region_code, unit_id, created_at) VALUES "
					    "(?, ?, ?, ?)");
	char target[24];
	int rc;

	new_code(out);
	db_bind_text(st, 1, out);
	db_bind_text(st, 2, region_code && *region_code ? region_code : NULL);
	if (unit_id)
		db_bind_int(st, 3, unit_id);
	else
		db_bind_null(st, 3);
	db_bind_int(st, 4, clock_now());
	rc = db_step(st);
	db_done(st);
	if (region_code && *region_code)
		str_copy(target, sizeof(target), region_code);
	else
		snprintf(target, sizeof(target), "%" PRId64, unit_id);
	if (rc != DB_DONE)
		return -1;
	return audit_append(db, who, "signup.code", region_code && *region_code ? "region" : "unit", target, "", "ok");
}

static int code_for(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id, bool renew,
		    struct signup_place *out)
{
	char code[SIGNUP_CODE_BUF];
	struct db_stmt *st;
	int rc = -1;

	if (db_begin(db) < 0)
		return SIGNUP_ERROR;
	if (live_code(db, region_code, unit_id, code) < 0)
		goto fail;
	if (renew && *code) {
		st = db_prepare(db, "UPDATE signup_code SET revoked_at = ? WHERE code = ?");
		db_bind_int(st, 1, clock_now());
		db_bind_text(st, 2, code);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			goto fail;
		*code = '\0';
	}
	if (!*code && make_code(db, who, region_code, unit_id, code) < 0)
		goto fail;
	if (place_of(db, code, region_code, unit_id, out) != SIGNUP_OK)
		goto fail;
	return db_commit(db) < 0 ? SIGNUP_ERROR : SIGNUP_OK;
fail:
	db_rollback(db);
	return SIGNUP_ERROR;
}

int signup_code_for(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id,
		    struct signup_place *out)
{
	return code_for(db, who, region_code, unit_id, false, out);
}

int signup_code_renew(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id,
		      struct signup_place *out)
{
	return code_for(db, who, region_code, unit_id, true, out);
}

/* Both hourly limits, counted in the transaction; the longer wait when one is past. */
static int64_t limits(struct db *db, const struct signup_input *in, int64_t now)
{
	char key[128], hash[CRYPTO_HEX_HASH];
	int64_t a, p;

	snprintf(key, sizeof(key), "signup-addr:%s", in->client);
	a = rate_take(db, key, SIGNUP_PER_ADDRESS, 3600, now);
	/* The phone is personal data: counted under a keyed hash. */
	crypto_mac_hex(KEY_LOOKUP, in->phone, strlen(in->phone), hash);
	snprintf(key, sizeof(key), "signup-phone:%.24s", hash);
	p = rate_take(db, key, SIGNUP_PER_PHONE, 3600, now);
	if (a < 0 || p < 0)
		return -1;
	return a > p ? a : p;
}

int signup_submit(struct db *db, const struct actor *who, const struct signup_input *in, int64_t *retry_after)
{
	char *hash = crypto_password_hash(in->password), idt[24];
	int64_t now = clock_now(), wait, id = 0;
	struct region community;
	struct db_stmt *st;
	int rc;

	if (db_begin(db) < 0) {
		free(hash);
		return SIGNUP_ERROR;
	}
	wait = limits(db, in, now);
	if (wait != 0) {
		/* The counts stay: hammering does not earn more tries. */
		free(hash);
		if (wait < 0 || db_commit(db) < 0) {
			db_rollback(db);
			return SIGNUP_ERROR;
		}
		*retry_after = wait;
		return SIGNUP_THROTTLED;
	}
	rc = region_get(db, in->community_code, &community) == REGION_OK ? DB_DONE : DB_ERROR;
	st = db_prepare(db, "INSERT INTO account (login, name, phone, password_hash, password_changed_at, created_at) "
			    "SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM account WHERE login = ? OR phone = ?) "
			    "RETURNING id");
	db_bind_text(st, 1, in->phone);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->phone);
	db_bind_text(st, 4, hash);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, in->phone);
	db_bind_text(st, 8, in->phone);
	if (rc == DB_DONE)
		rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	free(hash);
	if (rc == DB_ROW) {
		st = db_prepare(db, "INSERT INTO role_grant (account_id, role, region_code, pending, created_at) VALUES "
				    "(?, ?, ?, ?, ?)");
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, in->resident ? "resident" : "member");
		db_bind_text(st, 3, community.code);
		db_bind_int(st, 4, in->resident);
		db_bind_int(st, 5, now);
		rc = db_step(st) == DB_DONE ? DB_ROW : DB_ERROR;
		db_done(st);
	}
	if (id)
		snprintf(idt, sizeof(idt), "%" PRId64, id);
	else
		idt[0] = '\0';
	/* A phone that has an account already: nothing made, and only the audit log says so. */
	if ((rc != DB_ROW && rc != DB_DONE) ||
	    audit_append(db, who, "account.signup", "account", idt, community.path, rc == DB_ROW ? "ok" : "duplicate") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		return SIGNUP_ERROR;
	}
	return SIGNUP_OK;
}
