/* publication.h: half-year publications (公示): a frozen ranking shown publicly for some days, objections (异议), versions, verification */
#ifndef DOMAIN_PUBLICATION_H
#define DOMAIN_PUBLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/member.h"
#include "domain/region.h"
#include "domain/rule.h"
#include "domain/standing.h"

/*
 * The longest title and texts, in characters; the window's days; the largest
 * correction an upheld objection makes; how many rows, objections and
 * mismatches one answer gives at most.
 */
enum {
	PUBLICATION_TITLE_MAX = 60,
	PUBLICATION_DAYS_DEFAULT = 7,
	PUBLICATION_DAYS_MAX = 30,
	OBJECTION_REASON_MIN = 2,
	OBJECTION_REASON_MAX = 200,
	OBJECTION_ANSWER_MAX = 190, /* the correction's note is "公示异议：" and the answer (LEDGER_NOTE_MAX) */
	PUBLICATION_NOTE_MAX = 200, /* why a version was published again */
	OBJECTION_POINTS_MAX = 1000,
	PUBLICATION_ROWS_MAX = 500,
	OBJECTION_LIST_MAX = 500,
	PUBLICATION_MISMATCH_MAX = 100,
};

/* A title given (60 characters) or made from the region's name ("<region>2026年下半年在职党员积分公示"). */
#define PUBLICATION_TITLE_BYTES (TEXT_BYTES(PUBLICATION_TITLE_MAX) + REGION_TEXT)

enum publication_rc {
	PUB_OK = 0,
	PUB_ERROR = -1,
	PUB_NOT_FOUND = -2,
	PUB_INVALID = -3, /* faults in the caller's field_errors */
	PUB_OPEN = -4, /* the region has an open publication of that half-year already */
	PUB_CLOSED = -5, /* the window has closed (and, for a re-publication, no upheld objection waits for one) */
	PUB_NOT_LISTED = -6, /* the member is not in the publication */
	PUB_ASKED = -7, /* the member has an objection waiting already */
	PUB_ANSWERED = -8, /* the objection has been answered */
	PUB_OWN = -9, /* staff never answer their own objection */
};


struct publication {
	int64_t id;
	char region_code[24], region_level[12], region_path[PATH_MAX_LEN];
	char region_name[REGION_TEXT];
	char period[PERIOD_LEN];
	char title[PUBLICATION_TITLE_BYTES];
	int64_t days, opened_at, closes_at, version, ledger_mark, rows; /* rows: of the latest version */
	int64_t objections, objections_waiting, objections_upheld;
	int64_t created_by, created_at;
	bool open; /* now before closes_at */
	bool republishable; /* open, or an upheld objection's correction is in no version yet */
};

/*
 * Freezes period (a half-year that has begun) at region (a community, street
 * or district) in one transaction: the ranking of its standings copied as
 * version 1 with the ledger's last movement, open for days (1..30) from now;
 * audited (publication.freeze). PUB_OPEN when one is open there already;
 * title "" takes "<region>2026年下半年在职党员积分公示". *id: the new one.
 */
int publication_freeze(struct db *db, const struct actor *who, const struct region *region, const char *period,
		       const char *title, int64_t days, struct field_errors *errs, int64_t *id);
int publication_get(struct db *db, int64_t id, struct publication *out);

struct publication_filter {
	const struct scope *scope;
	const char *region_path; /* the region and those under it, or NULL */
	const char *period; /* or NULL */
	int64_t page, per_page;
};
/* A page of publications in scope, newest first. *items: caller frees. */
int publication_list(struct db *db, const struct publication_filter *f, struct publication **items, size_t *n,
		     int64_t *total);

struct publication_row {
	int64_t pos, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)]; /* in clear: for the console only */
	char masked_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char unit_name[TEXT_BYTES(100)];
	char community_code[24], community_path[PATH_MAX_LEN];
	char community_name[REGION_TEXT];
	int64_t points, minutes, services, rank;
	enum tier tier;
	bool has_prev; /* the version before had the member */
	int64_t prev_points;
	enum tier prev_tier;
};
/* Rows of version (0: the latest) after position after, at most max. *items: caller frees. */
int publication_rows(struct db *db, const struct publication *p, int64_t version, int64_t after, size_t max,
		     struct publication_row **items, size_t *n);
/* member's row in the latest version: PUB_NOT_LISTED when they are not in it. */
int publication_row_of(struct db *db, const struct publication *p, int64_t member_id, struct publication_row *out);

struct publication_version {
	int64_t version, ledger_mark, rows, created_at;
	char note[TEXT_BYTES(PUBLICATION_NOTE_MAX)];
};
/* Every version, the first first. *items: caller frees. */
int publication_versions(struct db *db, int64_t id, struct publication_version **items, size_t *n);

/*
 * Publishes the standings again as the next version, its rows carrying the
 * values of the version before, with a note (why); only while the window is
 * open, or after an upheld objection whose correction no version shows yet
 * (PUB_CLOSED otherwise). One transaction, audited (publication.republish).
 */
int publication_republish(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t *version);

struct publication_mismatch {
	int64_t pos, member_id, published, ledger;
	char masked_name[TEXT_BYTES(MEMBER_NAME_MAX)];
};
struct publication_check {
	int64_t version, ledger_mark, rows, mismatches;
	struct publication_mismatch items[PUBLICATION_MISMATCH_MAX]; /* the first mismatches */
	size_t n;
};
/*
 * Recomputes each row's points of version (0: the latest) from the ledger:
 * the entries of the member's points account on movements of the
 * half-year's days up to the version's ledger mark that count in standings
 * (records, bonuses, corrections; never redemptions or gifts), and compares.
 */
int publication_verify(struct db *db, const struct publication *p, int64_t version, struct publication_check *out);

struct objection {
	int64_t id, publication_id, member_id, member_account_id, version;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char masked_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char community_code[24], community_path[PATH_MAX_LEN];
	char community_name[REGION_TEXT];
	char reason[TEXT_BYTES(OBJECTION_REASON_MAX)];
	char state[12], outcome[12];
	char answer[TEXT_BYTES(OBJECTION_ANSWER_MAX)];
	int64_t points, movement_id, created_at, answered_at;
	char answered_by[TEXT_BYTES(64)];
	/* The publication's */
	char title[PUBLICATION_TITLE_BYTES];
	char period[PERIOD_LEN];
	int64_t closes_at;
	char region_path[PATH_MAX_LEN];
};

/*
 * Member objects to publication id with a reason (2..200 characters):
 * listed in its latest version (PUB_NOT_LISTED), during the window
 * (PUB_CLOSED), one waiting at a time (PUB_ASKED). Own transaction, audited
 * (objection.create). *objection_id: the new one.
 */
int publication_object(struct db *db, const struct actor *who, int64_t id, int64_t member_id, const char *reason,
		       struct field_errors *errs, int64_t *objection_id);
int objection_get(struct db *db, int64_t id, struct objection *out);
/* The objections of a publication (member_id 0) or of a member (publication_id 0: all of theirs), newest first. */
int objection_list(struct db *db, int64_t publication_id, int64_t member_id, struct objection **items, size_t *n);

/*
 * Staff answer objection id with answer (required, 1..190 characters):
 * dismissed, or upheld with a correction of points (signed, non-zero, at most
 * OBJECTION_POINTS_MAX either way, never below 0 for the half-year): a
 * correction movement between the member's points account and the issue
 * account of their community, and their standings moved, in one transaction
 * with the answer; audited (objection.answer). PUB_ANSWERED when answered
 * already, PUB_OWN for one's own. *movement_id: the correction (0 when dismissed).
 */
int publication_answer(struct db *db, const struct actor *who, int64_t objection_id, bool uphold, const char *answer,
		       int64_t points, struct field_errors *errs, int64_t *movement_id);

#endif
