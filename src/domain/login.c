/* login.c: logins and password checks: throttled, known devices honoured, unknown names treated as wrong passwords */
#include "domain/login.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/xalloc.h"
#include "domain/throttle.h"

#define HASH_MAX 256
#define NONCE_HEX 32

/* A valid Argon2id string of a fixed password: unknown logins pay the same price as known ones. */
static char *dummy;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	dummy = crypto_password_hash("baodao-timing-equaliser");
}

/*
 * The account a login names, with its password hash, in one query whether
 * it exists or not. 0 found (and enabled), 1 none, -1 error.
 */
static int find_account(struct db *db, const char *login, struct account *out, char hash[HASH_MAX],
			int64_t *code_expires)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, login, name, COALESCE(phone, ''), password_hash, disabled, "
					    "CASE WHEN must_change_password = 1 THEN password_expires_at ELSE 0 END "
					    "FROM account WHERE login = ? OR phone = ? ORDER BY (login = ?) DESC LIMIT 1");
	int rc, disabled = 0;

	db_bind_text(st, 1, login);
	db_bind_text(st, 2, login);
	db_bind_text(st, 3, login);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int(st, 0);
		str_copy(out->login, sizeof(out->login), db_col_text(st, 1));
		str_copy(out->name, sizeof(out->name), db_col_text(st, 2));
		str_copy(out->phone, sizeof(out->phone), db_col_text(st, 3));
		str_copy(hash, HASH_MAX, db_col_text(st, 4));
		disabled = (int)db_col_int(st, 5);
		*code_expires = db_col_int(st, 6);
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return -1;
	return rc == DB_ROW && !disabled ? 0 : 1;
}

/*
 * The MAC of a known-device cookie: it binds the cookie to the account and to
 * its current password hash (a password change retires every device), keyed
 * with the look-up subkey under a name of its own.
 */
static void device_mac(int64_t id, int64_t issued, const char *nonce, const char *hash, char mac[CRYPTO_HEX_HASH])
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "baodao known device\x1f%" PRId64 "\x1f%" PRId64 "\x1f%s\x1f%s", id, issued, nonce, hash);
	crypto_mac_hex(KEY_LOOKUP, b.data, b.len, mac);
	buf_release(&b);
}

/* "ID.ISSUED.NONCE.MAC" */
static void device_issue(int64_t id, const char *hash, int64_t now, char out[LOGIN_DEVICE_MAX])
{
	char token[CRYPTO_TOKEN_HEX], mac[CRYPTO_HEX_HASH];

	crypto_token(token);
	token[NONCE_HEX] = '\0';
	device_mac(id, now, token, hash, mac);
	snprintf(out, LOGIN_DEVICE_MAX, "%" PRId64 ".%" PRId64 ".%s.%s", id, now, token, mac);
}

static int is_hex(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* 1 when cookie is a known-device cookie of account id, still valid; its nonce then goes to nonce. */
static int device_trusted(const char *cookie, int64_t id, const char *hash, int64_t now, char nonce[NONCE_HEX + 1])
{
	char copy[LOGIN_DEVICE_MAX], *save = NULL, *part[4], mac[CRYPTO_HEX_HASH];
	long long cid, issued;
	int n = 0;

	if (!cookie || strlen(cookie) >= sizeof(copy))
		return 0;
	str_copy(copy, sizeof(copy), cookie);
	for (char *p = strtok_r(copy, ".", &save); p; p = strtok_r(NULL, ".", &save))
		if (n++ < 4)
			part[n - 1] = p;
	if (n != 4 || str_to_ll(part[0], 1, INT64_MAX, &cid) < 0 || cid != id ||
	    str_to_ll(part[1], 0, INT64_MAX, &issued) < 0 || issued > now || now - issued >= LOGIN_DEVICE_AGE ||
	    !is_hex(part[2], NONCE_HEX) || !is_hex(part[3], CRYPTO_HEX_HASH - 1))
		return 0;
	device_mac(id, issued, part[2], hash, mac);
	if (!crypto_equal_hex(mac, part[3]))
		return 0;
	str_copy(nonce, NONCE_HEX + 1, part[2]);
	return 1;
}

/* Audits an attempt; with k, counts it as a failure in the same transaction. */
static int record(struct db *db, const struct actor *who, const char *action, int64_t id, const char *outcome,
		  const char *detail, const struct throttle_key *k, int64_t now)
{
	char idt[24] = "";

	if (id)
		snprintf(idt, sizeof(idt), "%" PRId64, id);
	if (db_begin(db) < 0)
		return -1;
	if ((k && throttle_fail(db, k, now) < 0) ||
	    audit_append_detail(db, who, action, "account", idt, "", outcome, detail) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

enum login_rc login_password(struct db *db, const struct actor *who, const struct login_request *req,
			     struct account *out, char device[LOGIN_DEVICE_MAX], int64_t *retry_after)
{
	struct throttle_key k = { .ceiling = 1, .cap = req->cap };
	char hash[HASH_MAX] = "", nonce[NONCE_HEX + 1];
	int64_t now = clock_now(), wait, id, code_expires = 0;
	int found, failed = 0, ok;

	pthread_once(&dummy_once, make_dummy);
	found = find_account(db, req->login, out, hash, &code_expires);
	if (found < 0)
		return LOGIN_ERROR;
	/* The audit names the account when there is one; an unknown name only by its keyed hash. */
	id = found == 0 ? out->id : 0;
	throttle_subject_name(req->login, k.subject);
	k.trusted = found == 0 && device_trusted(req->device, out->id, hash, now, nonce);
	if (k.trusted)
		snprintf(k.source, sizeof(k.source), "d:%s", nonce);
	else
		throttle_source_address(who->client, k.source);
	wait = throttle_check(db, &k, now, &failed);
	if (wait < 0)
		return LOGIN_ERROR;
	if (wait > 0) {
		*retry_after = wait;
		return record(db, who, "session.login", id, "throttled", k.subject, NULL, now) < 0 ? LOGIN_ERROR
												   : LOGIN_LOCKED;
	}
	ok = crypto_password_verify(found == 0 ? hash : dummy, req->password) == 0 && found == 0;
	if (!ok)
		return record(db, who, "session.login", id, "failed", k.subject, &k, now) < 0 ? LOGIN_ERROR : LOGIN_BAD;
	/* Failures count in a row: a success starts the count of this source again. */
	if (failed && throttle_clear(db, &k) < 0)
		return LOGIN_ERROR;
	/* A one-time code past its days: right, but no longer a way in (told only to who typed it right). */
	if (code_expires && code_expires <= now)
		return record(db, who, "session.login", id, "expired", "", NULL, now) < 0 ? LOGIN_ERROR : LOGIN_EXPIRED;
	device_issue(out->id, hash, now, device);
	return LOGIN_OK;
}

enum login_rc login_check_password(struct db *db, const struct actor *who, int64_t account_id, const char *password,
				   int64_t cap, int64_t *retry_after)
{
	struct throttle_key k = { .ceiling = 0, .cap = cap };
	struct db_stmt *st;
	char hash[HASH_MAX] = "";
	int64_t now = clock_now(), wait;
	int rc, failed = 0;

	snprintf(k.subject, sizeof(k.subject), "p:%" PRId64, account_id);
	throttle_source_address(who->client, k.source);
	wait = throttle_check(db, &k, now, &failed);
	if (wait < 0)
		return LOGIN_ERROR;
	if (wait > 0) {
		*retry_after = wait;
		return record(db, who, "account.password", account_id, "throttled", "", NULL, now) < 0 ? LOGIN_ERROR
													 : LOGIN_LOCKED;
	}
	st = db_prepare(db, "SELECT password_hash FROM account WHERE id = ?");
	db_bind_int(st, 1, account_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		str_copy(hash, sizeof(hash), db_col_text(st, 0));
	db_done(st);
	if (rc != DB_ROW)
		return LOGIN_ERROR;
	if (crypto_password_verify(hash, password) != 0)
		return record(db, who, "account.password", account_id, "failed", "", &k, now) < 0 ? LOGIN_ERROR
												   : LOGIN_BAD;
	if (failed && throttle_clear(db, &k) < 0)
		return LOGIN_ERROR;
	return LOGIN_OK;
}
