/* deliberation_rules.h: the pure rules of a residents' deliberation (居民议事): thresholds, quorum and outcome in exact fractions */
#ifndef DOMAIN_DELIBERATION_RULES_H
#define DOMAIN_DELIBERATION_RULES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What a threshold counts: households (户数), floor area (建筑面积), or both
 * at once (each must be met, as 民法典 art. 278 asks of owners' decisions).
 */
enum delib_basis { DELIB_HOUSEHOLDS, DELIB_AREA, DELIB_BOTH, DELIB_BASIS_COUNT };
extern const char *const delib_bases[]; /* "households", "area", "both", NULL */

/* Bounds of a fraction's denominator: 1/2, 2/3, 3/4, 51/100 … */
enum { DELIB_DEN_MAX = 100 };

/*
 * A share num/den of a whole. strict: more than (超过, 过半数) rather than at
 * least (以上, 含本数). No floating point anywhere: a count k meets the share
 * of a whole w when k·den ≥ num·w (strict: >).
 */
struct delib_fraction {
	int64_t num, den;
	bool strict;
};

/*
 * A deliberation's rule: the share of the agreeing option it needs, of all
 * households covered (of_voting false) or of those who voted (of_voting
 * true); and a quorum, the share of all covered that must have voted (num 0:
 * none). Quorum and threshold count by the same basis.
 */
struct delib_rule {
	enum delib_basis basis;
	struct delib_fraction threshold;
	bool of_voting;
	struct delib_fraction quorum;
};

/*
 * The live count. Area is in hundredths of a square metre (0.01 m²), so a
 * flat of 89.37 m² is 8937; a household whose area is not known weighs 0 on
 * both sides of every area share and is counted in area_missing.
 */
struct delib_tally {
	int64_t households, area, area_missing; /* covered */
	int64_t voted, voted_area;              /* any option, abstain included */
	int64_t agree, agree_area;              /* the first option: the proposal */
};

enum delib_outcome { DELIB_OPEN, DELIB_PASSED, DELIB_FAILED };
extern const char *const delib_outcomes[]; /* "open", "passed", "failed", NULL */

/* Whether the fraction is well formed: 0 < den ≤ DELIB_DEN_MAX, 0 ≤ num ≤ den (num 0 only where allowed). */
bool delib_fraction_valid(const struct delib_fraction *f, bool zero_ok);

/* Whether part meets f of whole (whole 0: never, unless f is 0/den and not strict). */
bool delib_meets(const struct delib_fraction *f, int64_t part, int64_t whole);

/* The fewest of whole that meet f: ⌈num·whole/den⌉ (one more when strict and it divides exactly). */
int64_t delib_needed(const struct delib_fraction *f, int64_t whole);

/* Whether the quorum is met, whether the threshold is met, on every basis the rule counts. */
bool delib_quorum_met(const struct delib_rule *r, const struct delib_tally *t);
bool delib_threshold_met(const struct delib_rule *r, const struct delib_tally *t);

/*
 * The outcome: passed when quorum and threshold are met (before the end a
 * "so far": votes may still change); failed when final and not; open
 * otherwise. final: the deadline is past or the deliberation closed.
 */
enum delib_outcome delib_outcome_of(const struct delib_rule *r, const struct delib_tally *t, bool final);

#endif
