/* bonus.h: bonuses (奖励分) a community gives a member under the rule in force: a micro-wish fulfilled, a post held a half-year, an activity led */
#ifndef DOMAIN_BONUS_H
#define DOMAIN_BONUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/region.h"
#include "domain/standing.h"

/* The longest reason, in characters (it is the movement's note too); the most bonuses a list gives. */
enum { BONUS_REASON_MAX = 200, BONUS_LIST_MAX = 200 };

/* In the order of rule_terms' bonus_wish, bonus_post, bonus_lead. */
enum bonus_kind { BONUS_WISH, BONUS_POST, BONUS_LEAD };
extern const char *const bonus_kinds[]; /* "wish", "post", "lead", NULL */

enum bonus_rc {
	BONUS_OK = 0,
	BONUS_ERROR = -1,
	BONUS_NOT_FOUND = -2, /* no such file */
	BONUS_INVALID = -3, /* the ref does not bear the bonus: faults in the caller's field_errors */
	BONUS_DUPLICATE = -4, /* given already for that kind and ref (for a post: in this half-year) */
	BONUS_NOT_SERVING = -5, /* the member has no approved report-in */
	BONUS_NO_POINTS = -6, /* the rule in force gives nothing for the kind */
	BONUS_OWN = -7, /* the giver's account is the member's own */
};

struct bonus {
	int64_t id, member_id;
	char kind[8];
	int64_t ref_id; /* 0: none */
	char ref_name[TEXT_BYTES(60)]; /* the activity's title or the post's name, "" for none */
	char period[PERIOD_LEN];
	char community_code[24];
	char community_name[REGION_TEXT];
	int64_t points, rule_id, movement_id;
	char rule_effective_on[11];
	char reason[TEXT_BYTES(BONUS_REASON_MAX)];
	int64_t created_by;
	char created_by_name[TEXT_BYTES(64)];
	int64_t created_at;
};

/*
 * Gives member_id the bonus of kind for ref_id (0: none; required for a post
 * and an activity) with reason, at the member's community, in one
 * transaction: the points of the rule in force there today move from the
 * community's issue account to the member's (a MOVE_BONUS movement naming
 * the rule), the member's standings of today's half-year and year rise by
 * them (services unchanged), the bonus is kept and audited (bonus.give). A
 * lead asks that the member organised the activity (its creator) or leads
 * the team that did, in their community, and that it is over; a post that
 * they hold it in their community since before the half-year began. Faults
 * of ref in errs (BONUS_INVALID). *id: the bonus.
 */
int bonus_give(struct db *db, const struct actor *who, int64_t member_id, enum bonus_kind kind, int64_t ref_id,
	       const char *reason, struct field_errors *errs, int64_t *id);
/*
 * What bonus_give checks and writes, inside the caller's transaction (a
 * micro-wish confirmed gives its BONUS_WISH in the same transaction as its
 * record), within the caller's earning batch b (NULL: none; else the caller
 * flushes it before the commit): on any outcome but BONUS_OK the caller
 * rolls back.
 */
struct earning_batch;
int bonus_give_in(struct db *db, const struct actor *who, struct earning_batch *b, int64_t member_id,
		  enum bonus_kind kind, int64_t ref_id, const char *reason, struct field_errors *errs, int64_t *id);

int bonus_get(struct db *db, int64_t id, struct bonus *out);
/* The member's bonuses, newest first, at most BONUS_LIST_MAX. *items: caller frees. */
int bonus_list(struct db *db, int64_t member_id, struct bonus **items, size_t *n);

#endif
