/* login.h: password logins and password checks, throttled per (name, source), with known devices and audit */
#ifndef DOMAIN_LOGIN_H
#define DOMAIN_LOGIN_H

#include <stdint.h>

#include "db/db.h"
#include "domain/account.h"
#include "domain/audit.h"

#define LOGIN_DEVICE_MAX 192 /* a known-device cookie value, with its NUL */
#define LOGIN_DEVICE_AGE (180 * 86400) /* seconds a known-device cookie is honoured */

enum login_rc { LOGIN_OK, LOGIN_BAD, LOGIN_LOCKED, LOGIN_EXPIRED, LOGIN_ERROR };

struct login_request {
	const char *login; /* login name or phone, exactly as it is to be matched */
	const char *password;
	const char *device; /* the known-device cookie the client sent, or NULL */
	int64_t cap; /* longest wait in seconds */
};

/*
 * Checks a login. The wait before another try grows per (login name, source):
 * THROTTLE_FREE failures are free, then every failure doubles the wait up to
 * req->cap; the source is the client's address, or its known device when
 * req->device is a valid known-device cookie of this very account. Untrusted
 * sources also meet a per-name ceiling and a per-address count (throttle.h).
 * A name that names no account (or a disabled one) is treated exactly like a
 * wrong password: same work, same answer, same audit (without the name).
 *
 * LOGIN_OK: *out is the account and device a fresh known-device cookie value.
 * LOGIN_BAD: wrong name or password (audited as failed). LOGIN_LOCKED: wait
 * *retry_after seconds (audited as throttled); the password was not checked.
 * LOGIN_EXPIRED: the password was a one-time code and its days are over
 * (audited as expired): someone must issue a new one.
 */
enum login_rc login_password(struct db *db, const struct actor *who, const struct login_request *req,
			     struct account *out, char device[LOGIN_DEVICE_MAX], int64_t *retry_after);

/*
 * Checks the current password of account_id for a password change, throttled
 * per (account, address) like a login and audited as account.password when
 * wrong (failed) or refused (throttled).
 */
enum login_rc login_check_password(struct db *db, const struct actor *who, int64_t account_id, const char *password,
				   int64_t cap, int64_t *retry_after);

#endif
