/* case_rules.c: the pure rules of a case: the state machine, who may take each step, working days, SLA and overdue */
#include "domain/case_rules.h"

#include <string.h>

#include "base/clock.h"
#include "domain/duty.h"

const char *const case_steps[] = { "accept", "refuse", "assign", "update", "resolve", "follow_up",
				   "rate",   "reopen", "expire", "merge",  NULL };
const char *const case_states[] = { "reported", "accepted", "refused",   "assigned", "in_progress",
				    "resolved", "follow_up", "closed", "merged", NULL };

enum { STAFF = 1 << CASE_BY_STAFF, REPORTER = 1 << CASE_BY_REPORTER, SYSTEM = 1 << CASE_BY_SYSTEM };

/* Each step: the states it leaves (NULL-terminated), the state it reaches, who may take it. */
static const struct {
	const char *from[6], *to;
	unsigned by;
} moves[CASE_STEP_COUNT] = {
	[CASE_ACCEPT] = { { "reported" }, "accepted", STAFF },
	[CASE_REFUSE] = { { "reported" }, "refused", STAFF },
	[CASE_ASSIGN] = { { "accepted", "assigned", "in_progress" }, "assigned", STAFF },
	[CASE_UPDATE] = { { "assigned", "in_progress" }, "in_progress", STAFF },
	[CASE_RESOLVE] = { { "assigned", "in_progress" }, "resolved", STAFF },
	[CASE_FOLLOW_UP] = { { "resolved" }, "follow_up", STAFF },
	[CASE_RATE] = { { "resolved", "follow_up" }, "closed", STAFF | REPORTER },
	[CASE_REOPEN] = { { "resolved", "follow_up", "closed" }, "assigned", STAFF | REPORTER },
	[CASE_EXPIRE] = { { "resolved", "follow_up" }, "closed", SYSTEM },
	[CASE_MERGE] = { { "reported", "accepted", "assigned", "in_progress" }, "merged", STAFF },
};

static bool leaves(enum case_step step, const char *state)
{
	for (size_t i = 0; moves[step].from[i]; i++)
		if (!strcmp(state, moves[step].from[i]))
			return true;
	return false;
}

enum case_verdict case_may(const char *state, enum case_step step, enum case_by by, int reopens, const char **to)
{
	if (to)
		*to = NULL;
	if ((unsigned)step >= CASE_STEP_COUNT || !state || !leaves(step, state))
		return CASE_RULE_STATE;
	if (!(moves[step].by & (1u << by)))
		return CASE_RULE_WHO;
	if (step == CASE_REOPEN && by == CASE_BY_REPORTER) {
		if (!strcmp(state, "closed"))
			return CASE_RULE_WHO; /* a closed case is reopened by staff only */
		if (reopens >= CASE_REOPENS_BY_REPORTER)
			return CASE_RULE_REOPENS;
	}
	if (to)
		*to = moves[step].to;
	return CASE_RULE_OK;
}

bool case_is_open(const char *state)
{
	return state && leaves(CASE_MERGE, state);
}

bool case_is_final(const char *state)
{
	return state && (!strcmp(state, "refused") || !strcmp(state, "closed") || !strcmp(state, "merged"));
}

bool case_merge_ok(int64_t dup, const char *dup_state, int64_t survivor, const char *surv_state, bool same_community)
{
	return dup != survivor && same_community && case_is_open(dup_state) && case_is_open(surv_state);
}

static bool listed(const char (*days)[11], size_t n, const char *day)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(days[i], day))
			return true;
	return false;
}

bool case_is_workday(const struct case_calendar *cal, const char *day)
{
	const int wd = duty_weekday(day);

	if (!wd)
		return false;
	if (cal && listed(cal->workdays, cal->nworkdays, day))
		return true;
	if (wd >= 6)
		return false;
	return !(cal && listed(cal->holidays, cal->nholidays, day));
}

void case_add_workdays(const struct case_calendar *cal, const char *day, int n, char out[11])
{
	char d[11];

	if (!duty_weekday(day)) {
		out[0] = '\0';
		return;
	}
	memcpy(d, day, 11);
	/* A year has about 250 working days; a calendar that lists every day as a holiday stops after ten years. */
	for (int steps = 0; n > 0 && steps < 3660; steps++) {
		duty_day_add(d, 1, d);
		if (case_is_workday(cal, d))
			n--;
	}
	memcpy(out, d, 11);
}

int64_t case_due_at(const struct case_calendar *cal, int64_t t, int workdays)
{
	char day[11], due[11];
	int64_t start;

	clock_date(t, day);
	case_add_workdays(cal, day, workdays < 0 ? 0 : workdays, due);
	if (!due[0] || !duty_day_start(due, &start))
		return 0;
	return start + 86400;
}

int case_sla_workdays(int category_days, const char *priority)
{
	if (priority && !strcmp(priority, "urgent") && category_days > CASE_URGENT_WORKDAYS)
		return CASE_URGENT_WORKDAYS;
	return category_days;
}

const char *case_sla(const struct case_calendar *cal, const char *state, int64_t due_at, int64_t now)
{
	char today[11], next[11], due[11];

	if (!due_at || !case_is_open(state))
		return NULL;
	if (now >= due_at)
		return "overdue";
	clock_date(now, today);
	clock_date(due_at - 1, due); /* the last second of the day it is due */
	case_add_workdays(cal, today, 1, next);
	return strcmp(due, next) <= 0 ? "soon" : "ok";
}

bool case_follow_up_lapsed(const char *state, int64_t since, int64_t now)
{
	return case_may(state, CASE_EXPIRE, CASE_BY_SYSTEM, 0, NULL) == CASE_RULE_OK &&
	       now >= since + (int64_t)CASE_FOLLOW_UP_DAYS * 86400;
}
