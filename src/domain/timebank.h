/* timebank.h: the time bank (时间银行): a member's earned hours given to a person's account, and what each holds */
#ifndef DOMAIN_TIMEBANK_H
#define DOMAIN_TIMEBANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/member.h"

/* The longest note in characters; the most gifts a page gives. */
enum { GIFT_NOTE_MAX = 100, GIFT_PAGE_MAX = 100 };

enum timebank_rc {
	TIMEBANK_OK = 0,
	TIMEBANK_ERROR = -1,
	TIMEBANK_NOT_FOUND = -2, /* no such member file */
	TIMEBANK_INVALID = -3, /* faults in the caller's field_errors */
};

/* What the giver says; strings borrowed. */
struct gift_input {
	const char *phone, *name; /* the recipient's: both must be an account's */
	int64_t minutes;
	const char *note;
};

/*
 * Member member_id gives in->minutes of their earned hours, in one
 * transaction: the recipient is the account of a resident or a member whose
 * phone and name are both in->phone and in->name ("phone" not_found in errs
 * otherwise, the same whether the phone is known or not), never the giver's
 * own ("phone" self); the minutes are 1 to the giver's balance ("minutes"),
 * so no balance goes below zero. The minutes move from the member's hours to
 * the recipient's person account (a gift movement: it moves no standing).
 * Audited. *id: the gift.
 */
int timebank_give(struct db *db, const struct actor *who, int64_t member_id, const struct gift_input *in,
		  struct field_errors *errs, int64_t *id);

/* What an account holds: its member file's earned hours (when it has a file) and the hours it was given. */
struct timebank_balances {
	int64_t member_id; /* 0: no member file */
	int64_t minutes, received_minutes;
};
int timebank_balances(struct db *db, int64_t account_id, struct timebank_balances *out);

struct gift {
	int64_t id, minutes, movement_id, created_at;
	bool given; /* by the account's member (else received by the account) */
	char from_name[TEXT_BYTES(MEMBER_NAME_MAX)]; /* the giving member's */
	char to_name[TEXT_BYTES(MEMBER_NAME_MAX)]; /* the receiving account's */
	char to_phone[16]; /* masked: 138****0006 */
	char note[TEXT_BYTES(GIFT_NOTE_MAX)];
};
/*
 * The gifts account_id's member gave (member_id, 0: none) and the account
 * received, newest first, ids below before (0: from the newest), at most max.
 * *items: caller frees.
 */
int timebank_gifts(struct db *db, int64_t account_id, int64_t member_id, int64_t before, size_t max,
		   struct gift **items, size_t *n);

#endif
