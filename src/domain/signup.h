/* signup.h: members and residents open their own accounts on the phone; the sign-up codes of posters */
#ifndef DOMAIN_SIGNUP_H
#define DOMAIN_SIGNUP_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/region.h"
#include "domain/unit.h"

#define SIGNUP_CODE_LEN 8 /* letters and digits people cannot confuse, printed under the QR code */
#define SIGNUP_CODE_BUF (SIGNUP_CODE_LEN + 1)
#define SIGNUP_PER_ADDRESS 30 /* sign-ups an hour from one address (a community office shares one) */
#define SIGNUP_PER_PHONE 5 /* … and for one phone number */

enum signup_rc {
	SIGNUP_OK = 0,
	SIGNUP_ERROR = -1,
	SIGNUP_NOT_FOUND = -2, /* no live code, no such community or unit */
	SIGNUP_THROTTLED = -3, /* too many from this address or for this phone: try again later */
};

/* Where a sign-up code sends people: a community, or a unit (its members still say where they live). */
struct signup_place {
	char code[SIGNUP_CODE_BUF];
	struct region community; /* code "" for a unit's code */
	int64_t unit_id;
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
};

/* The live code of a community (region_code) or of a unit (unit_id), made now if it has none. */
int signup_code_for(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id,
		    struct signup_place *out);
/* Revokes the live code of that place (a poster went astray) and makes a new one (audited). */
int signup_code_renew(struct db *db, const struct actor *who, const char *region_code, int64_t unit_id,
		      struct signup_place *out);
/* What a live code names; SIGNUP_NOT_FOUND for a revoked or made-up one. */
int signup_code_get(struct db *db, const char *code, struct signup_place *out);

struct signup_input {
	bool resident; /* a resident (confirmed by staff), or a member (who may report in at once) */
	const char *phone; /* checked: a mainland mobile number; it is the login */
	const char *name;
	const char *password; /* checked: PASSWORD_MIN..PASSWORD_MAX characters */
	const char *community_code; /* checked: a community */
	const char *client; /* the address it came from, for the per-address limit */
};

/*
 * A self sign-up, in one transaction. The phone number becomes the login: a
 * member account may report in at once (until the community approves the
 * report-in it may do nothing else a member does), a resident's waits for the
 * community's staff (a pending grant, see account_confirm). When the phone is
 * already some account's, nothing is made, and the answer is the same
 * SIGNUP_OK after the same work (the password is hashed either way): the
 * caller learns nothing about who has an account; the attempt is audited as a
 * duplicate. SIGNUP_THROTTLED with *retry_after past the hourly limits.
 */
int signup_submit(struct db *db, const struct actor *who, const struct signup_input *in, int64_t *retry_after);

#endif
