/* account_admin.h: accounts made and kept by others: from a member file, by staff, units and administrators; one-time codes */
#ifndef DOMAIN_ACCOUNT_ADMIN_H
#define DOMAIN_ACCOUNT_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"
#include "domain/unit.h"

/*
 * A one-time code is the first password of an account someone else opened or
 * reset: 12 digits (easy to type on a phone, grouped in fours on paper), valid
 * ACCOUNT_CODE_DAYS days, to be replaced at the first login (until then the
 * account may do nothing else). Only its Argon2id hash is kept.
 */
#define ACCOUNT_CODE_DIGITS 12
#define ACCOUNT_CODE_DAYS 14
#define ACCOUNT_CODE_BUF (ACCOUNT_CODE_DIGITS + 1)

enum account_admin_rc {
	ADMIN_OK = 0,
	ADMIN_ERROR = -1,
	ADMIN_NOT_FOUND = -2,
	ADMIN_HAS_ACCOUNT = -3, /* the member file is linked to an account already */
	ADMIN_PHONE_TAKEN = -4, /* another account logs in with that phone (or login name) */
	ADMIN_NO_PHONE = -5, /* the file has no mobile number to log in with */
	ADMIN_NOT_PENDING = -6, /* nothing waits for a confirmation there */
	ADMIN_SELF = -7, /* one's own account: change the password instead */
};

/* Where an account belongs, for deciding who may keep it (account_may_manage). */
struct account_place {
	int64_t id;
	size_t ngrants;
	struct grant grants[GRANTS_MAX]; /* every grant, pending ones too */
	char unit_paths[GRANTS_MAX][PATH_MAX_LEN]; /* for grant i of role unit: where its unit is placed */
	int64_t member_id; /* the member file linked to it, 0 if none */
	char member_paths[2][PATH_MAX_LEN]; /* the communities of that file's pending or approved report-ins */
	size_t nmember_paths;
	int64_t member_unit; /* that file's unit */
};

int account_place_get(struct db *db, int64_t id, struct account_place *out);

/*
 * Whether p may open, reset, disable or confirm the account placed so: a
 * member's by the staff of the community of its grant or file, or by the
 * unit of its file; a resident's by its community's staff; a staff member's
 * by an org over its community; a unit administrator's by an org over the
 * unit; an org's or administrator's by an administrator only. Every role the
 * account holds must be in p's reach (a member who is also staff is kept by
 * whoever may keep the staff account). Never one's own account.
 */
bool account_may_manage(const struct principal *p, const struct account_place *a);
/* Whether p may open an account with role at region (or for unit u, placed at unit_path). */
bool account_may_open(const struct principal *p, enum role role, const char *region_path, int64_t unit,
		      const char *unit_path);

/* A fresh one-time code (ACCOUNT_CODE_DIGITS digits). */
void account_code(char out[ACCOUNT_CODE_BUF]);

/*
 * Opens the account of member file member_id in one transaction: login and
 * phone the file's mobile number, the file's name, a member grant at its
 * community, the file linked, a one-time code (audited account.create).
 */
int account_open_for_member(struct db *db, const struct actor *who, int64_t member_id, char code[ACCOUNT_CODE_BUF],
			    int64_t *account_id);

struct account_new {
	const char *login;
	const char *name;
	const char *phone; /* "" or NULL: none */
	enum role role;
	const char *region_code; /* org, staff, member, resident */
	int64_t unit_id; /* unit */
};
/* Opens an account with one grant and a one-time code, in one transaction (audited account.create). */
int account_open(struct db *db, const struct actor *who, const struct account_new *in, char code[ACCOUNT_CODE_BUF],
		 int64_t *account_id);

/* A new one-time code for account id: the old password stops working, its sessions end (account.reset). */
int account_reset(struct db *db, const struct actor *who, int64_t id, char code[ACCOUNT_CODE_BUF]);
/* Disables (its sessions end) or enables account id (account.disable, account.enable). */
int account_set_disabled(struct db *db, const struct actor *who, int64_t id, bool disabled);
/*
 * Decides on account id's grants waiting at region_code (a resident who signed
 * up): confirmed, they give their rights; refused, they are removed (account.confirm, account.refuse).
 */
int account_confirm(struct db *db, const struct actor *who, int64_t id, const char *region_code, bool confirm);

/* One account as the console lists it. */
struct account_row {
	int64_t id;
	char login[TEXT_BYTES(ACCOUNT_LOGIN_MAX)];
	char name[TEXT_BYTES(ACCOUNT_NAME_MAX)];
	char phone[24];
	bool disabled;
	bool must_change_password;
	int64_t password_expires_at, created_at;
	int64_t member_id; /* its member file, 0 if none */
	enum role role; /* the grant that placed it in the list */
	char region_code[24];
	char region_name[REGION_TEXT];
	int64_t unit_id;
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	bool pending;
};

struct account_filter {
	enum role role; /* whose accounts: members, residents, staff, orgs, units, admins */
	const char *q; /* the start of a login, a name or a phone */
	int pending; /* -1 either, 1 only grants waiting for confirmation, 0 only confirmed ones */
	int64_t page, per_page;
};

/*
 * One page of the accounts of f->role that p may keep (see
 * account_may_manage), by name. *items: caller frees.
 */
int account_list(struct db *db, const struct principal *p, const struct account_filter *f, struct account_row **items,
		 size_t *n, int64_t *total);

#endif
