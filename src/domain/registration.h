/* registration.h: report-ins (报到): submit, approve or reject, transfer, leave, and the timeline */
#ifndef DOMAIN_REGISTRATION_H
#define DOMAIN_REGISTRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/account.h"
#include "domain/member.h"

enum reg_channel { CHANNEL_SELF, CHANNEL_UNIT, CHANNEL_STAFF };

enum reg_rc {
	REG_OK = 0,
	REG_ERROR = -1,
	REG_NOT_FOUND = -2,
	REG_PENDING_EXISTS = -3, /* the member already has a report-in waiting */
	REG_ALREADY_HERE = -4, /* the member is reported in to that community already */
	REG_BAD_STATE = -5, /* the transition is not allowed from the current state */
	REG_NOT_ACTIVE = -6, /* leaving needs an approved report-in */
	REG_INVALID = -7, /* the form has faults: they are in the caller's field_errors */
	REG_DUPLICATE = -8, /* the ID number has a file already (of someone the caller typed in) */
	REG_TAKEN = -9, /* the ID number's file is linked to another account, or filed under another name */
	REG_MISMATCH = -10, /* the form names another person than the member's own file */
};

/* A reason given for a refusal or a leave, in characters. */
#define REG_REASON_MAX 200

struct registration {
	int64_t id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char member_phone[TEXT_BYTES(MEMBER_PHONE_MAX)];
	char id_masked[24];
	char unit_name[TEXT_BYTES(UNIT_NAME_MAX)];
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char state[16];
	char channel[8];
	char from_community_name[REGION_TEXT]; /* for a transfer, where the member comes from */
	char reason[TEXT_BYTES(REG_REASON_MAX)];
	int64_t created_at, decided_at;
};

struct reg_event {
	int64_t id, registration_id, at, account_id;
	char account_name[TEXT_BYTES(ACCOUNT_NAME_MAX)];
	char event[24];
	char community_code[24];
	char community_name[REGION_TEXT];
	char note[TEXT_BYTES(REG_REASON_MAX)]; /* the reason, or the community a transfer went to */
};

const char *reg_channel_name(enum reg_channel c);

/*
 * Files a report-in of member_id to community (inside the caller's
 * transaction). A member reported in elsewhere makes it a transfer. A staff
 * channel entry is approved at once by who (the community typed the form).
 */
int registration_submit(struct db *db, const struct actor *who, int64_t member_id, const char *community,
			enum reg_channel channel, int64_t *id);
/* pending → approved (and the old community's report-in → transferred) or → rejected with reason. Own transaction. */
int registration_decide(struct db *db, const struct actor *who, int64_t id, bool approve, const char *reason);
/* pending → withdrawn, by the member. */
int registration_withdraw(struct db *db, const struct actor *who, int64_t id);
/* approved → left, with reason. */
int registration_leave(struct db *db, const struct actor *who, int64_t member_id, const char *reason);

int registration_get(struct db *db, int64_t id, struct registration *out);
/* The member's report-in that is pending or approved, newest first; REG_NOT_FOUND if none. */
int registration_current(struct db *db, int64_t member_id, struct registration *out);
/* Of registration_current, only the state and the community (what a record's confirming community needs). */
int registration_current_community(struct db *db, int64_t member_id, char state[16], char community_code[24]);

struct reg_filter {
	const char *state;
	const char *community;
	int64_t page, per_page;
};
/* Report-ins whose community lies in scope, or of the scope's units' members (the queue: state=pending). */
int registration_list(struct db *db, const struct scope *scope, const struct reg_filter *f,
		      struct registration **items, size_t *n, int64_t *total);
/* Every event of the member's report-ins, oldest first. *items: caller frees. */
int registration_timeline(struct db *db, int64_t member_id, struct reg_event **items, size_t *n);

#endif
