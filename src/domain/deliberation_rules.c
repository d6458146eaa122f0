/* deliberation_rules.c: thresholds and quorum of a deliberation counted in exact integers, and its outcome */
#include "domain/deliberation_rules.h"

#include <stddef.h>

const char *const delib_bases[] = { "households", "area", "both", NULL };
const char *const delib_outcomes[] = { "open", "passed", "failed", NULL };

bool delib_fraction_valid(const struct delib_fraction *f, bool zero_ok)
{
	if (f->den < 1 || f->den > DELIB_DEN_MAX || f->num < 0 || f->num > f->den)
		return false;
	return f->num > 0 || zero_ok;
}

/*
 * part·den against num·whole: den ≤ 100 and counts stay below 2^52 (area
 * in 0.01 m² of a 小区 is far below), so neither product overflows.
 */
bool delib_meets(const struct delib_fraction *f, int64_t part, int64_t whole)
{
	if (f->num == 0 && !f->strict)
		return true;
	if (whole <= 0)
		return false;
	return f->strict ? part * f->den > f->num * whole : part * f->den >= f->num * whole;
}

int64_t delib_needed(const struct delib_fraction *f, int64_t whole)
{
	if (whole <= 0 || f->den <= 0)
		return 0;
	int64_t p = f->num * whole, k = p / f->den;

	if (f->strict || k * f->den < p)
		k++;
	return k > whole ? whole + 1 : k; /* whole + 1: out of reach (strict 1/1) */
}

static bool on_households(const struct delib_rule *r)
{
	return r->basis == DELIB_HOUSEHOLDS || r->basis == DELIB_BOTH;
}

static bool on_area(const struct delib_rule *r)
{
	return r->basis == DELIB_AREA || r->basis == DELIB_BOTH;
}

bool delib_quorum_met(const struct delib_rule *r, const struct delib_tally *t)
{
	if (r->quorum.num == 0)
		return true;
	if (on_households(r) && !delib_meets(&r->quorum, t->voted, t->households))
		return false;
	if (on_area(r) && !delib_meets(&r->quorum, t->voted_area, t->area))
		return false;
	return true;
}

bool delib_threshold_met(const struct delib_rule *r, const struct delib_tally *t)
{
	const int64_t hh = r->of_voting ? t->voted : t->households, area = r->of_voting ? t->voted_area : t->area;

	if (on_households(r) && !delib_meets(&r->threshold, t->agree, hh))
		return false;
	if (on_area(r) && !delib_meets(&r->threshold, t->agree_area, area))
		return false;
	return true;
}

enum delib_outcome delib_outcome_of(const struct delib_rule *r, const struct delib_tally *t, bool final)
{
	if (delib_quorum_met(r, t) && delib_threshold_met(r, t))
		return DELIB_PASSED;
	return final ? DELIB_FAILED : DELIB_OPEN;
}
