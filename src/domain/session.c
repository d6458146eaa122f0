/* session.c: session tokens, hashed at rest, with idle and absolute expiry */
#include "domain/session.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"

static void token_hash(const char *token, char out[CRYPTO_HEX_HASH])
{
	crypto_hash_hex(token, strlen(token), out);
}

int session_create(struct db *db, const struct actor *who, int64_t account_id, const struct session_limits *lim,
		   char token[CRYPTO_TOKEN_HEX])
{
	char hash[CRYPTO_HEX_HASH], idt[24];
	int64_t now = clock_now();
	struct db_stmt *st;
	int rc;

	crypto_token(token);
	token_hash(token, hash);
	if (db_begin(db) < 0)
		return -1;
	st = db_prepare(db, "DELETE FROM session WHERE account_id = ? AND (last_seen < ? OR created_at < ?)");
	db_bind_int(st, 1, account_id);
	db_bind_int(st, 2, now - lim->idle);
	db_bind_int(st, 3, now - lim->max);
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	st = db_prepare(db, "INSERT INTO session (token_hash, account_id, created_at, last_seen, client_addr) "
			    "VALUES (?, ?, ?, ?, ?)");
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, account_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, who->client);
	rc = db_step(st);
	db_done(st);
	snprintf(idt, sizeof(idt), "%" PRId64, account_id);
	if (rc != DB_DONE || audit_append(db, who, "session.login", "account", idt, "", "ok") < 0)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

static int delete_by_hash(struct db *db, const char *hash)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM session WHERE token_hash = ?");
	int rc;

	db_bind_text(st, 1, hash);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int session_lookup(struct db *db, const char *token, const struct session_limits *lim, int64_t *account_id,
		   int *stale)
{
	char hash[CRYPTO_HEX_HASH];
	int64_t now = clock_now(), created = 0, seen = 0, every;
	struct db_stmt *st;
	int rc;

	*stale = 0;
	if (strlen(token) != CRYPTO_TOKEN_HEX - 1)
		return 1;
	token_hash(token, hash);
	st = db_prepare(db, "SELECT account_id, created_at, last_seen FROM session WHERE token_hash = ?");
	db_bind_text(st, 1, hash);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*account_id = db_col_int(st, 0);
		created = db_col_int(st, 1);
		seen = db_col_int(st, 2);
	}
	db_done(st);
	if (rc == DB_DONE)
		return 1;
	if (rc != DB_ROW)
		return -1;
	/* An expired row stays until the account's next login sweeps it: a read never writes. */
	if (now - seen >= lim->idle || now - created >= lim->max)
		return 1;
	every = lim->idle / 4 < 60 ? lim->idle / 4 : 60;
	*stale = now - seen >= every;
	return 0;
}

int session_touch(struct db *db, const char *token)
{
	char hash[CRYPTO_HEX_HASH];
	struct db_stmt *st;
	int rc;

	token_hash(token, hash);
	/* A last-seen time lost in a power cut only ends the session a little sooner: it costs no fsync. */
	db_lazy(db, true);
	st = db_prepare(db, "UPDATE session SET last_seen = ? WHERE token_hash = ?");
	db_bind_int(st, 1, clock_now());
	db_bind_text(st, 2, hash);
	rc = db_step(st);
	db_done(st);
	db_lazy(db, false);
	return rc == DB_DONE ? 0 : -1;
}

int session_end(struct db *db, const struct actor *who, const char *token)
{
	char hash[CRYPTO_HEX_HASH], idt[24];

	token_hash(token, hash);
	snprintf(idt, sizeof(idt), "%" PRId64, who->account_id);
	if (db_begin(db) < 0)
		return -1;
	if (delete_by_hash(db, hash) < 0 || audit_append(db, who, "session.logout", "account", idt, "", "ok") < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int session_end_others(struct db *db, int64_t account_id, const char *keep_token)
{
	char hash[CRYPTO_HEX_HASH] = "";
	struct db_stmt *st;
	int rc;

	if (keep_token)
		token_hash(keep_token, hash);
	st = db_prepare(db, "DELETE FROM session WHERE account_id = ? AND token_hash <> ?");
	db_bind_int(st, 1, account_id);
	db_bind_text(st, 2, hash);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}
