/* test_minutes.c: the minutes rule case by case: early, late, leaving early, no check-out, the cap, around midnight */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/minutes.h"

/* 2026-03-07 (a Saturday) 09:00 China time, and minutes after it. */
#define T9 1772845200LL
#define AT(min) (T9 + (int64_t)(min) * 60)

/* The rule for an activity 09:00-11:00 with a cap of cap minutes. */
static struct minutes_result credit(int64_t in, int64_t out, bool until_end, bool on_leave, int64_t cap)
{
	struct minutes_input m = { .starts_at = AT(0), .ends_at = AT(120), .checkin_at = in, .checkout_at = out,
				   .until_end = until_end, .on_leave = on_leave, .cap = cap };
	struct minutes_result r;

	minutes_credit(&m, &r);
	return r;
}

static void arriving_early_counts_from_the_start(void **state)
{
	struct minutes_result r = credit(AT(-25), AT(120), false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_PRESENT);
	assert_int_equal(r.minutes, 120);
	assert_false(r.late);
	assert_false(r.left_early);
}

static void arriving_late_counts_from_arrival(void **state)
{
	struct minutes_result r = credit(AT(25), AT(120), false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_LATE);
	assert_true(r.late);
	assert_int_equal(r.minutes, 95);
	/* Within the grace of ten minutes: not late, but the minutes still count from arrival. */
	r = credit(AT(10), AT(120), false, false, 120);
	assert_int_equal(r.status, ATT_PRESENT);
	assert_int_equal(r.minutes, 110);
	r = credit(AT(10) + 1, AT(120), false, false, 120);
	assert_int_equal(r.status, ATT_LATE);
	assert_int_equal(r.minutes, 109); /* 109 minutes 59 seconds, rounded down */
}

static void leaving_early_counts_until_departure(void **state)
{
	struct minutes_result r = credit(AT(0), AT(75), false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_LEFT_EARLY);
	assert_true(r.left_early);
	assert_int_equal(r.minutes, 75);
	r = credit(AT(0), AT(110), false, false, 120); /* ten minutes before the end: not early */
	assert_int_equal(r.status, ATT_PRESENT);
	assert_int_equal(r.minutes, 110);
	r = credit(AT(0), AT(110) - 1, false, false, 120);
	assert_int_equal(r.status, ATT_LEFT_EARLY);
	assert_int_equal(r.minutes, 109);
}

static void late_and_early_is_left_early(void **state)
{
	struct minutes_result r = credit(AT(30), AT(90), false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_LEFT_EARLY);
	assert_true(r.late);
	assert_true(r.left_early);
	assert_int_equal(r.minutes, 60);
}

static void staying_on_counts_until_the_end(void **state)
{
	struct minutes_result r = credit(AT(0), AT(170), false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_PRESENT);
	assert_int_equal(r.minutes, 120);
}

static void no_checkout_counts_only_when_staff_confirm(void **state)
{
	struct minutes_result r = credit(AT(5), 0, false, false, 120);

	(void)state;
	assert_true(r.unconfirmed);
	assert_int_equal(r.minutes, 0);
	assert_int_equal(r.status, ATT_PRESENT); /* they came: present, with nothing credited yet */
	r = credit(AT(5), 0, true, false, 120);
	assert_false(r.unconfirmed);
	assert_int_equal(r.minutes, 115);
	/* A check-out counts over the confirmation: they left when they left. */
	r = credit(AT(5), AT(60), true, false, 120);
	assert_int_equal(r.minutes, 55);
	assert_int_equal(r.status, ATT_LEFT_EARLY);
}

static void the_cap_bounds_the_minutes(void **state)
{
	struct minutes_result r = credit(AT(-30), AT(150), false, false, 90);

	(void)state;
	assert_int_equal(r.minutes, 90);
	r = credit(AT(0), AT(45), false, false, 90);
	assert_int_equal(r.minutes, 45); /* under the cap: as counted */
	r = credit(AT(0), AT(120), false, false, 0);
	assert_int_equal(r.minutes, 120); /* no cap */
}

static void absent_and_on_leave(void **state)
{
	struct minutes_result r = credit(0, 0, false, false, 120);

	(void)state;
	assert_int_equal(r.status, ATT_ABSENT);
	assert_int_equal(r.minutes, 0);
	r = credit(0, 0, false, true, 120);
	assert_int_equal(r.status, ATT_ON_LEAVE);
	assert_int_equal(r.minutes, 0);
	r = credit(0, 0, true, false, 120); /* a confirmation without a check-in credits nothing */
	assert_int_equal(r.status, ATT_ABSENT);
	assert_int_equal(r.minutes, 0);
	/* On leave but came after all: the check-in counts. */
	r = credit(AT(0), AT(120), false, true, 120);
	assert_int_equal(r.status, ATT_PRESENT);
	assert_int_equal(r.minutes, 120);
}

static void never_negative(void **state)
{
	struct minutes_result r = credit(AT(60), AT(30), false, false, 120); /* out before in */

	(void)state;
	assert_int_equal(r.minutes, 0);
	r = credit(AT(130), AT(140), false, false, 120); /* both after the end */
	assert_int_equal(r.minutes, 0);
	r = credit(AT(-40), AT(-35), false, false, 120); /* both before the start */
	assert_int_equal(r.minutes, 0);
	assert_int_equal(r.status, ATT_LEFT_EARLY);
	r = credit(AT(0), AT(0) + 59, false, false, 120); /* under a minute */
	assert_int_equal(r.minutes, 0);
}

static void around_midnight(void **state)
{
	/* 22:00 to 01:00 the next day, China time; 22:00 is 13 hours after 09:00. */
	struct minutes_input m = { .starts_at = AT(13 * 60), .ends_at = AT(16 * 60), .cap = 180 };
	struct minutes_result r;

	(void)state;
	m.checkin_at = AT(13 * 60 + 30); /* 22:30 */
	m.checkout_at = AT(15 * 60 + 45); /* 00:45 */
	minutes_credit(&m, &r);
	assert_int_equal(r.minutes, 135);
	assert_int_equal(r.status, ATT_LEFT_EARLY);
	assert_true(r.late);
	m.checkin_at = AT(13 * 60 - 20); /* 21:40, early */
	m.checkout_at = AT(15 * 60); /* 00:00 sharp */
	minutes_credit(&m, &r);
	assert_int_equal(r.minutes, 120);
	m.checkout_at = 0;
	m.until_end = true; /* stayed to 01:00 */
	minutes_credit(&m, &r);
	assert_int_equal(r.minutes, 180);
	assert_int_equal(r.status, ATT_PRESENT);
	m.cap = 150;
	minutes_credit(&m, &r);
	assert_int_equal(r.minutes, 150);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arriving_early_counts_from_the_start),
		cmocka_unit_test(arriving_late_counts_from_arrival),
		cmocka_unit_test(leaving_early_counts_until_departure),
		cmocka_unit_test(late_and_early_is_left_early),
		cmocka_unit_test(staying_on_counts_until_the_end),
		cmocka_unit_test(no_checkout_counts_only_when_staff_confirm),
		cmocka_unit_test(the_cap_bounds_the_minutes),
		cmocka_unit_test(absent_and_on_leave),
		cmocka_unit_test(never_negative),
		cmocka_unit_test(around_midnight),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
