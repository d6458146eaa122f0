/* case.h: cases (问题/诉求): reported, triaged, assigned, worked on, resolved, followed up and rated, reopened, merged */
#ifndef DOMAIN_CASE_H
#define DOMAIN_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json_spec.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"
#include "domain/case_rules.h"
#include "domain/region.h"

/* The longest texts of a case, in characters; the minutes a member's work on it may count; workers per case. */
enum { CASE_TITLE_MAX = 40, CASE_TEXT_MAX = 500, CASE_PLACE_MAX = 50, CASE_NAME_MAX = 20, CASE_REASON_MAX = 200,
       CASE_COMMENT_MAX = 200, CASE_PARTY_MAX = 100, CASE_MINUTES_MAX = 1440, CASE_WORKERS_MAX = 20,
       CASE_CATEGORY_NAME_MAX = 20, CASE_CALENDAR_MAX = 400 /* listed days read */ };

enum case_rc {
	CASE_OK = 0,
	CASE_ERROR = -1,
	CASE_NOT_FOUND = -2,
	CASE_BAD_STATE = -3, /* not from its state now (someone else moved it first) */
	CASE_FORBIDDEN = -4, /* not by this one (case_may: CASE_RULE_WHO) */
	CASE_REOPENS = -5, /* the reporter has reopened it twice: staff decide now */
	CASE_INVALID = -6, /* faults in the caller's field_errors (a worker, a record, the survivor of a merge) */
};

/* A new case; strings borrowed, checked by the caller (the API's spec) except where said. */
struct case_input {
	const char *community_code, *category_code;
	const char *title, *description, *building_code, *place; /* building_code: NULL or one of the community's */
	int point_x, point_y; /* on the community's map, 0..1000 ‰; -1 when not given */
	const char *priority; /* "normal", "urgent" */
	bool private_; /* kept off the public list */
	const char *channel; /* "self", "walk", "visit", "phone", "need" */
	int64_t reporter_account_id; /* 0 when none */
	const char *contact_name, *contact_phone;
	int64_t need_id; /* converted from this need (channel "need"), or 0 */
};

/* Who is responsible: a member, a team, a unit (by id), a property company or a department (by name). */
struct case_party {
	const char *kind; /* "member", "team", "unit", "property", "department" */
	int64_t member_id, team_id, unit_id;
	const char *name; /* the name to show: given by the caller, or the member's, team's, unit's */
};

struct case_file {
	int64_t id;
	char community_code[24];
	char community_name[REGION_TEXT];
	char community_path[PATH_MAX_LEN];
	char category_code[16];
	char category_name[TEXT_BYTES(CASE_CATEGORY_NAME_MAX)];
	int sla_days;
	char title[TEXT_BYTES(CASE_TITLE_MAX)];
	char description[TEXT_BYTES(CASE_TEXT_MAX)];
	char building_code[24];
	char building_name[REGION_TEXT];
	char place_path[PATH_MAX_LEN]; /* the building's path, or the community's */
	char place[TEXT_BYTES(CASE_PLACE_MAX)];
	int point_x, point_y; /* -1 when none */
	char priority[8];
	bool private_;
	char channel[8];
	int64_t reporter_account_id;
	char contact_name[TEXT_BYTES(CASE_NAME_MAX)];
	char contact_phone[24];
	int64_t need_id;
	char state[12];
	char state_reason[TEXT_BYTES(CASE_REASON_MAX)];
	char party_kind[12]; /* "" when nobody is responsible yet */
	int64_t party_member_id, party_team_id, party_unit_id;
	char party_name[TEXT_BYTES(CASE_PARTY_MAX)];
	int64_t due_at, accepted_at, assigned_at, resolved_at, follow_up_at, closed_at; /* 0 when not */
	char resolution[TEXT_BYTES(CASE_TEXT_MAX)];
	int rating; /* 0 when not rated */
	char rating_comment[TEXT_BYTES(CASE_COMMENT_MAX)];
	int reopens;
	int64_t merged_into, created_by, created_at, updated_at;
};

/* The working calendar as stored (case_calendar); release with case_days_release. */
struct case_days {
	char (*holidays)[11];
	size_t nholidays;
	char (*workdays)[11];
	size_t nworkdays;
	struct case_calendar cal; /* over the arrays above */
};
int case_days_load(struct db *db, struct case_days *out);
void case_days_release(struct case_days *d);
/* Sets day's kind ("holiday", "workday"; NULL: an ordinary day again) with a name, audited (case.calendar). */
int case_days_set(struct db *db, const struct actor *who, const char *day, const char *kind, const char *name);

/* One category and its SLA. */
struct case_category {
	char code[16];
	char name[TEXT_BYTES(CASE_CATEGORY_NAME_MAX)];
	int sla_days;
	char item_code[8];
};
/* Every category in their order (caller frees *items). */
int case_categories(struct db *db, struct case_category **items, size_t *n);
/* Whether code names a category (1), not (0), or -1 on an error. */
int case_category_exists(struct db *db, const char *code);

/* Case id (CASE_NOT_FOUND when there is none). */
int case_get(struct db *db, int64_t id, struct case_file *out);

/*
 * Inserts a reported case (due for triage by the end of the next working
 * day) with its report event and audit case.report, one transaction. A case
 * from a need (in->need_id) must be of the need's community and the need's
 * only one: CASE_INVALID (errs: need_id) otherwise.
 */
int case_report(struct db *db, const struct actor *who, const struct case_input *in, struct field_errors *errs,
		int64_t *id);

/*
 * Each step below is one transaction: a write conditional on the state read
 * (of two at once one wins, the other CASE_BAD_STATE), its event and its
 * audit entry (case.<step>). by says who takes it (case_may decides); who
 * may act on this case at all is the caller's decision.
 */
/* Triage: accepted with its category and priority (NULL: keep them); due_at from the category's SLA. */
int case_accept(struct db *db, const struct actor *who, int64_t id, const char *category_code, const char *priority);
int case_refuse(struct db *db, const struct actor *who, int64_t id, const char *reason);
/* To party p (who it is the caller has checked: a member, team or unit of the case's community or street). */
int case_assign(struct db *db, const struct actor *who, int64_t id, const struct case_party *p);
/* An update with a note the reporter sees (public) or staff only. */
int case_update(struct db *db, const struct actor *who, int64_t id, const char *note, bool public);

/* A member who worked on a case and for how long. */
struct case_worker {
	int64_t member_id;
	int64_t minutes;
};
/*
 * Resolved with what was done (note); each of workers (approved members of
 * the case's community, at most CASE_WORKERS_MAX) gets a confirmed record of
 * source case (once per member and case: a second resolution after a
 * reopening adds only new members). A refused record (an overlap, say):
 * CASE_INVALID with errs, nothing written.
 */
int case_resolve(struct db *db, const struct actor *who, int64_t id, const char *note,
		 const struct case_worker *workers, size_t nworkers, struct field_errors *errs);
int case_follow_up(struct db *db, const struct actor *who, int64_t id, const char *note);
/* The reporter (or staff for them) says it is solved: rating 1..5 and a comment; closed. */
int case_rate(struct db *db, const struct actor *who, enum case_by by, int64_t id, int rating, const char *comment);
/* Not solved after all, a reason: assigned again (the reporter's reopenings counted: CASE_REOPENS after two). */
int case_reopen(struct db *db, const struct actor *who, enum case_by by, int64_t id, const char *reason);
/* Duplicate id merged into survivor (open, same community: CASE_INVALID otherwise); both timelines say so. */
int case_merge(struct db *db, const struct actor *who, int64_t id, int64_t survivor, struct field_errors *errs);
/* Keeps the case off the public list (or puts it back). */
int case_set_private(struct db *db, const struct actor *who, int64_t id, bool private_);
/* Closes every case resolved or followed up CASE_FOLLOW_UP_DAYS days ago and not answered; *count: how many. */
int case_expire_due(struct db *db, const struct actor *who, int64_t now, int64_t *count);

/* One entry of a case's timeline. */
struct case_event {
	int64_t id;
	char kind[12];
	char state[12];
	char note[TEXT_BYTES(CASE_TEXT_MAX)];
	bool public;
	char by[TEXT_BYTES(64)];
	int64_t at;
};
/* Case id's timeline, oldest first; only the public entries when public_only (caller frees *items). */
int case_events(struct db *db, int64_t id, bool public_only, struct case_event **items, size_t *n);

/* A member who worked on a case, as resolved. */
struct case_work {
	int64_t member_id, minutes, record_id;
	char name[TEXT_BYTES(CASE_PARTY_MAX)]; /* the member's (MEMBER_NAME_MAX fits) */
};
int case_workers(struct db *db, int64_t id, struct case_work **items, size_t *n);

/* Which cases a list holds; strings borrowed, NULL or 0 for any. */
struct case_filter {
	const struct scope *scope; /* the staff's queue: communities in scope */
	const char *community, *state, *category, *building, *priority;
	bool open; /* reported … in_progress (when no state is given) */
	bool overdue; /* open and past due_at (at now) */
	bool due_soon; /* open and due by soon_before (not yet overdue) */
	int64_t now, soon_before;
	int64_t reporter_account_id; /* a resident's own */
	bool public_only; /* the public list: not private, not merged, not refused */
};
/*
 * Up to limit cases f selects with id < before (0: from the newest), newest
 * first (keyset: the next page starts before the last id). *more: whether
 * there are others after them. Caller frees *items.
 */
int case_list(struct db *db, const struct case_filter *f, int64_t before, int64_t limit, struct case_file **items,
	      size_t *n, bool *more);
/* How many cases f selects in each state (f's state ignored). */
struct case_count {
	char state[12];
	int64_t count;
};
int case_counts(struct db *db, const struct case_filter *f, struct case_count *out, size_t *n);

#endif
