/* household_import.h: a community's households from a spreadsheet: every row checked as household add checks it, all or nothing */
#ifndef DOMAIN_HOUSEHOLD_IMPORT_H
#define DOMAIN_HOUSEHOLD_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/sheet.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/household.h"
#include "domain/import.h"

/* The most data rows one sheet may hold (a large community has about 4,000 dwellings). */
#define HOUSEHOLD_IMPORT_MAX 5000

/* The template's columns, in order (NULL-terminated), and one example row matching them. */
#define HOUSEHOLD_SHEET_COLUMNS 7
extern const char *const household_import_columns[];
extern const char *const household_import_example[];

/*
 * Checks every data row of sh (the header row found by its column names) for the community
 * at community_code (the caller checked it may keep its households): 楼栋 a building of that
 * community by name or code, 房号 required, 单元 and 备注 as long as household add allows them
 * (in characters), 楼层 -5..120 and not 0 (empty: not known), 住人情况 住人/空置/未核实 (empty:
 * 未核实), 人数 0..99 (empty: 0). A unit and room repeated in one building of the sheet is a
 * fault; one the building has already is a fault too, unless update, when that household is
 * changed to the row (a row changing nothing is counted unchanged). A building may not come to
 * hold more than HOUSEHOLD_BUILDING_MAX. Each fault named by row and column in out. With commit
 * and no fault, writes every row and one audit entry household.import (detail: the count
 * written) in one transaction; with any fault, or without commit, writes nothing
 * (out->written 0). Returns 0, or -1 on a storage error (nothing written). Caller releases out
 * and frees verdicts->items (verdicts may be NULL).
 */
/* One data row's verdict, in sheet order, for the dry run's table. */
enum household_verdict { HV_CREATE = 'c', HV_UPDATE = 'u', HV_SAME = 's', HV_INVALID = 'x' };
struct household_import_row {
	size_t row; /* as in Excel */
	char verdict; /* an enum household_verdict */
	int64_t id; /* the household updated or left unchanged, else 0 */
	char building_name[REGION_TEXT]; /* the building found, or "" */
	char unit_no[TEXT_BYTES(HOUSEHOLD_UNIT_MAX)], room[TEXT_BYTES(HOUSEHOLD_ROOM_MAX)]; /* "" when bad */
};
struct household_import_rows {
	size_t n;
	struct household_import_row *items; /* caller frees */
};

int household_import(struct db *db, const struct actor *who, const struct sheet *sh, const char *community_code,
		     const char *community_path, bool update, bool commit, struct import_result *out,
		     struct household_import_rows *verdicts);

#endif
