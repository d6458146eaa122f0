/* roster_import.h: a unit's roster from a spreadsheet: every row checked, then the valid ones stored in one transaction */
#ifndef DOMAIN_ROSTER_IMPORT_H
#define DOMAIN_ROSTER_IMPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/sheet.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/import.h"

/*
 * Checks every data row of sh (row 1 names the columns 姓名, 身份证号, 职务) against unit_id's
 * roster: an ID number not on it is added (create), one on it with another name or position
 * updates that entry (update), the same one is left as it is (unchanged). With commit, writes
 * the valid rows in one transaction, marks the unit's member files found on the roster as
 * verified and audits roster.upload; without, writes nothing. ID numbers are kept only as a
 * keyed hash and masked. Returns 0, or -1 on a storage error (nothing written). Caller
 * releases out.
 */
int roster_import(struct db *db, const struct actor *who, int64_t unit_id, const struct sheet *sh, bool commit,
		  struct import_result *out);

#endif
