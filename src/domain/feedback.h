/* feedback.h: feedback to units (在职党员回社区表现反馈表): each member's period from the standings, the community's comments, units ranked by participation */
#ifndef DOMAIN_FEEDBACK_H
#define DOMAIN_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/rule.h"
#include "domain/standing.h"
#include "domain/unit.h"

/* The longest comment, in characters; the most units a ranking page gives. */
enum { FEEDBACK_COMMENT_MAX = 200, FEEDBACK_UNITS_PAGE_MAX = 100 };

enum feedback_rc {
	FEEDBACK_OK = 0,
	FEEDBACK_ERROR = -1,
	FEEDBACK_NOT_FOUND = -2,
	FEEDBACK_NOT_HERE = -3, /* the member reports in to no community: there is no one to comment */
};

/* One member of a unit in a period, as the unit reads it. */
struct feedback_row {
	int64_t member_id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char state[16]; /* the file's report-in state, "" when none */
	char community_code[24]; /* where the member reports in, "" when nowhere */
	char community_name[REGION_TEXT];
	int64_t services, minutes, points; /* from the standing; 0 when nothing was earned */
	enum tier tier;
	int64_t min_services; /* what the rule asks: year_min_services for a year, qualified_services for a half-year */
	bool below; /* fewer services than min_services */
	char comment[TEXT_BYTES(FEEDBACK_COMMENT_MAX)]; /* the community's, "" when none */
	char comment_by[TEXT_BYTES(64)]; /* who wrote it last (the account's name) */
	char comment_community[REGION_TEXT]; /* the community that wrote it */
	int64_t comment_at;
};

/*
 * Every file of unit_id whose community lies in scope (or all of them, when
 * the scope holds the unit) with its standing and comment of period, by name
 * and id: one query along the member_unit index, each file's standing and
 * comment by their keys, never the ledger. each(row, arg) is called per row;
 * it returns 0 to go on, or -1 to stop, which is then returned.
 */
int feedback_unit(struct db *db, int64_t unit_id, const char *period, const struct scope *scope,
		  int (*each)(const struct feedback_row *row, void *arg), void *arg);

/*
 * Sets the comment on member_id for period, in one transaction with its
 * audit entry (feedback.comment, the text as detail): replaces any before it;
 * "" removes it. Written for the member's community (FEEDBACK_NOT_HERE when
 * it has none). FEEDBACK_NOT_FOUND when there is no such file.
 */
int feedback_comment_set(struct db *db, const struct actor *who, int64_t member_id, const char *period,
			 const char *comment);

/* A unit in a region's ranking by participation. */
struct feedback_unit_rank {
	int64_t unit_id;
	char name[TEXT_BYTES(UNIT_NAME_MAX)];
	char type[16];
	char region_name[REGION_TEXT];
	int64_t files; /* its members' files */
	int64_t served; /* of them, those with at least one service in the period */
	int64_t points; /* their points together */
	int64_t rank; /* 1 + the units ahead: a larger share served, or the same share and more points a file */
};

/*
 * A page (offset, at most limit) of the units placed under the region at
 * path, ranked by the share of their files that served in period, then by
 * points per file; units without files last; ties share a rank and are
 * listed by name. *total: how many units. Reads the tallies kept by triggers
 * (sql/sqlite/012), one row per unit. *items: caller frees.
 */
int feedback_units(struct db *db, const char *path, const char *period, int64_t offset, int64_t limit,
		   struct feedback_unit_rank **items, size_t *n, int64_t *total);

#endif
