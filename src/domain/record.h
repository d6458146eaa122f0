/* record.h: service records (服务记录): one per service, pending until the community confirms it (盖章) */
#ifndef DOMAIN_RECORD_H
#define DOMAIN_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/member.h"
#include "domain/region.h"

/*
 * The longest texts of a record, in characters; the most minutes one record
 * may hold; how far back a member may report their own service; how many
 * records one bulk confirmation takes; where a list stops counting.
 */
enum { RECORD_PLACE_MAX = 100, RECORD_CONTENT_MAX = 500, RECORD_REASON_MAX = 200, RECORD_VALUE_MAX = 200,
       RECORD_MINUTES_MAX = 24 * 60, RECORD_PHOTOS_MAX = 3, RECORD_SELF_DAYS = 90, RECORD_BULK_MAX = 1000,
       RECORD_COUNT_CAP = 10000, RECORD_TITLE_MAX = 100 };
/* A correction granted as the member asked says so before the member's reason: "应本人申请更正：" (8 characters). */
#define RECORD_GRANTED "应本人申请更正："
enum { RECORD_GRANTED_EXTRA = 8 };

/* SOURCE_NEED and SOURCE_WISH: a resident's need or a micro-wish the member fulfilled (origin_id names it). */
/* SOURCE_CAMPAIGN, SOURCE_VISIT, SOURCE_DUTY: a campaign walk, a care visit, a duty shift (origin_id: the stretch, visit, shift). */
enum record_source {
	SOURCE_ACTIVITY,
	SOURCE_POST,
	SOURCE_SELF,
	SOURCE_STAFF,
	SOURCE_CORRECTION,
	SOURCE_NEED,
	SOURCE_WISH,
	SOURCE_CAMPAIGN,
	SOURCE_VISIT,
	SOURCE_DUTY,
	SOURCE_CASE /* working on a case (问题/诉求): origin_id the case */
};
/* "activity", "post", "self", "staff", "correction", "need", "wish", "campaign", "visit", "duty", "case", NULL */
extern const char *const record_sources[];
extern const char *const record_states[]; /* "pending", "confirmed", "rejected", "withdrawn", NULL */

enum record_rc {
	RECORD_OK = 0,
	RECORD_ERROR = -1,
	RECORD_NOT_FOUND = -2,
	RECORD_INVALID = -3, /* faults in the caller's field_errors */
	RECORD_BAD_STATE = -4, /* not pending (confirmed records never change), or a request already answered */
	RECORD_DUPLICATE = -5, /* that attendance, or that need or wish, has its record for that member already */
	RECORD_OVERLAP = -6, /* the member has another service in that time */
	RECORD_OWN = -7, /* staff never decide on, correct or answer for their own service */
	RECORD_ASKED = -8, /* the record has a request waiting already */
};

/* What a new record says; strings borrowed. */
struct record_input {
	int64_t member_id;
	int64_t item_id;
	enum record_source source;
	int64_t activity_id, post_id, corrects_id; /* 0 when not */
	int64_t origin_id; /* the need or the wish of SOURCE_NEED, SOURCE_WISH (one record per member each); else 0 */
	int64_t started_at;
	int64_t minutes; /* 1..RECORD_MINUTES_MAX; a correction carries a difference, which may be negative */
	const char *place;
	const char *content;
	size_t nfields; /* the item's extra fields: names[i] = values[i] */
	const char *const *field_names;
	const char *const *field_values;
	const char *reason; /* a correction's: why */
};

/*
 * Adds a pending record inside the caller's transaction, checked: the member
 * has a file with an approved report-in (its community confirms the record),
 * the item is offered there and its extra fields are filled as it asks,
 * minutes are within bounds, the member has no other confirmed or pending
 * service overlapping that time (RECORD_OVERLAP), an activity's attendance
 * has one record (RECORD_DUPLICATE). Faults go to errs (RECORD_INVALID).
 * A correction (corrects_id) belongs to the community of the record it
 * corrects and carries its item; it is checked by record_correct.
 * Writes the record's first event and an audit entry (record.create). *id is the new record.
 */
int record_add(struct db *db, const struct actor *who, const struct record_input *in, struct field_errors *errs,
	       int64_t *id);

/*
 * A member's own report (SOURCE_SELF: within the last RECORD_SELF_DAYS days)
 * or a staff entry (SOURCE_STAFF), in its own transaction: the service has
 * ended by now, then record_add. confirm: staff stamp it at once (record.confirm
 * follows in the same transaction; RECORD_OWN for their own service).
 */
int record_create(struct db *db, const struct actor *who, const struct record_input *in, bool confirm,
		  struct field_errors *errs, int64_t *id);

/*
 * Confirms (盖章) pending record id inside the caller's transaction, as
 * record_decide does: its event, its audit entry and what it earns.
 * RECORD_BAD_STATE when not pending, RECORD_OWN when who is its member.
 * What it earns within b (earning_credit_in; NULL: on its own).
 */
struct earning_batch;
int record_confirm_in(struct db *db, const struct actor *who, int64_t id, struct earning_batch *b);

/* The changes a record may go through, for record_may. */
enum record_change {
	CHANGE_MINUTES, /* staff correct the minutes before confirming */
	CHANGE_CONFIRM,
	CHANGE_REJECT,
	CHANGE_WITHDRAW, /* the member takes back a report of their own */
	CHANGE_PHOTO, /* a photo added or removed */
	CHANGE_CORRECT, /* a correction record made for it */
	CHANGE_REQUEST, /* the member asks for a correction */
};

/*
 * The state machine: whether a record in state (of source) may go through
 * change. pending → confirmed | rejected | withdrawn (self reports only), its
 * minutes and photos changing while it waits; a confirmed record never
 * changes, it is corrected by new records (never a correction itself: the
 * original is corrected again); rejected and withdrawn are final.
 */
bool record_may(const char *state, const char *source, enum record_change change);

/*
 * The difference a correction must carry so that a service counting total
 * minutes (the record and its corrections) counts new_total:
 * RECORD_INVALID when new_total is outside 0..RECORD_MINUTES_MAX or no change.
 */
int record_correction_diff(int64_t total, int64_t new_total, int64_t *diff);

/* Staff correct the minutes of a pending record, with a reason (event minutes, audited). Own transaction. */
int record_set_minutes(struct db *db, const struct actor *who, int64_t id, int64_t minutes, const char *reason,
		       struct field_errors *errs);
/* pending → confirmed, or → rejected with reason. Own transaction. */
int record_decide(struct db *db, const struct actor *who, int64_t id, bool confirm, const char *reason);

/* What became of each record of a bulk confirmation. */
enum record_outcome { OUTCOME_CONFIRMED, OUTCOME_NOT_FOUND, OUTCOME_DECIDED, OUTCOME_OWN };
extern const char *const record_outcomes[]; /* "confirmed", "not_found", "already_decided", "own_record" */

/*
 * Confirms the records ids[0..n) in one transaction, each on its own rules:
 * in p's reach (ACT_RECORD_CONFIRM over its community, else not_found),
 * pending, not p's own. outcomes[i] says how ids[i] went. RECORD_ERROR (and
 * nothing written) only on a storage error.
 */
int record_confirm_many(struct db *db, const struct actor *who, const struct principal *p, const int64_t *ids,
			size_t n, enum record_outcome *outcomes);
/* The pending records of an activity, oldest first, at most max. *ids: caller frees. */
int record_pending_of_activity(struct db *db, int64_t activity_id, size_t max, int64_t **ids, size_t *n);

/* pending → withdrawn: the member takes back a report of their own; its photos go. Own transaction. */
int record_withdraw(struct db *db, const struct actor *who, int64_t id);

/*
 * Staff correct a confirmed record: a new record (SOURCE_CORRECTION,
 * corrects_id, the difference in minutes, confirmed at once) makes the
 * service count new_total minutes; reason required. A longer service must
 * not overlap another. Event corrected on the record, audited. Own transaction.
 */
int record_correct(struct db *db, const struct actor *who, int64_t id, int64_t new_total, const char *reason,
		   struct field_errors *errs, int64_t *correction_id);

/*
 * The member asks for the correction of a confirmed record, with a reason and
 * the minutes it should count (-1: not about minutes; else a change, or
 * RECORD_INVALID in errs). One request waits at a time (RECORD_ASKED). Own transaction.
 */
int record_ask(struct db *db, const struct actor *who, int64_t record_id, const char *reason, int64_t minutes,
	       struct field_errors *errs, int64_t *request_id);
/*
 * Staff answer a request: accept makes the correction (new_total, or the
 * minutes the member asked for when new_total is -1) with the answer as its
 * reason; decline needs an answer. Own transaction.
 */
int record_answer(struct db *db, const struct actor *who, int64_t request_id, bool accept, int64_t new_total,
		  const char *answer, struct field_errors *errs, int64_t *correction_id);

struct record {
	int64_t id, member_id, item_id, activity_id, post_id, corrects_id;
	int64_t origin_id; /* the need or the wish of source "need", "wish"; else 0 */
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char category[12];
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char source[12];
	int64_t started_at, minutes;
	char place[TEXT_BYTES(RECORD_PLACE_MAX)];
	char content[TEXT_BYTES(RECORD_CONTENT_MAX)];
	char state[12]; /* pending, confirmed, rejected, withdrawn */
	char reason[TEXT_BYTES(RECORD_REASON_MAX + RECORD_GRANTED_EXTRA)];
	int64_t created_at, decided_at;
	size_t nphotos;
	/* Who the member is now: their account (0: none) and unit (0: none), for who may see the record. */
	int64_t member_account_id, member_unit_id;
	char item_code[TEXT_BYTES(CATALOG_CODE_MAX)];
	char community_name[REGION_TEXT];
	char activity_title[TEXT_BYTES(RECORD_TITLE_MAX)];
	char post_name[TEXT_BYTES(RECORD_TITLE_MAX)];
	int64_t total_minutes; /* with its confirmed corrections */
	int64_t ncorrections;
	int64_t open_request_id; /* a request waiting for an answer, 0: none */
};

int record_get(struct db *db, int64_t id, struct record *out);

struct record_value {
	char name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char value[TEXT_BYTES(RECORD_VALUE_MAX)];
};
/* The record's extra fields, in its item's order. *items: caller frees. */
int record_values(struct db *db, int64_t id, struct record_value **items, size_t *n);

struct record_event {
	int64_t at, account_id;
	char by[TEXT_BYTES(64)]; /* the account's name, "" for the command line */
	char event[16]; /* create, minutes, confirm, reject, withdraw, photo, photo_remove, corrected, ask, accept, decline */
	char note[TEXT_BYTES(RECORD_REASON_MAX + 60)];
};
/* The record's timeline, oldest first. *items: caller frees. */
int record_events(struct db *db, int64_t id, struct record_event **items, size_t *n);

/* What a list of records holds. */
struct record_filter {
	const char *community; /* a region code: records of the communities under it */
	const char *state;
	const char *source;
	int64_t activity_id, post_id, team_id, member_id, corrects_id;
	int64_t from, to; /* started in [from, to); 0: open */
	int64_t after; /* the last record of the page before (keyset); 0: from page */
	int64_t page, per_page;
};
/*
 * One page of the records in scope (community under one of its paths, or the
 * member's unit one of its units), filtered: the pending queue oldest first,
 * any other list newest first. *total counts up to RECORD_COUNT_CAP + 1 (more
 * shows as "10000+"). *items: caller frees.
 */
int record_list(struct db *db, const struct scope *scope, const struct record_filter *f, struct record **items,
		size_t *n, int64_t *total);

/* A member's service in numbers, for their file. */
struct record_summary {
	int64_t total, pending, confirmed, confirmed_minutes; /* minutes with their corrections */
};
int record_summary(struct db *db, int64_t member_id, struct record_summary *out);

struct record_request {
	int64_t id, record_id, member_id;
	char member_name[TEXT_BYTES(MEMBER_NAME_MAX)];
	char reason[TEXT_BYTES(RECORD_REASON_MAX)];
	int64_t minutes; /* what the member says it should be; -1: not about minutes */
	char state[12]; /* asked, accepted, declined */
	char answer[TEXT_BYTES(RECORD_REASON_MAX)];
	int64_t correction_id;
	int64_t created_at, decided_at;
	char community_code[24];
	char community_path[PATH_MAX_LEN];
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	int64_t record_started_at, record_total;
};
int record_request_get(struct db *db, int64_t id, struct record_request *out);

struct request_filter {
	const char *state;
	const char *community;
	int64_t record_id, member_id;
	int64_t page, per_page;
};
/* Requests of records in scope, oldest first (waiting ones: the queue). *items: caller frees. */
int record_request_list(struct db *db, const struct scope *scope, const struct request_filter *f,
			struct record_request **items, size_t *n, int64_t *total);

#endif
