/* test_deliberation_rules.c: thresholds of households, of area and of both, quorum, boundaries, unknown areas, ties */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/deliberation_rules.h"

static const struct delib_fraction TWO_THIRDS = { 2, 3, false }, HALF = { 1, 2, false }, MORE_THAN_HALF = { 1, 2, true },
				   NONE = { 0, 1, false };

static struct delib_rule rule(enum delib_basis b, struct delib_fraction th)
{
	return (struct delib_rule){ .basis = b, .threshold = th, .quorum = NONE };
}

static void needed_is_the_ceiling(void **state)
{
	(void)state;
	/* 前进四路80号: two thirds of 130 households is 86.67, so 87. */
	assert_int_equal(delib_needed(&TWO_THIRDS, 130), 87);
	assert_int_equal(delib_needed(&TWO_THIRDS, 129), 86); /* exactly 86 */
	assert_int_equal(delib_needed(&HALF, 130), 65);
	assert_int_equal(delib_needed(&MORE_THAN_HALF, 130), 66);
	assert_int_equal(delib_needed(&MORE_THAN_HALF, 131), 66);
	assert_int_equal(delib_needed(&TWO_THIRDS, 0), 0);
	struct delib_fraction all = { 1, 1, false }, beyond = { 1, 1, true };
	assert_int_equal(delib_needed(&all, 10), 10);
	assert_int_equal(delib_needed(&beyond, 10), 11); /* out of reach */
	assert_false(delib_meets(&beyond, 10, 10));
}

static void households_exactly_two_thirds_and_one_short(void **state)
{
	struct delib_rule r = rule(DELIB_HOUSEHOLDS, TWO_THIRDS);
	struct delib_tally t = { .households = 130, .voted = 100, .agree = 87 };

	(void)state;
	assert_true(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, false), DELIB_PASSED);
	t.agree = 86;
	assert_false(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, false), DELIB_OPEN);
	assert_int_equal(delib_outcome_of(&r, &t, true), DELIB_FAILED);
	/* 129 households: 86 is exactly two thirds, and "以上" includes it; strict does not. */
	t = (struct delib_tally){ .households = 129, .voted = 129, .agree = 86 };
	assert_true(delib_threshold_met(&r, &t));
	r.threshold.strict = true;
	assert_false(delib_threshold_met(&r, &t));
	t.agree = 87;
	assert_true(delib_threshold_met(&r, &t));
}

static void area_share(void **state)
{
	struct delib_rule r = rule(DELIB_AREA, TWO_THIRDS);
	/* 3 flats of 90.00, 90.00, 120.00 m²: 300 m² in all; two thirds is 200 m². */
	struct delib_tally t = { .households = 3, .area = 30000, .voted = 2, .voted_area = 21000, .agree = 2,
				 .agree_area = 21000 };

	(void)state;
	assert_true(delib_threshold_met(&r, &t));
	t.agree_area = 20000; /* exactly two thirds */
	assert_true(delib_threshold_met(&r, &t));
	t.agree_area = 19999; /* one hundredth of a m² short */
	assert_false(delib_threshold_met(&r, &t));
	/* Households would not matter: 1 of 3 agreeing with the big flats is enough by area alone. */
	t = (struct delib_tally){ .households = 3, .area = 30000, .voted = 1, .voted_area = 21000, .agree = 1,
				  .agree_area = 21000 };
	assert_true(delib_threshold_met(&r, &t));
}

static void both_need_each(void **state)
{
	struct delib_rule r = rule(DELIB_BOTH, TWO_THIRDS);
	struct delib_tally t = { .households = 3, .area = 30000, .voted = 2, .voted_area = 21000, .agree = 2,
				 .agree_area = 21000 };

	(void)state;
	assert_true(delib_threshold_met(&r, &t));
	t.agree = 1; /* area met, households not */
	assert_false(delib_threshold_met(&r, &t));
	t.agree = 2;
	t.agree_area = 18000; /* households met, area not */
	assert_false(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, true), DELIB_FAILED);
}

static void households_with_no_area(void **state)
{
	struct delib_rule r = rule(DELIB_AREA, HALF);
	/* 4 households, one without a known area: it weighs nothing on either side. */
	struct delib_tally t = { .households = 4, .area = 30000, .area_missing = 1, .voted = 3, .voted_area = 15000,
				 .agree = 3, .agree_area = 15000 };

	(void)state;
	assert_true(delib_threshold_met(&r, &t));
	t.agree_area = 14999;
	assert_false(delib_threshold_met(&r, &t));
	/* No area known at all: an area share can never be met; households alone still can. */
	t = (struct delib_tally){ .households = 2, .area = 0, .area_missing = 2, .voted = 2, .agree = 2 };
	assert_false(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, true), DELIB_FAILED);
	r.basis = DELIB_HOUSEHOLDS;
	assert_true(delib_threshold_met(&r, &t));
	r.basis = DELIB_BOTH;
	assert_false(delib_threshold_met(&r, &t));
}

static void ties(void **state)
{
	struct delib_rule r = rule(DELIB_HOUSEHOLDS, HALF);
	/* 10 households, 5 agree, 5 disagree. */
	struct delib_tally t = { .households = 10, .voted = 10, .agree = 5 };

	(void)state;
	assert_true(delib_threshold_met(&r, &t)); /* half 以上: a tie carries */
	r.threshold = MORE_THAN_HALF;
	assert_false(delib_threshold_met(&r, &t)); /* 过半数: a tie does not */
	assert_int_equal(delib_outcome_of(&r, &t, true), DELIB_FAILED);
	t.agree = 6;
	assert_true(delib_threshold_met(&r, &t));
}

static void quorum_and_share_of_voters(void **state)
{
	/* 民法典 art. 278 shape: two thirds take part, three quarters of them agree. */
	struct delib_rule r = { .basis = DELIB_HOUSEHOLDS, .threshold = { 3, 4, false }, .of_voting = true,
				.quorum = TWO_THIRDS };
	struct delib_tally t = { .households = 130, .voted = 87, .agree = 66 };

	(void)state;
	/* 87 of 130 voted (quorum met); 3/4 of 87 = 65.25 → 66 agree. */
	assert_true(delib_quorum_met(&r, &t));
	assert_true(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, false), DELIB_PASSED);
	t.agree = 65;
	assert_false(delib_threshold_met(&r, &t));
	t = (struct delib_tally){ .households = 130, .voted = 86, .agree = 86 }; /* all who voted agree, one short of quorum */
	assert_false(delib_quorum_met(&r, &t));
	assert_true(delib_threshold_met(&r, &t));
	assert_int_equal(delib_outcome_of(&r, &t, false), DELIB_OPEN);
	assert_int_equal(delib_outcome_of(&r, &t, true), DELIB_FAILED);
	/* Nobody voted: a share of voters is never met. */
	t = (struct delib_tally){ .households = 130 };
	r.quorum = NONE;
	assert_true(delib_quorum_met(&r, &t));
	assert_false(delib_threshold_met(&r, &t));
}

static void fractions_checked(void **state)
{
	(void)state;
	assert_true(delib_fraction_valid(&TWO_THIRDS, false));
	assert_false(delib_fraction_valid(&NONE, false));
	assert_true(delib_fraction_valid(&NONE, true));
	struct delib_fraction bad[] = { { 3, 2, false }, { 1, 0, false }, { -1, 3, false }, { 1, 101, false } };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(delib_fraction_valid(&bad[i], true));
	struct delib_fraction top = { 100, 100, false };
	assert_true(delib_fraction_valid(&top, false));
	/* Big areas do not overflow: 10^12 hundredths of a m² (10^8 m²). */
	assert_true(delib_meets(&TWO_THIRDS, 666666666667, 1000000000000));
	assert_false(delib_meets(&TWO_THIRDS, 666666666666, 1000000000000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(needed_is_the_ceiling),
		cmocka_unit_test(households_exactly_two_thirds_and_one_short),
		cmocka_unit_test(area_share),
		cmocka_unit_test(both_need_each),
		cmocka_unit_test(households_with_no_area),
		cmocka_unit_test(ties),
		cmocka_unit_test(quorum_and_share_of_voters),
		cmocka_unit_test(fractions_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
