/* account.h: accounts, their passwords and role grants (logins: login.h) */
#ifndef DOMAIN_ACCOUNT_H
#define DOMAIN_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 128

/* The longest login name and display name, in characters. */
#define ACCOUNT_LOGIN_MAX 64
#define ACCOUNT_NAME_MAX 64

struct account {
	int64_t id;
	char login[TEXT_BYTES(ACCOUNT_LOGIN_MAX)];
	char name[TEXT_BYTES(ACCOUNT_NAME_MAX)];
	char phone[24];
};

enum account_rc { ACCOUNT_OK = 0, ACCOUNT_ERROR = -1, ACCOUNT_DUPLICATE = -2, ACCOUNT_NOT_FOUND = -3 };

/* Creates an account (phone may be NULL or ""); *id is set. Audited as account.create. */
int account_create(struct db *db, const struct actor *who, const char *login, const char *name,
		   const char *phone, const char *password, int64_t *id);
/* Finds by id, or by login name or phone. */
int account_get(struct db *db, int64_t id, struct account *out);
/* Whether account id is a confirmed resident of community code: 1 yes, 0 no, -1 error. */
int account_lives_in(struct db *db, int64_t id, const char *code);
int account_find(struct db *db, const char *login_or_phone, struct account *out);
/*
 * Sets a password of the account's own choosing (a one-time code is done
 * with) and ends its other sessions (every one when keep_token is NULL), in
 * one transaction audited as account.password. Checking the old password:
 * login_check_password.
 */
int account_set_password(struct db *db, const struct actor *who, int64_t id, const char *password,
			 const char *keep_token);

/* Grants a role (region_code for org/staff/member/resident, unit_id for unit); audited. */
int account_grant(struct db *db, const struct actor *who, int64_t id, enum role role, const char *region_code,
		  int64_t unit_id);
/* Removes matching grants; returns how many, or -1. */
int account_revoke(struct db *db, const struct actor *who, int64_t id, enum role role, const char *region_code,
		   int64_t unit_id);
/* Loads the account's grants with their region paths (from the memo while the database is unchanged). */
int account_principal(struct db *db, int64_t id, struct principal *out);

/* Calls fn for every account with its roles as text ("staff@440111002011 unit#3"). */
int account_each(struct db *db, void (*fn)(const struct account *a, const char *roles, void *arg), void *arg);

#endif
