/* import_lookup.h: what a members sheet names, found: communities within reach, grids, buildings, units (with suggestions) */
#ifndef DOMAIN_IMPORT_LOOKUP_H
#define DOMAIN_IMPORT_LOOKUP_H

#include <stdint.h>

#include "db/db.h"
#include "domain/authz.h"

enum lookup_rc {
	LOOKUP_OK = 0,
	LOOKUP_ERROR = -1,     /* storage */
	LOOKUP_NOT_FOUND = -2,
	LOOKUP_AMBIGUOUS = -3, /* the name fits more than one */
};

#define LOOKUP_CODE 24

/* One import's look-ups, each answer kept for the rows that repeat the same text. */
struct lookup;

/*
 * places: the region path under which communities are found by name ("" everywhere);
 * units: the units the caller may name and be shown as suggestions. Both borrowed for
 * the life of the lookup. Caller frees with lookup_free.
 */
struct lookup *lookup_new(struct db *db, const char *places, const struct scope *units);
void lookup_free(struct lookup *l);

/*
 * Each returns an enum lookup_rc; on NOT_FOUND or AMBIGUOUS *why is a message for the person
 * fixing the sheet (what is wrong, what would be right), borrowed until lookup_free.
 */

/*
 * A community: its 12-digit code, or its name as people write it ("石榴桥社区", the 居委会's
 * full name, or with its street and district before it: "三元里街道石榴桥社区").
 */
int lookup_community(struct lookup *l, const char *text, char code[LOOKUP_CODE], const char **why);
/* A grid of community: its code or its name. */
int lookup_grid(struct lookup *l, const char *community, const char *text, char code[LOOKUP_CODE],
		const char **why);
/*
 * A building of community: its code or its name, within grid when one is given (a building's
 * name is unique only within its grid: a name in two grids without one is AMBIGUOUS).
 */
int lookup_building(struct lookup *l, const char *community, const char *grid, const char *text,
		    char code[LOOKUP_CODE], const char **why);
/* A unit by its name; NOT_FOUND suggests up to 3 near names among the units in reach. */
int lookup_unit(struct lookup *l, const char *name, int64_t *id, const char **why);

/*
 * How a sheet should name community code so that it is found again: its name, with its street
 * (and district) before it when the city has more than one of that name. *label borrowed until
 * lookup_free.
 */
int lookup_community_label(struct lookup *l, const char *code, const char **label);
/* The names of building code and of its grid ("" when code is "" or no building). Borrowed as above. */
int lookup_building_names(struct lookup *l, const char *code, const char **grid, const char **building);

#endif
