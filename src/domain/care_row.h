/* care_row.h: what care.c, pairing.c and visit.c share (internal): ending a write, its audit entry */
#ifndef DOMAIN_CARE_ROW_H
#define DOMAIN_CARE_ROW_H

#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/region.h"

/* Commits when rc is CARE_OK (CARE_ERROR if the commit fails), else rolls back: rc. */
int care_finish(struct db *db, int rc);
/* The audit entry of action on the type's row id at path, with detail (a reason, or ""): CARE_OK or CARE_ERROR. */
int care_audit(struct db *db, const struct actor *who, const char *action, const char *type, int64_t id,
	       const char *path, const char *detail);

/*
 * The sealed fields of entry id in clear, with no audit entry (the caller
 * writes the one its reading needs: care_reveal's, care_export's): its
 * category codes ("a,b") and health note, caller frees both; path: its community's.
 */
int care_unseal(struct db *db, int64_t id, char **categories, char **health, char path[PATH_MAX_LEN]);

#endif
