/* stats.h: the workbench's numbers: files by state, the approval queue, report-in rates by region and by unit */
#ifndef DOMAIN_STATS_H
#define DOMAIN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/region.h"
#include "domain/unit.h"

/*
 * The states a file shows, in the order the console lists them. Every
 * count here is a sum of tally rows kept by triggers (sql/sqlite/004), so
 * reading them costs the number of communities, never the number of files.
 */
enum { STATS_STATES = 6 };
extern const char *const stats_states[STATS_STATES];

struct stats_files {
	int64_t by_state[STATS_STATES]; /* in the order of stats_states */
	int64_t without_account; /* reported in or waiting, with no account yet */
	int64_t queue; /* report-ins waiting for the community's decision (transfers in too) */
};

/* The report-in rate in tenths of a percent: approved of approved and pending; 0 when there are none. */
int stats_rate(const struct stats_files *s);

/* The files whose community lies under path ("/…/"). */
int stats_files(struct db *db, const char *path, struct stats_files *out);

struct stats_region {
	struct region_brief region;
	struct stats_files files;
};

/*
 * Each child of parent (the streets of a district, the communities of a
 * street…) with the files under it, in code order. *items: caller frees.
 */
int stats_children(struct db *db, const struct region *parent, struct stats_region **items, size_t *n);

/* Orders children by "rate", "approved", "queue" or "code", highest first unless ascending; ties by code. */
void stats_rank(struct stats_region *items, size_t n, const char *by, int ascending);

struct stats_unit {
	int64_t unit_id;
	char name[TEXT_BYTES(UNIT_NAME_MAX)];
	int64_t roster; /* people on its roster */
	int64_t reported; /* of them, reported in (approved) anywhere */
	int64_t pending; /* of them, waiting */
	int64_t here; /* its members reported in to the community asked about (stats_units_living) */
};

/* The unit's roster against report-ins; 1 when there is no such unit. */
int stats_unit(struct db *db, int64_t unit_id, struct stats_unit *out);
/*
 * A page of the units placed under path, ranked by rate (lowest first when
 * ascending; ties by name), and how many there are. *items: caller frees.
 */
int stats_units_under(struct db *db, const char *path, int ascending, int64_t offset, int64_t limit,
		      struct stats_unit **items, size_t *n, int64_t *total);
/* The units whose members live in community (any state), with how many reported in here. Caller frees. */
int stats_units_living(struct db *db, const char *community, struct stats_unit **items, size_t *n);

#endif
