/* wish.h: micro-wishes (微心愿): the steps a wish goes through, and the beneficiary's name as the public wall shows it */
#ifndef DOMAIN_WISH_H
#define DOMAIN_WISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"

/* The longest texts of a wish, in characters; its value cap in yuan; the days a claim is held. */
enum { WISH_NAME_MAX = 20, WISH_TITLE_MAX = 50, WISH_TEXT_MAX = 300, WISH_VALUE_MAX = 10000, WISH_CLAIM_DAYS = 3,
       WISH_MINUTES_MAX = 1440 };

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
	       WISH_OVER_CAP = -5 /* the value spent is over the wish's cap */ };

/* A new wish, as staff enter it; strings borrowed. Checked by the caller (the API's spec). */
struct wish_input {
	const char *community_code, *community_path;
	const char *beneficiary_name, *title, *description;
	int64_t value_cap; /* yuan, 0 none */
	const char *state; /* "submitted" or "published" (entered approved and published at once) */
	int64_t publish_until;
};
/* Inserts the wish with its submit event (and publish event) and audit wish.create, in one transaction. */
int wish_create(struct db *db, const struct actor *who, const struct wish_input *in, int64_t *id);

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

#endif
