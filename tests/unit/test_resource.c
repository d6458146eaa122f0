/* test_resource.c: resources' availability slots: parsed, written back, overlapping, open on a date or a weekday */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/resource.h"

static struct resource_slot slot(const char *s)
{
	struct resource_slot out;
	const char *why;

	assert_int_equal(resource_slot_parse(s, &out, &why), 0);
	return out;
}

static void parses_weekly_and_dated_slots(void **state)
{
	struct resource_slot s = slot("6 09:00-11:30");
	char text[RESOURCE_SLOT_TEXT];

	(void)state;
	assert_int_equal(s.weekday, 6);
	assert_string_equal(s.date, "");
	assert_int_equal(s.from_min, 540);
	assert_int_equal(s.to_min, 690);
	resource_slot_text(&s, text);
	assert_string_equal(text, "6 09:00-11:30");
	s = slot("2026-12-05 14:00-24:00");
	assert_int_equal(s.weekday, 0);
	assert_string_equal(s.date, "2026-12-05");
	assert_int_equal(s.to_min, 1440);
	resource_slot_text(&s, text);
	assert_string_equal(text, "2026-12-05 14:00-24:00");
}

static void refuses_bad_slots_saying_why(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "0 09:00-10:00", "weekday" }, { "8 09:00-10:00", "weekday" }, { "6 11:30-09:00", "order" },
		{ "6 09:00-09:00", "order" }, { "2026-02-30 09:00-10:00", "date" }, { "2026-3-7 09:00-10:00", "format" },
		{ "6 25:00-26:00", "format" }, { "6 09:60-10:00", "format" }, { "6 24:00-24:30", "format" },
		{ "周六 09:00-11:30", "format" }, { "6 9:00-11:30", "format" }, { "", "format" }, { "6 09:00-11:30x", "format" },
	};
	struct resource_slot s;
	const char *why;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(resource_slot_parse(bad[i].text, &s, &why), -1);
		assert_string_equal(why, bad[i].why);
	}
	assert_int_equal(resource_slot_parse(NULL, &s, &why), -1);
}

static void weekdays_of_dates(void **state)
{
	(void)state;
	assert_int_equal(resource_weekday_of("2026-03-02"), 1); /* a Monday */
	assert_int_equal(resource_weekday_of("2026-03-08"), 7);
	assert_int_equal(resource_weekday_of("2026-12-05"), 6);
	assert_int_equal(resource_weekday_of("2024-02-29"), 4);
	assert_int_equal(resource_weekday_of("2027-01-01"), 5);
}

static void overlaps_share_a_minute(void **state)
{
	struct resource_slot a = slot("6 09:00-11:00"), b = slot("6 10:00-12:00"), c = slot("6 11:00-12:00"),
			     d = slot("7 09:00-11:00"), e = slot("2026-12-05 10:30-10:45"), f = slot("2026-12-06 10:30-10:45");

	(void)state;
	assert_true(resource_slots_overlap(&a, &b));
	assert_false(resource_slots_overlap(&a, &c)); /* one ends as the other begins */
	assert_false(resource_slots_overlap(&a, &d));
	assert_true(resource_slots_overlap(&a, &e)); /* 2026-12-05 is a Saturday */
	assert_true(resource_slots_overlap(&e, &a));
	assert_false(resource_slots_overlap(&a, &f));
	assert_true(resource_slots_overlap(&d, &f));
	assert_true(resource_slot_on(&a, "2026-12-05", 0));
	assert_false(resource_slot_on(&a, "2026-12-06", 0));
	assert_true(resource_slot_on(&e, "2026-12-05", 0));
	assert_true(resource_slot_on(&d, NULL, 7));
	assert_false(resource_slot_on(&e, NULL, 6)); /* a dated slot is not weekly */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_weekly_and_dated_slots),
		cmocka_unit_test(refuses_bad_slots_saying_why),
		cmocka_unit_test(weekdays_of_dates),
		cmocka_unit_test(overlaps_share_a_minute),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
