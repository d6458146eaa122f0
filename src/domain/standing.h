/* standing.h: standings: a member's points, hours and services per half-year and year, tiers, ranks and rankings */
#ifndef DOMAIN_STANDING_H
#define DOMAIN_STANDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/rule.h"

/* The most rows a ranking page gives. */
enum { STANDING_PAGE_MAX = 100 };

enum standing_rc { STANDING_OK = 0, STANDING_ERROR = -1, STANDING_NOT_FOUND = -2 };

/* A period: "2026H1" (January–June), "2026H2", or a year "2026". */
#define PERIOD_LEN 8
/* The half-year and the year of day (YYYY-MM-DD). */
void period_of(const char *day, char half[PERIOD_LEN], char year[PERIOD_LEN]);
/* Whether s is a period; its first and last day. */
bool period_valid(const char *s);
void period_bounds(const char *period, char first[11], char last[11]);

/*
 * Moves member's standings of the half-year and year of day by points,
 * minutes and services, earned in community (its path), and sets the
 * half-year's tier under the rule in force on its last day. Inside the
 * caller's transaction.
 */
int standing_add(struct db *db, int64_t member_id, const char *community_path, const char *day, int64_t points,
		 int64_t minutes, int64_t services);
/*
 * One domain call that moves many standings (a bulk confirmation, a wish's
 * record and bonus): the rules of the tiers looked up once (rule_cache); the
 * moves of each member's standing of a period summed in memory and written
 * once by standing_batch_flush (the place where the last move was earned,
 * the tier of the totals), and the counts of members by tier
 * (standing_count) summed and written once after them: the same rows and
 * totals as one by one. Nothing in the call may read the standings it moves
 * before the flush. Zeroed to start.
 */
struct standing_delta;
struct standing_move;
struct standing_batch {
	struct rule_cache rules;
	size_t n, cap;
	struct standing_delta *deltas;
	size_t nmoves, capmoves;
	struct standing_move *moves;
};
/* standing_add within the batch b (NULL: standing_add); b's moves land at standing_batch_flush. */
int standing_add_in(struct db *db, struct standing_batch *b, int64_t member_id, const char *community_path,
		    const char *day, int64_t points, int64_t minutes, int64_t services);
/* Writes b's standings and counts and empties them; before the transaction commits. */
int standing_batch_flush(struct db *db, struct standing_batch *b);
void standing_batch_release(struct standing_batch *b);

/*
 * Sets again the tiers of period for every community under path (after a
 * rule version was added there). Inside the caller's transaction; *changed:
 * the standings whose tier moved.
 */
int standing_retier(struct db *db, const char *path, const char *period, int64_t *changed);

/* The levels a ranking is kept at. */
enum rank_level { RANK_COMMUNITY, RANK_STREET, RANK_DISTRICT, RANK_CITY };
extern const char *const rank_levels[]; /* "community", "street", "district", "city", NULL */

struct standing {
	char period[PERIOD_LEN];
	int64_t member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char unit_name[TEXT_BYTES(100)];
	char community_code[24], street_code[24], district_code[24], city_code[24];
	char community_name[REGION_TEXT];
	int64_t points, minutes, services;
	enum tier tier;
	int64_t rank; /* 1 + those with more points at the level asked (lists: at the list's level) */
};

/* member's standing in period: STANDING_NOT_FOUND when they earned nothing then. */
int standing_get(struct db *db, int64_t member_id, const char *period, struct standing *out);
/* Their rank at level, and how many are ranked there. */
int standing_rank(struct db *db, const struct standing *s, enum rank_level level, int64_t *rank, int64_t *of);

/* The level of a region that rankings are kept at (a community, street, district or city); -1 for none. */
int rank_level_of(const char *region_level);
/*
 * A page of the ranking of period at the region (code, of level), most points
 * first, after the row (after_points, after_member) (after_member 0: from the
 * top); each row's rank is computed. *items: caller frees.
 */
int standing_list(struct db *db, const char *period, enum rank_level level, const char *code, int64_t after_points,
		  int64_t after_member, size_t max, struct standing **items, size_t *n);
/* How many of period at the region hold each tier (by tier), and in all. */
int standing_tiers(struct db *db, const char *period, enum rank_level level, const char *code, int64_t by_tier[4],
		   int64_t *total);

#endif
