/* wish.h: micro-wishes (微心愿): the steps a wish goes through, and the beneficiary's name as the public wall shows it */
#ifndef DOMAIN_WISH_H
#define DOMAIN_WISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/region.h"

/* The longest texts of a wish, in characters; its value cap in yuan; the days a claim is held. */
enum { WISH_NAME_MAX = 20, WISH_TITLE_MAX = 50, WISH_TEXT_MAX = 300, WISH_VALUE_MAX = 10000, WISH_CLAIM_DAYS = 3,
       WISH_MINUTES_MAX = 1440, WISH_REASON_MAX = 200, WISH_BULK_MAX = 500 };
/* The catalogue item of a confirmed wish's record when the confirmer names none: 结对帮扶 (no extra fields). */
#define WISH_ITEM_DEFAULT "G09"

/* What may happen to a wish (wish_event.kind, in this order: wish_steps). */
enum wish_step {
	WISH_APPROVE, /* submitted → approved (staff) */
	WISH_REFUSE, /* submitted → refused (staff, a reason) */
	WISH_PUBLISH, /* approved or expired → published (staff) */
	WISH_EXPIRE, /* published → expired (its publish_until passed) */
	WISH_CLAIM, /* published → claimed (揽梦: one member, team or unit wins) */
	WISH_RELEASE, /* claimed → published (the claimer before the claim deadline, staff after it) */
	WISH_FULFIL, /* claimed → fulfilled (圆梦, by the claimer) */
	WISH_CONFIRM, /* fulfilled → closed (the beneficiary or staff) */
};
extern const char *const wish_steps[]; /* "approve", …, "confirm", NULL */

/* The state a wish in state goes to by step, or NULL when step is not allowed there. */
const char *wish_next(const char *state, enum wish_step step);

/* name as the public wall shows it: its first character and '*' (王小明 → 王*); "" for "". */
void wish_mask_name(const char *name, char *out, size_t size);

enum wish_rc { WISH_OK = 0, WISH_ERROR = -1, WISH_NOT_FOUND = -2, WISH_TAKEN = -3 /* claimed by another */,
	       WISH_BAD_STATE = -4 /* not claimed, or not the caller's to release now */,
	       WISH_OVER_CAP = -5 /* the value spent is over the wish's cap */,
	       WISH_INVALID = -6 /* the record or the bonus refused: faults in the caller's field_errors */,
	       WISH_OWN = -7 /* the confirmer is the member who fulfilled it */ };

/* A new wish, as staff enter it; strings borrowed. Checked by the caller (the API's spec). */
struct wish_input {
	const char *community_code, *community_path;
	const char *beneficiary_name, *title, *description;
	int64_t value_cap; /* yuan, 0 none */
	const char *state; /* "submitted" or "published" (entered approved and published at once) */
	int64_t publish_until;
	int64_t beneficiary_account_id; /* the resident's account (may confirm), 0 none */
};
/* Inserts the wish with its submit event (and publish event) and audit wish.create, in one transaction. */
int wish_create(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id);
/* The same inside the caller's transaction (a visit's wish: visit_list_wish), which it leaves open either way. */
int wish_insert(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id);

/* Who claims: a member for themselves (kind "member"), a team's leader, a unit's administrator. */
struct wish_claimer {
	const char *kind; /* "member", "team", "unit" */
	int64_t member_id, team_id, unit_id; /* 0 when not */
	const char *name; /* shown to whoever loses the race */
};
/*
 * Claims published wish id for c (checked by the caller to act for it), in
 * one transaction: a conditional UPDATE … WHERE state = 'published', so of
 * claims at the same moment exactly one wins; the claim is held
 * WISH_CLAIM_DAYS days. WISH_TAKEN when it is claimed already (taken_by: the
 * claimer's name, size bytes), WISH_NOT_FOUND when there is no such wish or
 * it is not published. Event claim and audit wish.claim.
 */
int wish_claim(struct db *db, const struct actor *who, int64_t id, const struct wish_claimer *c, char *taken_by,
	       size_t size);
/*
 * Releases claimed wish id (published again, the claim forgotten), in one
 * transaction: by its claimer (who's account) before the claim deadline, or,
 * by_staff, after it. WISH_NOT_FOUND when there is no such wish,
 * WISH_BAD_STATE when it is not claimed or not the caller's to release now.
 * Event release and audit wish.release.
 */
int wish_release(struct db *db, const struct actor *who, int64_t id, bool by_staff);
/*
 * The claimer (who's account) reports claimed wish id fulfilled (圆梦), in
 * one transaction: a note, the yuan spent (never over the cap:
 * WISH_OVER_CAP, nothing written) and the minutes spent (checked by the
 * caller: 1..WISH_MINUTES_MAX). WISH_BAD_STATE when it is not claimed or not
 * claimed by who. Event fulfil and audit wish.fulfil.
 */
int wish_fulfil(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t value_spent,
		int64_t minutes);

/*
 * Staff's steps, each in one transaction with its event and audit entry
 * (wish.approve, wish.refuse, wish.publish); WISH_NOT_FOUND when there is no
 * such wish, WISH_BAD_STATE when the step is not allowed in its state.
 * approve: submitted → approved. refuse: submitted → refused, with reason
 * (checked by the caller: 1..WISH_REASON_MAX characters; the event's note).
 * publish: approved or expired → published until publish_until (0: no end).
 */
int wish_approve(struct db *db, const struct actor *who, int64_t id);
int wish_refuse(struct db *db, const struct actor *who, int64_t id, const char *reason);
int wish_publish(struct db *db, const struct actor *who, int64_t id, int64_t publish_until);
/*
 * Approves and publishes (until publish_until, 0: no end) the submitted
 * wishes ids[0..n), all or nothing: WISH_BAD_STATE (nothing written) with
 * *failed the first that is not submitted, WISH_NOT_FOUND with *failed the
 * first that does not exist.
 */
int wish_approve_many(struct db *db, const struct actor *who, const int64_t *ids, size_t n, int64_t publish_until,
		      int64_t *failed);
/*
 * Confirms fulfilled wish id (fulfilled → closed), in one transaction: when a
 * member or a team's leader fulfilled it (claimer_member_id), their record
 * (source wish, origin_id the wish, its minutes, ending when it was
 * fulfilled, of catalogue item item_code offered at the community, NULL:
 * WISH_ITEM_DEFAULT) confirmed with record_confirm_in, and the wish bonus
 * given with bonus_give_in (none when the rule in force gives no points);
 * their ids kept in record_id and bonus_id. A unit gets neither. Who may
 * confirm (the beneficiary's account or staff) is checked by the caller;
 * WISH_OWN when who is the fulfilling member's account, WISH_INVALID with
 * errs when the record is refused (item_code, an overlapping service).
 * Event confirm and audit wish.confirm.
 */
int wish_confirm(struct db *db, const struct actor *who, int64_t id, const char *item_code, struct field_errors *errs);
/*
 * The sweep: each published wish whose publish_until is before now becomes
 * expired, with its event and audit entry wish.expire, in one transaction.
 * *n (may be NULL): how many.
 */
int wish_expire_due(struct db *db, const struct actor *who, int64_t now, size_t *n);

/* A wish as stored, with its community. */
struct wish {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char beneficiary_name[TEXT_BYTES(WISH_NAME_MAX)];
	int64_t beneficiary_account_id; /* 0 none */
	char title[TEXT_BYTES(WISH_TITLE_MAX)];
	char description[TEXT_BYTES(WISH_TEXT_MAX)];
	int64_t value_cap; /* 0 none */
	char state[12];
	char refuse_reason[TEXT_BYTES(WISH_REASON_MAX)];
	int64_t publish_until; /* 0 none */
	char claimer_kind[8]; /* "" none */
	int64_t claimer_member_id, claimer_team_id, claimer_unit_id, claimer_account_id;
	char claimer_name[TEXT_BYTES(100)];
	int64_t claimed_at, claim_until;
	char fulfil_note[TEXT_BYTES(WISH_TEXT_MAX)];
	int64_t value_spent, minutes, fulfilled_at; /* value_spent -1: none */
	int64_t confirmed_at, confirmed_by, record_id, bonus_id;
	int64_t created_by, created_at, updated_at;
	/* Entered from a spreadsheet (wish_import): "" when not given. */
	char beneficiary_phone[24];
	char item_code[TEXT_BYTES(CATALOG_CODE_MAX)]; /* the catalogue item its record is of, unless the confirmation names one */
	char due_on[11]; /* YYYY-MM-DD: wanted by */
	int64_t ask_photo_id; /* the first photo of what is wanted, 0 none */
};
int wish_get(struct db *db, int64_t id, struct wish *out);

/* Which wishes a list holds; NULL or 0 for any. */
struct wish_filter {
	const struct scope *scope; /* the staff's list: communities in scope */
	const char *community, *state;
	int64_t claimer_account_id, beneficiary_account_id; /* a member's, a resident's */
	int64_t claimer_unit_id; /* a unit's: claimed by it (with claimer_account_id: by either) */
	int64_t partner_unit_id; /* in communities the unit is partner of today (partner_today) */
	const char *partner_today;
};
/* One page of the wishes f selects, newest first (caller frees *items). */
int wish_list(struct db *db, const struct wish_filter *f, int64_t page, int64_t per_page, struct wish **items,
	      size_t *n, int64_t *total);

struct wish_event {
	int64_t id;
	char kind[12];
	char state[12];
	char note[TEXT_BYTES(WISH_REASON_MAX)];
	int64_t account_id;
	char by[TEXT_BYTES(64)]; /* the account's name, "" for none */
	int64_t created_at;
};
/* The wish's timeline, oldest first. *items: caller frees. */
int wish_events(struct db *db, int64_t id, struct wish_event **items, size_t *n);

#endif
