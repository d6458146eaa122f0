/* roster.h: a unit's roster of its Party members, matched against who reported in (a sheet of it: roster_import.h) */
#ifndef DOMAIN_ROSTER_H
#define DOMAIN_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/idcard.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/member.h"
#include "domain/audit.h"

#define ROSTER_TEXT_MAX MEMBER_NAME_MAX /* characters of a name or a position on a roster (MEMBER_POSITION_MAX is the same) */

struct roster_row {
	const char *name;
	const char *id_number; /* checked by idcard_parse before */
	const char *position;
};

struct roster_entry {
	int64_t id;
	char name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char id_masked[IDCARD_LEN + 1];
	char position[TEXT_BYTES(MEMBER_POSITION_MAX)];
	int64_t member_id; /* the file with that ID number, 0 if none */
	char state[16]; /* that file's latest report-in state, "" if none */
	char community_name[REGION_TEXT];
};

/*
 * Adds rows to unit_id's roster in one transaction (a row whose ID number is
 * on the roster already updates name and position), then marks the unit's
 * member files found on it as verified. Stores the ID number only as a keyed
 * hash and masked. *added and *updated count. Audited as roster.upload.
 */
int roster_add(struct db *db, const struct actor *who, int64_t unit_id, const struct roster_row *rows, size_t n,
	       int64_t *added, int64_t *updated);
/* The parts of roster_add, inside the caller's transaction: one row added or updated (counted), ... */
int roster_put(struct db *db, int64_t unit_id, const struct roster_row *r, int64_t *added, int64_t *updated);
/* ... and the end of an upload: the unit's files on the roster marked verified, the upload audited. */
int roster_close(struct db *db, const struct actor *who, int64_t unit_id, int64_t added, int64_t updated);
/* Who on a roster to list: everyone, or by the state of the report-in of the file with their ID number. */
enum roster_status {
	ROSTER_ALL,
	ROSTER_NOT_REPORTED, /* no report-in approved or waiting: the people to chase up */
	ROSTER_PENDING, /* a report-in waits for its community */
	ROSTER_REPORTED, /* reported in (approved) */
};
/* One page of the roster, by name. Caller frees *items. */
int roster_list(struct db *db, int64_t unit_id, enum roster_status status, int64_t page, int64_t per_page,
		struct roster_entry **items, size_t *n, int64_t *total);
/* Marks member id verified when its ID number is on its unit's roster (inside the caller's transaction). */
int roster_verify_member(struct db *db, int64_t member_id);

#endif
