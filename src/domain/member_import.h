/* member_import.h: member files to and from a spreadsheet: the template's columns, the export's rows, check then commit */
#ifndef DOMAIN_MEMBER_IMPORT_H
#define DOMAIN_MEMBER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sheet.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/import.h"
#include "domain/member.h"
#include "domain/registration.h"

/* The template's columns, in order, as people read them (NULL-terminated); the export has the same. */
#define MEMBER_SHEET_COLUMNS 19
extern const char *const import_columns[];
/* One example row matching import_columns. */
extern const char *const import_example[];

/* A report-in state as the console shows it: 待审核, 已报到, ...; "" for none. */
const char *member_state_label(const char *state);

struct import_defaults {
	const char *community_code; /* staff: their community (rows may only name it, or leave it out) */
	int64_t unit_id; /* a unit: its own id (rows' 工作单位 ignored); 0: by the row's unit name */
	enum reg_channel channel;
	const char *places; /* region path under which 报到社区 is found by name; "" for everywhere */
	struct scope read;  /* the files the caller may see (ACT_MEMBER_READ) */
	struct scope edit;  /* the files the caller may correct (ACT_REG_DECIDE) */
	struct scope units; /* the units the caller may name (ACT_UNIT_READ) */
};

/*
 * Checks every data row of sh (row 1 holds the column names): a row with a 档案编号 the caller
 * may correct updates that file (what PUT /members/{id} may change; who the member is and
 * where they report in stay), a row without one makes a new file and its report-in. With
 * commit, writes every valid row in one transaction (audited); without, writes nothing. out
 * counts what would be created, updated and left as it is, and names every fault by row and
 * column. Returns 0, or -1 on a storage error (nothing written). Caller releases out.
 */
int member_import(struct db *db, const struct actor *who, const struct sheet *sh, const struct import_defaults *d,
		  bool commit, struct import_result *out);

/* Writes files as rows of the template (import_columns): names, not codes; Chinese, not states. */
struct member_export;
/* Caller frees with member_export_free. */
struct member_export *member_export_new(struct db *db);
void member_export_free(struct member_export *x);
/* Fills cells (as many as import_columns) with file m; borrowed from m and x until the next call. -1 on a storage error. */
int member_export_row(struct member_export *x, const struct member *m, const char *cells[]);

#endif
