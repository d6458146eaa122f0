/* household.h: households (户): the dwellings of a community's buildings, laid out in bulk or one by one, and their residents */
#ifndef DOMAIN_HOUSEHOLD_H
#define DOMAIN_HOUSEHOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/region.h"

/* Characters, not bytes. A building holds at most HOUSEHOLD_BUILDING_MAX dwellings. */
enum { HOUSEHOLD_UNIT_MAX = 10, HOUSEHOLD_ROOM_MAX = 20, HOUSEHOLD_NOTE_MAX = 200, HOUSEHOLD_PEOPLE_MAX = 99,
       HOUSEHOLD_FLOOR_MIN = -5, HOUSEHOLD_FLOOR_MAX = 120, HOUSEHOLD_BUILDING_MAX = 2000,
       HOUSEHOLD_UNITS_MAX = 20, HOUSEHOLD_PER_FLOOR_MAX = 30 };

enum household_rc {
	HOUSEHOLD_OK = 0,
	HOUSEHOLD_ERROR = -1,
	HOUSEHOLD_NOT_FOUND = -2,
	HOUSEHOLD_INVALID = -3, /* faults in errs */
	HOUSEHOLD_DUPLICATE = -4, /* the building has that unit and room already */
	HOUSEHOLD_IN_USE = -5, /* residents live there: move them first */
	HOUSEHOLD_FULL = -6, /* the building would hold more than HOUSEHOLD_BUILDING_MAX */
	HOUSEHOLD_DELIBERATED = -7, /* a deliberation covers it (its vote is kept): it stays */
};

extern const char *const household_occupancies[]; /* "lived", "vacant", "unknown", NULL */

struct household_input {
	const char *building_code; /* add only: a building region */
	const char *unit_no, *room, *occupancy, *note; /* NULL unit_no, note: ""; NULL occupancy: "unknown" */
	bool has_floor;
	int64_t floor, people;
};

struct household {
	int64_t id;
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char building_code[24];
	char building_name[REGION_TEXT];
	char unit_no[TEXT_BYTES(HOUSEHOLD_UNIT_MAX)];
	bool has_floor;
	int64_t floor;
	char room[TEXT_BYTES(HOUSEHOLD_ROOM_MAX)];
	char occupancy[12];
	int64_t people, residents; /* residents: accounts attached */
	char note[TEXT_BYTES(HOUSEHOLD_NOTE_MAX)];
	int64_t created_at, updated_at;
};

/* The building (region) at code with its community: HOUSEHOLD_NOT_FOUND unless it is a building. */
int household_building(struct db *db, const char *code, struct region *building, struct region *community);

/* Checks in (lengths in characters, floor, people, occupancy) into errs: whether it is clean. */
bool household_check(const struct household_input *in, struct field_errors *errs);

/* Adds a dwelling to building in->building_code (audited household.create). */
int household_add(struct db *db, const struct actor *who, const struct household_input *in,
		  struct field_errors *errs, int64_t *id);
/* Changes unit, floor, room, occupancy, people and note (in->building_code unused; audited household.update). */
int household_update(struct db *db, const struct actor *who, int64_t id, const struct household_input *in,
		     struct field_errors *errs);
/* Removes a dwelling nobody is attached to and no deliberation covers (audited household.remove). */
int household_remove(struct db *db, const struct actor *who, int64_t id);
int household_get(struct db *db, int64_t id, struct household *out);

/*
 * Lays out a building in one transaction (audited household.generate): units
 * 1..units (unit_no "1", "2", …; none when units is 0), floors from..to
 * (0 skipped), per_floor rooms a floor named floor × 100 + k ("101", "1802",
 * "-101" below ground). Rooms the building has already are kept as they are;
 * *added and *kept say how many of each.
 */
struct household_layout {
	int64_t units, floor_from, floor_to, per_floor;
};
int household_generate(struct db *db, const struct actor *who, const char *building_code,
		       const struct household_layout *l, struct field_errors *errs, size_t *added, size_t *kept);

/* The dwellings of a building, by unit, floor from the top, room. *items: caller frees. */
int household_list(struct db *db, const char *building_code, struct household **items, size_t *n);

/* Per building of a community: its dwellings, how many are lived in, vacant, and the people counted. */
struct household_tally {
	char building_code[24];
	char building_name[REGION_TEXT];
	char grid_name[REGION_TEXT]; /* "" when the building is straight under the community */
	int64_t households, lived, vacant, people;
};
int household_tallies(struct db *db, const char *community_code, struct household_tally **items, size_t *n);

/* The resident accounts living in household id, by name. *items: caller frees. */
struct household_resident {
	int64_t account_id;
	char name[TEXT_BYTES(50)];
};
int household_residents(struct db *db, int64_t id, struct household_resident **items, size_t *n);

/*
 * Attaches a resident account of the household's community to it (leaving
 * any other), or detaches it from it (audited account.household,
 * account.household_leave). HOUSEHOLD_NOT_FOUND when the account is no
 * resident of that community (or, detaching, does not live there).
 */
int household_attach(struct db *db, const struct actor *who, int64_t account_id, int64_t household_id, bool attach);

#endif
