/* member_import.h: importing member files from a spreadsheet: check every row, then commit the valid ones */
#ifndef DOMAIN_MEMBER_IMPORT_H
#define DOMAIN_MEMBER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/sheet.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/registration.h"

/* The template's columns, in order, as people read them. */
extern const char *const import_columns[];
/* One example row matching import_columns. */
extern const char *const import_example[];

struct import_defaults {
	const char *community_code; /* staff: their community (rows may only name it); NULL: each row names one */
	int64_t unit_id; /* a unit: its own id (rows' 工作单位 ignored); 0: by the row's unit name */
	enum reg_channel channel;
};

struct import_error {
	size_t row; /* as in Excel: the header is row 1 */
	char column[32]; /* the column's header, "" for the whole row */
	char field[32];
	const char *code;
	char message[160];
};

struct import_result {
	size_t rows; /* data rows, empty ones not counted */
	size_t valid;
	size_t written; /* 0 unless committed */
	size_t nerrors;
	struct import_error *errors; /* caller frees with import_result_release */
};

void import_result_release(struct import_result *r);

/*
 * Checks every data row of sh (row 1 holds the column names). With commit,
 * writes the valid rows (files and report-ins) in one transaction; without,
 * writes nothing. Returns 0, or -1 on a storage error (nothing written).
 */
int member_import(struct db *db, const struct actor *who, const struct sheet *sh, const struct import_defaults *d,
		  bool commit, struct import_result *out);

#endif
