/* demo_households.c: the demo's households (户) in 石榴桥社区's buildings, some described, 张阿姨 living in 3栋 201 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/account.h"
#include "domain/demo.h"
#include "domain/household.h"

#define SHILIUQIAO "440111002011"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "demo: cannot %s", what);
	return -1;
}

/* Grid one's old walk-ups: two units of six floors, two rooms a floor; grid two's: one stair of eleven, four a floor. */
static const struct {
	const char *name;
	struct household_layout layout;
} layouts[] = {
	{ "1栋", { 2, 1, 6, 2 } }, { "2栋", { 2, 1, 6, 2 } }, { "3栋", { 2, 1, 6, 2 } },
	{ "5栋", { 0, 1, 11, 4 } }, { "6栋", { 0, 1, 11, 4 } },
};

/* What a worker has found out so far about a few rooms of 3栋 (unit 1). */
static const struct {
	const char *room, *occupancy, *note;
	int64_t floor, people;
} described[] = {
	{ "201", "lived", "独居老人，子女在外地", 2, 1 },
	{ "202", "lived", "", 2, 3 },
	{ "301", "vacant", "房屋出租中，暂无人住", 3, 0 },
	{ "302", "lived", "", 3, 4 },
};

int demo_households(struct db *db, char *err, size_t errlen)
{
	struct account staff, resident;
	struct region *grids = NULL;
	char building3[24] = "";
	size_t ngrids = 0;

	if (account_find(db, "staff", &staff) != ACCOUNT_OK || account_find(db, "resident", &resident) != ACCOUNT_OK)
		return fail(err, errlen, "find the demo accounts");
	const struct actor who = { staff.id, "cli" };
	if (region_children(db, SHILIUQIAO, &grids, &ngrids) != REGION_OK)
		return fail(err, errlen, "list 石榴桥社区's grids");
	for (size_t g = 0; g < ngrids; g++) {
		struct region *buildings = NULL;
		size_t nb = 0;

		if (region_children(db, grids[g].code, &buildings, &nb) != REGION_OK) {
			free(grids);
			return fail(err, errlen, "list a grid's buildings");
		}
		for (size_t b = 0; b < nb; b++)
			for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
				struct field_errors errs = { 0 };
				size_t added, kept;

				if (strcmp(buildings[b].name, layouts[i].name))
					continue;
				if (household_generate(db, &who, buildings[b].code, &layouts[i].layout, &errs, &added, &kept) !=
				    HOUSEHOLD_OK) {
					free(buildings);
					free(grids);
					return fail(err, errlen, "lay out a building");
				}
				if (!strcmp(buildings[b].name, "3栋"))
					snprintf(building3, sizeof(building3), "%s", buildings[b].code);
			}
		free(buildings);
	}
	free(grids);
	if (!building3[0])
		return fail(err, errlen, "find 3栋");
	struct household *items = NULL;
	size_t n = 0;
	if (household_list(db, building3, &items, &n) != HOUSEHOLD_OK)
		return fail(err, errlen, "list 3栋's households");
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		for (size_t k = 0; k < sizeof(described) / sizeof(described[0]) && !rc; k++) {
			struct field_errors errs = { 0 };
			const struct household_input in = { NULL, "1", described[k].room, described[k].occupancy,
							     described[k].note, true, described[k].floor,
							     described[k].people };

			if (strcmp(items[i].unit_no, "1") || strcmp(items[i].room, described[k].room))
				continue;
			rc = household_update(db, &who, items[i].id, &in, &errs) != HOUSEHOLD_OK ||
			     (k == 0 && household_attach(db, &who, resident.id, items[i].id, true) != HOUSEHOLD_OK);
		}
	free(items);
	return rc ? fail(err, errlen, "describe 3栋's rooms") : 0;
}
