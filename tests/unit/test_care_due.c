/* test_care_due.c: the next visit due for every frequency, month ends and leap years, and the overdue rule */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/care_due.h"

static void due(const char *from, enum care_frequency f, const char *want)
{
	char out[11];

	assert_true(care_next_due(from, f, out));
	assert_string_equal(out, want);
}

static void daily_weekly_fortnightly_count_days_across_months_and_years(void **state)
{
	(void)state;
	due("2026-03-07", FREQ_DAILY_PHONE, "2026-03-08");
	due("2026-02-28", FREQ_DAILY_PHONE, "2026-03-01");
	due("2028-02-28", FREQ_DAILY_PHONE, "2028-02-29");
	due("2026-12-31", FREQ_DAILY_PHONE, "2027-01-01");
	due("2026-03-07", FREQ_WEEKLY, "2026-03-14");
	due("2026-12-28", FREQ_WEEKLY, "2027-01-04");
	due("2026-02-25", FREQ_WEEKLY, "2026-03-04");
	due("2028-02-25", FREQ_WEEKLY, "2028-03-03");
	due("2026-03-07", FREQ_FORTNIGHTLY, "2026-03-21");
	due("2026-12-25", FREQ_FORTNIGHTLY, "2027-01-08");
	due("2026-02-20", FREQ_FORTNIGHTLY, "2026-03-06");
}

static void monthly_keeps_the_day_and_clamps_to_the_month_end(void **state)
{
	(void)state;
	due("2026-03-07", FREQ_MONTHLY, "2026-04-07");
	due("2026-01-31", FREQ_MONTHLY, "2026-02-28");
	due("2028-01-31", FREQ_MONTHLY, "2028-02-29");
	due("2100-01-31", FREQ_MONTHLY, "2100-02-28"); /* not a leap year */
	due("2000-01-30", FREQ_MONTHLY, "2000-02-29"); /* a leap year */
	due("2026-03-31", FREQ_MONTHLY, "2026-04-30");
	due("2026-02-28", FREQ_MONTHLY, "2026-03-28");
	due("2026-12-15", FREQ_MONTHLY, "2027-01-15");
	due("2026-12-31", FREQ_MONTHLY, "2027-01-31");
}

static void quarterly_is_three_months_on_clamped(void **state)
{
	(void)state;
	due("2026-01-15", FREQ_QUARTERLY, "2026-04-15");
	due("2026-11-30", FREQ_QUARTERLY, "2027-02-28");
	due("2027-11-30", FREQ_QUARTERLY, "2028-02-29");
	due("2026-05-31", FREQ_QUARTERLY, "2026-08-31");
	due("2026-03-31", FREQ_QUARTERLY, "2026-06-30");
	due("2026-10-01", FREQ_QUARTERLY, "2027-01-01");
}

static void bad_dates_and_frequencies_give_nothing(void **state)
{
	char out[11];

	(void)state;
	assert_false(care_next_due("2026-02-30", FREQ_WEEKLY, out));
	assert_false(care_next_due("2026-3-7", FREQ_WEEKLY, out));
	assert_false(care_next_due("", FREQ_WEEKLY, out));
	assert_false(care_next_due(NULL, FREQ_WEEKLY, out));
	assert_false(care_next_due("2026-03-07", FREQ_COUNT, out));
	assert_false(care_next_due("9999-12-31", FREQ_DAILY_PHONE, out));
}

static void frequencies_parse_by_name(void **state)
{
	(void)state;
	assert_int_equal(care_frequency_parse("daily_phone"), FREQ_DAILY_PHONE);
	assert_int_equal(care_frequency_parse("weekly"), FREQ_WEEKLY);
	assert_int_equal(care_frequency_parse("fortnightly"), FREQ_FORTNIGHTLY);
	assert_int_equal(care_frequency_parse("monthly"), FREQ_MONTHLY);
	assert_int_equal(care_frequency_parse("quarterly"), FREQ_QUARTERLY);
	assert_int_equal(care_frequency_parse("yearly"), -1);
	assert_int_equal(care_frequency_parse(NULL), -1);
}

static void overdue_only_after_the_day_due(void **state)
{
	(void)state;
	assert_false(care_overdue("2026-03-14", "2026-03-13"));
	assert_false(care_overdue("2026-03-14", "2026-03-14"));
	assert_true(care_overdue("2026-03-14", "2026-03-15"));
	assert_true(care_overdue("2026-02-28", "2026-03-01"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(daily_weekly_fortnightly_count_days_across_months_and_years),
		cmocka_unit_test(monthly_keeps_the_day_and_clamps_to_the_month_end),
		cmocka_unit_test(quarterly_is_three_months_on_clamped),
		cmocka_unit_test(bad_dates_and_frequencies_give_nothing),
		cmocka_unit_test(frequencies_parse_by_name),
		cmocka_unit_test(overdue_only_after_the_day_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
