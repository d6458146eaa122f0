/* rule.h: point rules (积分规则): versions by region and date; pricing, caps, tiers 合格/优秀/先锋, stars */
#ifndef DOMAIN_RULE_H
#define DOMAIN_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

/* The largest number any rule field takes; the longest note, in characters; versions a list shows. */
enum { RULE_VALUE_MAX = 10000, RULE_NOTE_MAX = 200, RULE_LIST_MAX = 200 };
/* Going quiet: after two weeks at the soonest, two years at the latest; 90 days unless a rule says otherwise. */
enum { RULE_QUIET_MIN = 14, RULE_QUIET_MAX = 730, RULE_QUIET_DEFAULT = 90 };

/* The four categories in catalogue order (公益 岗位 活动 事务): per_service[i], per_hour[i]. */
enum { RULE_CATEGORIES = 4 };

enum tier { TIER_NONE, TIER_QUALIFIED, TIER_EXCELLENT, TIER_PIONEER };
extern const char *const tier_names[]; /* "", "qualified", "excellent", "pioneer", NULL */
extern const char *const tier_labels[]; /* "未达标", "合格", "优秀", "先锋" */

enum star_mode { STARS_THRESHOLDS, STARS_SHARES };

/* What a version says. */
struct rule_terms {
	int64_t per_service[RULE_CATEGORIES], per_hour[RULE_CATEGORIES];
	int64_t cap_record, cap_day; /* 0: none */
	int64_t bonus_wish, bonus_post, bonus_lead;
	int64_t tier_points[3], tier_services[3]; /* 合格, 优秀, 先锋 */
	int64_t year_min_services;
	enum star_mode star_mode;
	int64_t stars[5]; /* 1..5 stars: the least points, or the percent of the ranking given that many */
	int64_t quiet_days; /* no confirmed service for this many days: gone quiet (RULE_QUIET_MIN..RULE_QUIET_MAX) */
};

struct rule {
	int64_t id;
	char region_code[24]; /* "" for the default */
	char region_name[TEXT_BYTES(64)];
	char effective_on[11];
	struct rule_terms t;
	char note[TEXT_BYTES(RULE_NOTE_MAX)];
	int64_t created_by, created_at;
};

enum rule_rc {
	RULE_OK = 0,
	RULE_ERROR = -1,
	RULE_NOT_FOUND = -2,
	RULE_INVALID = -3, /* faults in the caller's field_errors */
};

/* The index of a catalogue category ("welfare" …) in per_service and per_hour; -1 for none. */
int rule_category(const char *category);
/*
 * What a service of minutes earns under t before the caps: per_service plus
 * minutes × per_hour / 60 rounded down; 0 for no minutes.
 */
int64_t rule_price(const struct rule_terms *t, int category, int64_t minutes);
/* points after the caps, when the member has day_so_far points from other services that day. */
int64_t rule_capped(const struct rule_terms *t, int64_t points, int64_t day_so_far);
/* The half-year tier of points and services. */
enum tier rule_tier(const struct rule_terms *t, int64_t points, int64_t services);
/*
 * Stars of a year: by thresholds on points, or by the share of the ranking
 * above the member (rank is 1 + the number with more points, so ties share
 * it; of n ranked). 0 when none.
 */
int rule_stars(const struct rule_terms *t, int64_t points, int64_t rank, int64_t n);
/*
 * What a member lacks for the next tier above the one they hold: *points and
 * *services (0 when met); TIER_NONE when they hold the highest.
 */
enum tier rule_next_tier(const struct rule_terms *t, int64_t points, int64_t services, int64_t *need_points,
			 int64_t *need_services);

/* Checks terms: values within bounds, tiers and thresholds rising, shares summing to 100. */
int rule_check(const struct rule_terms *t, struct field_errors *errs);

/*
 * The version in force on day (YYYY-MM-DD) at the nearest region on path
 * ("/city/district/…/") that has one, else the default.
 */
int rule_for(struct db *db, const char *path, const char *day, struct rule *out);
int rule_get(struct db *db, int64_t id, struct rule *out);

/*
 * rule_for's answers kept for one domain call that prices many records (a bulk
 * confirmation): the rule in force at (path, day) looked up once. Only within
 * one transaction, no rule version being added meanwhile. Zeroed to start;
 * rule_cache_release frees it.
 */
enum { RULE_CACHE_MAX = 64 };
struct rule_cache {
	size_t n, cap;
	struct rule_cached *items; /* grown as used, up to RULE_CACHE_MAX */
};
/* rule_for through the cache (NULL: straight rule_for). */
int rule_for_cached(struct db *db, struct rule_cache *c, const char *path, const char *day, struct rule *out);
void rule_cache_release(struct rule_cache *c);
/* The versions of region_code ("" the default), newest effective first, at most RULE_LIST_MAX. *items: caller frees. */
int rule_list(struct db *db, const char *region_code, struct rule **items, size_t *n);

/*
 * Adds a version for region (NULL: the default) in force from effective_on,
 * which must be after today (a change never re-prices what was served),
 * inside the caller's transaction; audited (rule.create). Standings are
 * re-tiered by the caller (earning_rule_add).
 */
int rule_insert(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
		const char *effective_on, const struct rule_terms *t, const char *note, struct field_errors *errs,
		int64_t *id);

#endif
