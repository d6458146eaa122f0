/* today.h: what a community's staff act on today (今日待办), and the community's monthly report form (城市党建日) */
#ifndef DOMAIN_TODAY_H
#define DOMAIN_TODAY_H

#include <stddef.h>
#include <stdint.h>

#include "base/xalloc.h"
#include "db/db.h"
#include "domain/activity.h"
#include "domain/duty.h"
#include "domain/region.h"

/* A published activity starting tomorrow (China time) with fewer signed than its places. */
struct today_activity {
	int64_t id;
	char title[TEXT_BYTES(ACTIVITY_TITLE_MAX)];
	int64_t starts_at;
	int64_t signed_up; /* state signed */
	int64_t capacity;
};

/* A duty shift of today or the next two days (not ended, not closed) with places left. */
struct today_shift {
	int64_t id;
	int64_t post_id;
	char post_name[TEXT_BYTES(DUTY_NAME_MAX)];
	char day[11];
	int64_t start_min, end_min;
	int64_t places;
	int64_t filled; /* live assignments: not cancelled */
};

/* Every figure is defined in docs/stats.md, Today. Counts by the community's indexes only. */
struct community_today {
	int64_t registrations_pending;
	int64_t records_pending;
	int64_t requests_asked;
	int64_t care_overdue;
	int64_t needs_new; /* submitted: to accept or refuse */
	int64_t needs_to_dispatch; /* accepted: to dispatch */
	int64_t wishes_to_approve; /* submitted */
	int64_t quiet;
	struct today_activity *short_activities; /* by start */
	size_t nshort;
	struct today_shift *open_shifts; /* by day, start */
	size_t nshifts;
};

/* The community's today at now. 0 or -1. today_free releases the lists. */
int community_today(struct db *db, const struct region *community, int64_t now, struct community_today *out);
void community_today_free(struct community_today *t);

/* The Lin'an form of a community for month m (YYYY-MM, valid). Definitions: docs/stats.md, Monthly report. */
struct monthly_report {
	int64_t activities; /* stats_month */
	int64_t signups; /* stats_month */
	int64_t attended; /* stats_month */
	int64_t unit_members_serving; /* distinct members with a unit, a confirmed record here begun in m */
	int64_t members_living; /* reported in (approved) living here now */
	int64_t needs_taken; /* needs of the community taken in m */
	int64_t needs_done; /* stats_month */
	int64_t wishes_done; /* stats_month */
	int64_t services; /* stats_month */
	int64_t minutes; /* stats_month */
	int64_t active_members; /* stats_month */
};

int community_monthly_report(struct db *db, const struct region *community, const char *month,
			     struct monthly_report *out);

#endif
