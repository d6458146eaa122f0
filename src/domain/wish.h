/* wish.h: micro-wishes (微心愿): the steps a wish goes through, and the beneficiary's name as the public wall shows it */
#ifndef DOMAIN_WISH_H
#define DOMAIN_WISH_H

#include <stddef.h>

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

#endif
