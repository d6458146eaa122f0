/* pairing.h: pairings (结对) of members, teams or units with people on the care register, and members' offers to pair */
#ifndef DOMAIN_PAIRING_H
#define DOMAIN_PAIRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/care.h"

enum { PAIRING_NOTE_MAX = 200, PAIRING_REASON_MAX = 200 };

/* Who is paired: exactly one of them. */
struct pairing_who {
	int64_t member_id, team_id, unit_id;
};

struct pairing {
	int64_t id;
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	int64_t care_id; /* 0: an offer not yet accepted */
	int64_t member_id, team_id, unit_id;
	char kind[8]; /* member, team, unit */
	char who_name[TEXT_BYTES(100)]; /* the member's, team's or unit's name */
	char state[10]; /* offered, active, ended */
	char note[TEXT_BYTES(PAIRING_NOTE_MAX)];
	char end_reason[TEXT_BYTES(PAIRING_REASON_MAX)];
	int64_t created_at, decided_at;
};

/*
 * Staff pair entry care_id (active, of its community) with a member
 * reported in there (approved), a team of the community or its street,
 * or a unit (audited pairing.create). CARE_DUPLICATE when that one is paired already.
 */
int pairing_add(struct db *db, const struct actor *who, int64_t care_id, const struct pairing_who *w,
		struct field_errors *errs, int64_t *id);
/* A member reported in at community_code offers to pair with someone in need there (audited pairing.offer). */
int pairing_offer(struct db *db, const struct actor *who, int64_t member_id, const char *community_code,
		  const char *note, struct field_errors *errs, int64_t *id);
/* Staff accept an offer by naming the entry (offered → active), or decline it (→ ended, reason). */
int pairing_accept(struct db *db, const struct actor *who, int64_t id, int64_t care_id, struct field_errors *errs);
int pairing_decline(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs);
/* Staff end an active pairing (→ ended, reason; audited pairing.end). */
int pairing_end(struct db *db, const struct actor *who, int64_t id, const char *reason, struct field_errors *errs);

int pairing_get(struct db *db, int64_t id, struct pairing *out);
/* The pairings of an entry (active first), or the offers waiting in a community. *items: caller frees. */
int pairing_of_care(struct db *db, int64_t care_id, struct pairing **items, size_t *n);
int pairing_offers(struct db *db, const char *community_code, struct pairing **items, size_t *n);

/* Whether member_id is paired (itself, or through a team it is a member of) with care_id: CARE_OK or CARE_NOT_FOUND. */
int pairing_member_has(struct db *db, int64_t member_id, int64_t care_id);

/* What a paired member sees of an entry: only what a visit needs, never the categories or a health note. */
struct my_pairing {
	int64_t pairing_id, care_id;
	char via_team[TEXT_BYTES(100)]; /* the team's name when paired through it, else "" */
	char name[TEXT_BYTES(CARE_NAME_MAX)];
	char address[TEXT_BYTES(CARE_ADDRESS_MAX)];
	char help_what[TEXT_BYTES(CARE_HELP_WHAT_MAX)];
	char help_often[TEXT_BYTES(CARE_HELP_OFTEN_MAX)];
	char frequency[16];
	char last_visit[11], next_due[11];
	bool overdue;
};
/* The active pairings of member_id (directly or through its teams) with active entries. *items: caller frees. */
int pairing_mine(struct db *db, int64_t member_id, const char *today, struct my_pairing **items, size_t *n);
/* The member's offers, newest first. *items: caller frees. */
int pairing_my_offers(struct db *db, int64_t member_id, struct pairing **items, size_t *n);

#endif
