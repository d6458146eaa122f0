/* test_duty_swap.c: the rules of duty swaps and gifts (started or past shifts, clashes, community), and the calendar they rest on */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/duty.h"

#define H 3600
/* 2026-12-07 00:00 China time, a Monday. */
static const int64_t MON = 1796572800;

static struct duty_slot slot(int day, int from_h, int to_h)
{
	return (struct duty_slot){ MON + day * 86400 + from_h * H, MON + day * 86400 + to_h * H };
}

/* A swap of asker 1's Tuesday 8–12 for member 2's Wednesday 8–12, both of the community, nobody busy otherwise. */
static struct duty_swap_case plain(void)
{
	return (struct duty_swap_case){ .asker_id = 1, .other_id = 2, .asker_in_community = true,
					.other_in_community = true, .mine = slot(1, 8, 12), .theirs = slot(2, 8, 12),
					.same_community = true };
}

static void calendar_days_in_china_time(void **state)
{
	int64_t t;

	(void)state;
	assert_true(duty_day_start("2026-12-07", &t));
	assert_int_equal(t, MON);
	assert_int_equal(duty_weekday("2026-12-07"), 1);
	assert_int_equal(duty_weekday("2026-12-13"), 7);
	assert_int_equal(duty_weekday("2024-02-29"), 4);
	assert_int_equal(duty_weekday("1970-01-01"), 4);
	assert_int_equal(duty_weekday("2026-02-29"), 0);
	assert_int_equal(duty_weekday("2026-1-07"), 0);
	assert_false(duty_day_start("2026-13-01", &t));
	assert_false(duty_day_start("", &t));
	char out[11];
	duty_day_add("2026-12-28", 6, out);
	assert_string_equal(out, "2027-01-03");
	duty_day_add("2024-03-01", -1, out);
	assert_string_equal(out, "2024-02-29");
	duty_day_add("2026-12-07", 0, out);
	assert_string_equal(out, "2026-12-07");
}

static void overlapping_slots(void **state)
{
	struct duty_slot a = slot(0, 8, 12), b = slot(0, 12, 16), c = slot(0, 11, 13), night = slot(0, 22, 30);
	struct duty_slot morning = slot(1, 5, 7);

	(void)state;
	assert_false(duty_overlap(&a, &b)); /* end to end: no clash */
	assert_true(duty_overlap(&a, &c));
	assert_true(duty_overlap(&c, &b));
	assert_true(duty_overlap(&night, &morning)); /* a night shift reaches into the next morning */
	assert_true(duty_overlap(&a, &a));
}

static void a_clean_swap_and_a_gift_pass(void **state)
{
	struct duty_swap_case c = plain();

	(void)state;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OK);
	c.give = true;
	c.theirs = (struct duty_slot){ 0, 0 };
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OK);
	assert_string_equal(duty_swap_verdicts[SWAP_OTHER_CLASH], "other_clash");
}

static void started_or_past_shifts_cannot_be_swapped(void **state)
{
	struct duty_swap_case c = plain();

	(void)state;
	assert_int_equal(duty_swap_check(&c, MON + 86400 + 8 * H - 1), SWAP_OK); /* a second before mine starts */
	assert_int_equal(duty_swap_check(&c, MON + 86400 + 8 * H), SWAP_STARTED); /* mine has begun */
	assert_int_equal(duty_swap_check(&c, MON + 5 * 86400), SWAP_STARTED); /* both are past */
	c.mine = slot(3, 8, 12); /* mine later, theirs (Wednesday) has begun */
	assert_int_equal(duty_swap_check(&c, MON + 2 * 86400 + 9 * H), SWAP_STARTED);
	c.give = true; /* a gift does not care about a shift it does not take */
	assert_int_equal(duty_swap_check(&c, MON + 2 * 86400 + 9 * H), SWAP_OK);
}

static void nobody_swaps_into_a_time_they_have_already(void **state)
{
	struct duty_swap_case c = plain();
	struct duty_slot asker_busy[] = { slot(2, 11, 13) }, other_busy[] = { slot(5, 8, 12), slot(1, 10, 11) };

	(void)state;
	c.asker_busy = asker_busy;
	c.n_asker_busy = 1;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_ASKER_CLASH);
	c.give = true; /* giving takes nothing: the asker's other shifts do not matter */
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OK);
	c.give = false;
	c.n_asker_busy = 0;
	c.other_busy = other_busy;
	c.n_other_busy = 1;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OK); /* Saturday is no clash */
	c.n_other_busy = 2;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OTHER_CLASH);
	c.give = true;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OTHER_CLASH);
	/* Already on my very shift: the same time. */
	struct duty_slot same[] = { slot(1, 8, 12) };
	c.other_busy = same;
	c.n_other_busy = 1;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_OTHER_CLASH);
}

static void both_must_be_of_the_community(void **state)
{
	struct duty_swap_case c = plain();

	(void)state;
	c.other_in_community = false;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_NOT_MEMBER);
	c = plain();
	c.asker_in_community = false;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_NOT_MEMBER);
	c = plain();
	c.same_community = false; /* two communities' shifts */
	assert_int_equal(duty_swap_check(&c, MON), SWAP_NOT_MEMBER);
	c = plain();
	c.other_id = 1;
	assert_int_equal(duty_swap_check(&c, MON), SWAP_SELF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(calendar_days_in_china_time),
		cmocka_unit_test(overlapping_slots),
		cmocka_unit_test(a_clean_swap_and_a_gift_pass),
		cmocka_unit_test(started_or_past_shifts_cannot_be_swapped),
		cmocka_unit_test(nobody_swaps_into_a_time_they_have_already),
		cmocka_unit_test(both_must_be_of_the_community),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
