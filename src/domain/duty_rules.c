/* duty_rules.c: the pure rules of duty rosters: calendar days in China time, overlapping shifts, who may swap what */
#include <string.h>

#include "base/clock.h"
#include "base/valid.h"
#include "domain/duty.h"

const char *const duty_swap_verdicts[] = { "ok", "self", "started", "not_member", "asker_clash", "other_clash", NULL };

/* Days since 1970-01-01 of y-m-d by the civil calendar. */
static int64_t days_of(int y, int m, int d)
{
	const int64_t yy = m <= 2 ? y - 1 : y, era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1, doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static bool days_of_text(const char *day, int64_t *out)
{
	int y, m, d;

	if (!day || strlen(day) != 10 || !date_split(day, &y, &m, &d) || !valid_ymd(y, m, d))
		return false;
	*out = days_of(y, m, d);
	return true;
}

bool duty_day_start(const char *day, int64_t *out)
{
	int64_t days;

	if (!days_of_text(day, &days))
		return false;
	*out = days * 86400 - 8 * 3600;
	return true;
}

int duty_weekday(const char *day)
{
	int64_t days;

	if (!days_of_text(day, &days))
		return 0;
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((days % 7) + 7 + 3) % 7) + 1;
}

void duty_day_add(const char *day, int n, char out[11])
{
	int64_t start;

	if (!duty_day_start(day, &start)) {
		out[0] = '\0';
		return;
	}
	clock_date(start + (int64_t)n * 86400 + 12 * 3600, out);
}

bool duty_overlap(const struct duty_slot *a, const struct duty_slot *b)
{
	return a->starts_at < b->ends_at && b->starts_at < a->ends_at;
}

static bool clashes(const struct duty_slot *busy, size_t n, const struct duty_slot *s)
{
	for (size_t i = 0; i < n; i++)
		if (duty_overlap(&busy[i], s))
			return true;
	return false;
}

enum duty_swap_verdict duty_swap_check(const struct duty_swap_case *c, int64_t now)
{
	if (c->asker_id == c->other_id)
		return SWAP_SELF;
	if (c->mine.starts_at <= now || (!c->give && c->theirs.starts_at <= now))
		return SWAP_STARTED;
	if (!c->asker_in_community || !c->other_in_community || !c->same_community)
		return SWAP_NOT_MEMBER;
	if (!c->give && clashes(c->asker_busy, c->n_asker_busy, &c->theirs))
		return SWAP_ASKER_CLASH;
	if (clashes(c->other_busy, c->n_other_busy, &c->mine))
		return SWAP_OTHER_CLASH;
	return SWAP_OK;
}
