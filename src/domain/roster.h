/* roster.h: a unit's roster of its Party members, matched against who reported in (uploads: roster_import.h) */
#ifndef DOMAIN_ROSTER_H
#define DOMAIN_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/idcard.h"
#include "db/db.h"
#include "base/xalloc.h"
#include "domain/audit.h"

#define ROSTER_TEXT_MAX 50 /* characters of a name or a position on a roster */

struct roster_entry {
	int64_t id;
	char name[TEXT_BYTES(ROSTER_TEXT_MAX)];
	char id_masked[IDCARD_LEN + 1];
	char position[TEXT_BYTES(ROSTER_TEXT_MAX)];
	int64_t member_id; /* the file with that ID number, 0 if none */
	char state[16]; /* that file's latest report-in state, "" if none */
	char community_name[256];
};

/* One page of the roster; not_reported: only those without an approved report-in. Caller frees *items. */
int roster_list(struct db *db, int64_t unit_id, int not_reported, int64_t page, int64_t per_page,
		struct roster_entry **items, size_t *n, int64_t *total);
/* Marks member id verified when its ID number is on its unit's roster (inside the caller's transaction). */
int roster_verify_member(struct db *db, int64_t member_id);

#endif
