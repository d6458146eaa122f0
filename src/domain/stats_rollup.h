/* stats_rollup.h: the monthly figures of every region and unit, counted by a rollup, and what dashboards read of them */
#ifndef DOMAIN_STATS_ROLLUP_H
#define DOMAIN_STATS_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/region.h"

/*
 * A month is "YYYY-MM" in China time (UTC+8), the calendar the communities
 * keep. Every figure is defined in docs/stats.md.
 */
#define STATS_MONTH_BYTES 8
/* The most months one question may span: ten years. */
#define STATS_MONTHS_MAX 120

bool stats_month_valid(const char *m);
void stats_month_of(int64_t t, char out[STATS_MONTH_BYTES]);
/* The first instant of month m (valid), Unix seconds. */
int64_t stats_month_start(const char *m);
void stats_month_next(const char *m, char out[STATS_MONTH_BYTES]);
/* m moved by k months (k may be negative). */
void stats_month_add(const char *m, int k, char out[STATS_MONTH_BYTES]);
/* How many months from..to holds, both included; 0 when to is before from. */
int stats_month_span(const char *from, const char *to);

enum stats_metric {
	STATS_SERVICES,
	STATS_MINUTES,
	STATS_ACTIVE,
	STATS_POINTS,
	STATS_ACTIVITIES,
	STATS_SIGNUPS,
	STATS_ATTENDED,
	STATS_NEEDS_DONE,
	STATS_WISHES_DONE,
	STATS_METRICS,
};
/* The metrics' column names (and JSON keys), in enum order. */
extern const char *const stats_metrics[STATS_METRICS];
/* A unit's figures are the first STATS_UNIT_METRICS of them: services, minutes, active members, points. */
#define STATS_UNIT_METRICS 4

struct stats_rollup_result {
	int months;
	int64_t communities; /* community-months with anything in them */
	int64_t took_ms;
	int64_t write_ms; /* of which the write transaction: what a writer may wait behind */
};

/*
 * Counts every month from `from` to the month of now again, for every
 * community and unit, and writes them with the sums of every street,
 * district and city: the counting reads one snapshot without the write lock,
 * then one short write replaces those months' rows and notes the run. The
 * same data always gives the same rows, so running it twice (or on two
 * servers at once) is harmless. 0, or -1 (logged).
 */
int stats_rollup(struct db *db, const char *from, int64_t now, struct stats_rollup_result *res);

struct stats_month_row {
	char month[STATS_MONTH_BYTES];
	int64_t v[STATS_METRICS];
};

/* Every month from..to (at most STATS_MONTHS_MAX) of the region code, zeros where nothing was counted. *rows: caller frees. */
int stats_region_months(struct db *db, const char *code, const char *from, const char *to,
			struct stats_month_row **rows, size_t *n);
/* The same for a unit (the metrics after STATS_UNIT_METRICS stay 0). */
int stats_unit_months(struct db *db, int64_t unit_id, const char *from, const char *to, struct stats_month_row **rows,
		      size_t *n);

struct stats_child_row {
	struct region_brief region;
	int64_t v[STATS_METRICS]; /* sums over the months; active members: of the last month */
};

/* Each child region of code (district, street or community) with its figures over from..to, in code order. */
int stats_children_months(struct db *db, const char *code, const char *from, const char *to,
			  struct stats_child_row **rows, size_t *n);

/* When the rollup last ran (Unix seconds), 0 when never. 0, or -1. */
int stats_last_run(struct db *db, int64_t *ran_at);

#endif
