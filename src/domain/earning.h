/* earning.h: what confirmed service earns: movements priced by the rule, standings moved with them, a member's summary */
#ifndef DOMAIN_EARNING_H
#define DOMAIN_EARNING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/ledger.h"
#include "domain/rule.h"
#include "domain/standing.h"

enum earning_rc { EARNING_OK = 0, EARNING_ERROR = -1, EARNING_NOT_FOUND = -2, EARNING_INVALID = -3 };

/*
 * Record id has just been confirmed: inside the caller's transaction, its
 * points (priced by the rule in force on its day at its community, within
 * the caps) and its minutes move from the community to the member, and the
 * member's standings with them. A correction moves the difference between
 * what the corrected service earns now and what it had earned, naming the
 * movement it corrects; a service corrected to no minutes stops counting.
 */
int earning_credit(struct db *db, const struct actor *who, int64_t record_id);

/*
 * Many records credited in one transaction (a bulk confirmation; a wish's
 * record and its bonus, bonus_give_in): the rules
 * looked up once per (community, day), the communities' issue accounts once,
 * the counts of tiers written once at earning_batch_flush; the movements,
 * balances and standings are those of crediting them one by one. Zeroed to
 * start; flushed before the commit; released after.
 */
enum { EARNING_ISSUERS_MAX = 32 };
struct earning_issuer {
	enum book book;
	char community[24];
	int64_t account_id;
};
struct earning_batch {
	struct standing_batch standing;
	size_t nissuers;
	struct earning_issuer issuers[EARNING_ISSUERS_MAX];
	int64_t member_id, member_accounts[2]; /* the last member's account of each book; 0: not looked up */
};
/*
 * owner's account of book (ledger_account: made on first use), within b
 * (NULL: looked up): a community's issue account and the last member's
 * looked up once in the call.
 */
int earning_account(struct db *db, struct earning_batch *b, enum book book, const struct ledger_owner *owner,
		    int64_t *id);
/* earning_credit within b (NULL: earning_credit). */
int earning_credit_in(struct db *db, const struct actor *who, int64_t record_id, struct earning_batch *b);
int earning_batch_flush(struct db *db, struct earning_batch *b);
void earning_batch_release(struct earning_batch *b);

/*
 * Adds a rule version (rule_insert) and re-tiers the half-year it takes
 * effect in, under the region, in one transaction. *changed: standings
 * whose tier moved.
 */
int earning_rule_add(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
		     const char *effective_on, const struct rule_terms *t, const char *note,
		     struct field_errors *errs, int64_t *id, int64_t *changed);

/* What adding the version would do to its half-year's tiers under the region: counts before and after. */
struct rule_preview {
	char period[PERIOD_LEN];
	int64_t before[4], after[4], total, changed;
};
/* Adds it, counts and rolls back: exactly what earning_rule_add would do, and nothing written. */
int earning_rule_preview(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
			 const char *effective_on, const struct rule_terms *t, struct field_errors *errs,
			 struct rule_preview *out);

/* A member's earnings as a member page shows them, as of today. */
struct earning_summary {
	int64_t points_balance, minutes_balance;
	struct standing half, year; /* half.points == 0 and no rank when nothing earned there yet */
	bool has_half, has_year;
	int64_t rank[3], of[3]; /* the half-year's rank in community, street, district */
	enum tier next_tier; /* TIER_NONE when the highest is held */
	int64_t need_points, need_services;
	int64_t year_rank, year_of; /* in the district */
	int stars;
	int64_t year_min_services;
	struct rule rule; /* in force today where the member serves */
};
int earning_summary(struct db *db, int64_t member_id, const char *community_path, struct earning_summary *out);

#endif
