/* need.h: residents' needs (需求清单): 居民点单 → 社区派单 or 党员接单 → done → confirmed and rated, and their expiry */
#ifndef DOMAIN_NEED_H
#define DOMAIN_NEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/catalog.h"
#include "domain/match.h"
#include "domain/region.h"

/* The longest texts of a need, in characters; the minutes a service may take; days an untaken need stays open. */
enum { NEED_TEXT_MAX = 300, NEED_PLACE_MAX = 50, NEED_NAME_MAX = 20, NEED_REASON_MAX = 200, NEED_COMMENT_MAX = 200,
       NEED_MINUTES_MAX = 1440, NEED_DAYS = 7, NEED_DAYS_URGENT = 2,
       NEED_HOLDER_MAX = 100 /* a unit's name */ };

/* What may happen to a need (need_event.kind, in this order: need_steps). */
enum need_step {
	NEED_ACCEPT, /* submitted → accepted (staff) */
	NEED_REFUSE, /* submitted → refused (staff, a reason) */
	NEED_DISPATCH, /* accepted or dispatched → dispatched (派单: staff, to a member, a team or a unit) */
	NEED_TAKE, /* accepted → taken (接单: a member, a team's leader, a unit's administrator; a race) */
	NEED_ANSWER, /* dispatched → taken (whoever it was dispatched to says yes) */
	NEED_DECLINE, /* dispatched or taken → accepted (its holder says no, a reason) */
	NEED_START, /* taken → in_progress (its holder) */
	NEED_DONE, /* taken or in_progress → done (its holder: a note, the minutes) */
	NEED_CONFIRM, /* done → closed (the resident or staff: a rating 1–5; the member's record, confirmed) */
	NEED_REOPEN, /* done → in_progress (the resident or staff: not done after all, a reason) */
	NEED_EXPIRE, /* submitted or accepted → expired (nobody took it by expires_at) */
	NEED_RENEW, /* expired → accepted (staff: open again for NEED_DAYS) */
	NEED_WITHDRAW, /* submitted, accepted or dispatched → withdrawn (the resident, or staff for them) */
	NEED_CONVERT, /* any open state → converted (staff: answered by a project, its history kept) */
	NEED_STEP_COUNT,
};
extern const char *const need_steps[]; /* "accept", …, "convert", NULL */

/* The state a need in state goes to by step, or NULL when step is not allowed there. */
const char *need_next(const char *state, enum need_step step);
/* Whether a need in state still waits for someone to take it, or is being served (not finished either way). */
bool need_is_open(const char *state);

enum need_rc {
	NEED_OK = 0,
	NEED_ERROR = -1,
	NEED_NOT_FOUND = -2,
	NEED_BAD_STATE = -3, /* the step is not allowed in the need's state now (someone else moved it first) */
	NEED_TAKEN = -4, /* taken by another first: taken_by names them */
	NEED_RATED = -5, /* confirmed and rated already */
	NEED_RECORD = -6, /* the member's record could not be written (errs says why): nothing changed */
	NEED_INVALID = -7, /* faults in the caller's field_errors */
};

/* A new need; strings borrowed, checked by the caller (the API's spec). */
struct need_input {
	const char *community_code;
	int64_t item_id;
	const char *description, *building_code, *place; /* building_code: NULL or one of the community's */
	const char *wanted_on, *wanted_part; /* NULL or YYYY-MM-DD; "any", "morning", "afternoon", "evening" */
	const char *urgency; /* "normal", "urgent" */
	const char *contact_name, *contact_phone;
	const char *channel; /* "self" (the resident), "phone", "visit", "grid" (代录 by staff) */
	int64_t requester_account_id; /* the resident's account, or 0 */
};

/* Who holds (or is to hold) a need: a member, a team (its leader serves), a unit (its administrators answer). */
struct need_holder {
	const char *kind; /* "member", "team", "unit" */
	int64_t member_id, team_id, unit_id, account_id; /* 0 when none */
	const char *name;
};

struct need {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	int64_t item_id;
	char item_name[TEXT_BYTES(CATALOG_NAME_MAX)];
	char specialties[TEXT_BYTES(MEMBER_TAGS_MAX)]; /* the item's wanted specialties */
	char description[TEXT_BYTES(NEED_TEXT_MAX)];
	char building_code[24];
	char building_name[REGION_TEXT];
	char place_path[PATH_MAX_LEN]; /* the building's path, or the community's */
	char place[TEXT_BYTES(NEED_PLACE_MAX)];
	char wanted_on[11];
	char wanted_part[12];
	char urgency[8];
	char contact_name[TEXT_BYTES(NEED_NAME_MAX)];
	char contact_phone[24];
	char channel[8];
	int64_t requester_account_id;
	char state[12];
	char state_reason[TEXT_BYTES(NEED_REASON_MAX)];
	char assignee_kind[8]; /* "" when nobody holds it */
	int64_t assignee_member_id, assignee_team_id, assignee_unit_id, assignee_account_id;
	char assignee_name[TEXT_BYTES(NEED_HOLDER_MAX)];
	char done_note[TEXT_BYTES(NEED_TEXT_MAX)];
	char rating_comment[TEXT_BYTES(NEED_COMMENT_MAX)];
	int64_t minutes, rating; /* 0 when not yet */
	int64_t expires_at, accepted_at, dispatched_at, taken_at, done_at, closed_at;
	int64_t record_id, project_id, created_by, created_at, updated_at;
};

/*
 * When need n should have moved on, as staff are held to it (the queue's
 * colours): accepted within NEED_ACCEPT_HOURS of being posted (urgent:
 * NEED_ACCEPT_HOURS_URGENT), taken within NEED_TAKE_HOURS of being accepted
 * (urgent: NEED_TAKE_HOURS_URGENT), done by the end of the day wanted (or
 * NEED_TAKE_HOURS after being taken). *due 0 when nothing is due (done or
 * finished). Returns "late" past it, "soon" in its last quarter, else "ok"; NULL with *due 0.
 */
enum { NEED_ACCEPT_HOURS = 24, NEED_ACCEPT_HOURS_URGENT = 2, NEED_TAKE_HOURS = 72, NEED_TAKE_HOURS_URGENT = 24 };
const char *need_sla(const struct need *n, int64_t now, int64_t *due);

/* Need id (NEED_NOT_FOUND when there is none). */
int need_get(struct db *db, int64_t id, struct need *out);

/* Inserts the need (expiring NEED_DAYS days on, NEED_DAYS_URGENT if urgent) with its submit event and audit need.create. */
int need_create(struct db *db, const struct actor *who, const struct need_input *in, int64_t *id);
/* The same inside the caller's transaction (a visit's need: visit_list_need), which it leaves open either way. */
int need_insert(struct db *db, const struct actor *who, const struct need_input *in, int64_t *id);

/*
 * The steps without a holder, each in one transaction with its event and its
 * audit entry (need.<step>): accept, refuse, start, withdraw, renew (note:
 * the reason of refuse, withdraw; "" otherwise). Who may take them is the
 * caller's decision; the need's state is checked here, under the write.
 */
int need_step(struct db *db, const struct actor *who, int64_t id, enum need_step step, const char *note);
/* Staff dispatch accepted (or dispatched, to someone else) need id to h. */
int need_dispatch(struct db *db, const struct actor *who, int64_t id, const struct need_holder *h);
/*
 * h takes accepted need id (接单): a conditional UPDATE … WHERE state =
 * 'accepted', so of takers at the same moment exactly one wins. NEED_TAKEN,
 * with the winner's name in taken_by (size bytes), for the others.
 */
int need_take(struct db *db, const struct actor *who, int64_t id, const struct need_holder *h, char *taken_by,
	      size_t size);
/* Whoever need id was dispatched to says yes (the answering account holds it from now on: account_id). */
int need_answer(struct db *db, const struct actor *who, int64_t id, int64_t account_id);
/* Its holder gives it back, a reason: accepted again, for someone else. */
int need_decline(struct db *db, const struct actor *who, int64_t id, const char *reason);
/*
 * Its holder has done it: a note, the minutes it took (1..NEED_MINUTES_MAX),
 * and the extra fields its catalogue item asks of a record (names[i] =
 * values[i]; checked as a record's: NEED_INVALID, errs), kept for the record
 * its confirmation writes. Done again after a reopening replaces them.
 */
int need_done(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t minutes,
	      const char *const *names, const char *const *values, size_t n, struct field_errors *errs);
/*
 * The resident (or staff for them) confirms done need id with a rating 1–5
 * and a comment, in one transaction: the need closes, and the member who
 * served (the team's leader; none for a unit) gets a record of source need,
 * confirmed at once (record_confirm_in: what it earns). NEED_RATED when it
 * was rated already; NEED_RECORD (errs) when the record was refused (the
 * member has another service at that time, say): nothing is written.
 */
int need_confirm(struct db *db, const struct actor *who, int64_t id, int rating, const char *comment,
		 struct field_errors *errs);
/* The resident (or staff) says done need id was not done after all: in progress again, a reason. */
int need_reopen(struct db *db, const struct actor *who, int64_t id, const char *reason);
/* Staff convert open need id into project project_id (of its community): linked to it, its history kept. */
int need_convert(struct db *db, const struct actor *who, int64_t id, int64_t project_id);
/*
 * Expires every need still untaken at now (expires_at passed), in one
 * transaction: an expire event and an audit entry (need.expire) each; its
 * staff see them in the queue's 已过期 count. *count: how many.
 */
int need_expire_due(struct db *db, const struct actor *who, int64_t now, int64_t *count);

/* A member or a team who could take a need, and why (docs/lists.md, Matching). */
enum { NEED_SUGGESTIONS = 10 };
struct need_suggestion {
	int64_t member_id; /* the member, or the team's leader */
	int64_t team_id; /* 0 for a member */
	int64_t account_id; /* who gets the task */
	char name[TEXT_BYTES(NEED_HOLDER_MAX)];
	char home_path[PATH_MAX_LEN]; /* where the member lives, the team's region */
	char specialties[TEXT_BYTES(MEMBER_TAGS_MAX)];
	int open_tasks;
	struct match_score score;
};
/*
 * The best NEED_SUGGESTIONS candidates for need n, best first (ties: fewer
 * open tasks, members before teams, the earlier file); those with too many
 * open tasks left out. *out (caller frees) may hold more than *count.
 */
int need_suggest(struct db *db, const struct need *n, struct need_suggestion **out, size_t *count);

/* Which needs a list holds; strings borrowed, NULL or 0 for any. */
struct need_filter {
	const struct scope *scope; /* the staff's queue: communities in scope */
	const char *community, *state, *urgency;
	int64_t item_id;
	bool open; /* not finished (no state given) */
	int64_t requester_account_id; /* a resident's own */
	int64_t holder_account_id, holder_unit_id; /* a member's tasks: held by the account (or its unit) */
	int64_t partner_unit_id; /* in communities the unit is partner of today (partner_today) */
	const char *partner_today;
};
/* One page of the needs f selects (caller frees *items): the queue urgent first then oldest, others newest first. */
int need_list(struct db *db, const struct need_filter *f, int64_t page, int64_t per_page, struct need **items,
	      size_t *n, int64_t *total);

/* One step in a need's timeline: what happened, the state after it, its note, who (by name), when. */
struct need_event {
	char kind[12];
	char state[12];
	char note[TEXT_BYTES(NEED_REASON_MAX)];
	char by[TEXT_BYTES(64)];
	int64_t at;
};
/* Need id's timeline, oldest first (caller frees *items). */
int need_events(struct db *db, int64_t id, struct need_event **items, size_t *n);

/* How many needs f selects in each state (f's state ignored). */
enum { NEED_STATES = 11 };
struct need_count {
	char state[12];
	int64_t count;
};
int need_counts(struct db *db, const struct need_filter *f, struct need_count *out, size_t *n);

#endif
