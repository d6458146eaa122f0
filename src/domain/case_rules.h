/* case_rules.h: the pure rules of a case (问题/诉求): its states and steps, who may take each, the SLA in working days */
#ifndef DOMAIN_CASE_RULES_H
#define DOMAIN_CASE_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * States (docs/cases.md): reported → accepted | refused (a reason) →
 * assigned → in_progress → resolved → follow_up (回访) → closed; resolved,
 * follow_up (and, by staff, closed) → assigned again when reopened with a
 * reason; an open case → merged into another (its duplicate's survivor).
 */
enum case_step {
	CASE_ACCEPT, /* reported → accepted (staff: triage; the expected date is set) */
	CASE_REFUSE, /* reported → refused (staff, a reason the reporter is told) */
	CASE_ASSIGN, /* accepted, assigned, in_progress → assigned (staff: to a responsible party; again to another) */
	CASE_UPDATE, /* assigned, in_progress → in_progress (staff: a note and photos the reporter sees) */
	CASE_RESOLVE, /* assigned, in_progress → resolved (staff: what was done; a record to the members who did it) */
	CASE_FOLLOW_UP, /* resolved → follow_up (staff: 回访 begun, by phone or a visit) */
	CASE_RATE, /* resolved, follow_up → closed (the reporter says it is solved and rates it 1–5; or staff for them) */
	CASE_REOPEN, /* resolved, follow_up → assigned (the reporter, at most CASE_REOPENS_BY_REPORTER times; staff);
			closed → assigned (staff only) */
	CASE_EXPIRE, /* resolved, follow_up → closed (the system: no answer CASE_FOLLOW_UP_DAYS days on) */
	CASE_MERGE, /* reported, accepted, assigned, in_progress → merged (staff: a duplicate of another open case) */
	CASE_STEP_COUNT,
};
extern const char *const case_steps[]; /* "accept", …, "merge", NULL; and case_states: */
extern const char *const case_states[]; /* "reported", …, "merged", NULL */
enum { CASE_STATES = 9 };

/* Who takes a step. */
enum case_by { CASE_BY_STAFF, CASE_BY_REPORTER, CASE_BY_SYSTEM };

enum { CASE_REOPENS_BY_REPORTER = 2, CASE_FOLLOW_UP_DAYS = 7, CASE_TRIAGE_WORKDAYS = 1, CASE_URGENT_WORKDAYS = 1 };

enum case_verdict {
	CASE_RULE_OK = 0,
	CASE_RULE_STATE = 1, /* not from this state */
	CASE_RULE_WHO = 2, /* not by this one */
	CASE_RULE_REOPENS = 3, /* the reporter has reopened it CASE_REOPENS_BY_REPORTER times: staff decide now */
};

/*
 * Whether by may take step on a case in state, which its reporter has
 * reopened reopens times; *to (may be NULL): the state it reaches.
 */
enum case_verdict case_may(const char *state, enum case_step step, enum case_by by, int reopens, const char **to);
/* Whether a case in state is still being dealt with (reported … in_progress): it can be merged, it has an SLA. */
bool case_is_open(const char *state);
/* Whether a case in state is finished for the reporter's side (refused, closed, merged). */
bool case_is_final(const char *state);

/*
 * Whether duplicate dup (in dup_state) may be merged into survivor (in
 * surv_state): not itself, both open, in the same community.
 */
bool case_merge_ok(int64_t dup, const char *dup_state, int64_t survivor, const char *surv_state, bool same_community);

/*
 * The working calendar: days off that would be working days (法定节假日,
 * holidays) and weekend days worked instead (调休上班, workdays), each
 * YYYY-MM-DD; borrowed arrays.
 */
struct case_calendar {
	const char (*holidays)[11];
	size_t nholidays;
	const char (*workdays)[11];
	size_t nworkdays;
};

/* Whether day (YYYY-MM-DD) is a working day: a listed workday; else Monday–Friday and not a listed holiday. */
bool case_is_workday(const struct case_calendar *cal, const char *day);
/* The n-th working day after day (n ≥ 0; 0: day itself), into out; "" when day is not a date. */
void case_add_workdays(const struct case_calendar *cal, const char *day, int n, char out[11]);

/*
 * When a case accepted (or reported) at t must be resolved (triaged): the end
 * (24:00 China time) of the workdays-th working day after t's day. 0 when t's
 * day cannot be read.
 */
int64_t case_due_at(const struct case_calendar *cal, int64_t t, int workdays);
/* The working days of a category's SLA for a priority ("urgent": CASE_URGENT_WORKDAYS, else the category's). */
int case_sla_workdays(int category_days, const char *priority);

/*
 * A case's clock at now: "overdue" past due_at, "soon" when due_at falls on
 * today or the next working day, else "ok"; NULL when state has no clock
 * (resolved and after) or due_at is 0.
 */
const char *case_sla(const struct case_calendar *cal, const char *state, int64_t due_at, int64_t now);
/* Whether a case in state, last resolved or followed up at since, closes unanswered at now. */
bool case_follow_up_lapsed(const char *state, int64_t since, int64_t now);

#endif
