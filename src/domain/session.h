/* session.h: login sessions: random tokens stored hashed, idle and absolute timeouts */
#ifndef DOMAIN_SESSION_H
#define DOMAIN_SESSION_H

#include <stdint.h>

#include "base/crypto.h"
#include "db/db.h"
#include "domain/audit.h"

struct session_limits {
	int64_t idle; /* seconds without a request */
	int64_t max; /* seconds since login */
};

/*
 * Starts a session for account_id after a successful login: token gets a new
 * 256-bit token (only its hash is stored), expired sessions of the account
 * are swept, and the login is audited, all in one transaction.
 */
int session_create(struct db *db, const struct actor *who, int64_t account_id, const struct session_limits *lim,
		   char token[CRYPTO_TOKEN_HEX]);
/*
 * Finds the live session of token, only reading: 0 and *account_id set; 1
 * when there is none or it has expired; -1 on error. *stale tells that its
 * last-seen time is older than idle/4 (at most a minute): the caller then
 * calls session_touch once its read is over, so reads stay reads.
 */
int session_lookup(struct db *db, const char *token, const struct session_limits *lim, int64_t *account_id,
		   int *stale);
/* Writes now as the session's last-seen time (a commit without an fsync: see db_lazy). */
int session_touch(struct db *db, const char *token);
/* Ends the session of token (audited as session.logout). */
int session_end(struct db *db, const struct actor *who, const char *token);
/* Ends every session of account_id except the one of keep_token (NULL: all). */
int session_end_others(struct db *db, int64_t account_id, const char *keep_token);

#endif
