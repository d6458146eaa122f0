/* test_case_rules.c: the case state machine (every step from every state, by whom), working days, SLA and overdue */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/case_rules.h"
#include "domain/duty.h"

/* 2026-12-07 00:00 China time, a Monday. */
static const int64_t MON = 1796572800;
#define DAY 86400

/* The one table every (state, step) must match: the state reached, or NULL where the step is refused. */
static const char *const expect[CASE_STATES][CASE_STEP_COUNT] = {
	/*               accept      refuse     assign      update         resolve     follow_up    rate      reopen      expire    merge */
	/* reported */ { "accepted", "refused", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "merged" },
	/* accepted */ { NULL, NULL, "assigned", NULL, NULL, NULL, NULL, NULL, NULL, "merged" },
	/* refused */ { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
	/* assigned */ { NULL, NULL, "assigned", "in_progress", "resolved", NULL, NULL, NULL, NULL, "merged" },
	/* in_progress */ { NULL, NULL, "assigned", "in_progress", "resolved", NULL, NULL, NULL, NULL, "merged" },
	/* resolved */ { NULL, NULL, NULL, NULL, NULL, "follow_up", "closed", "assigned", "closed", NULL },
	/* follow_up */ { NULL, NULL, NULL, NULL, NULL, NULL, "closed", "assigned", "closed", NULL },
	/* closed */ { NULL, NULL, NULL, NULL, NULL, NULL, NULL, "assigned", NULL, NULL },
	/* merged */ { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static void every_step_from_every_state(void **state)
{
	(void)state;
	for (int s = 0; s < CASE_STATES; s++)
		for (int k = 0; k < CASE_STEP_COUNT; k++) {
			const char *to = "x";
			enum case_by by = k == CASE_EXPIRE ? CASE_BY_SYSTEM : CASE_BY_STAFF;
			enum case_verdict v = case_may(case_states[s], (enum case_step)k, by, 0, &to);

			if (expect[s][k]) {
				assert_int_equal(v, CASE_RULE_OK);
				assert_string_equal(to, expect[s][k]);
			} else {
				assert_int_equal(v, CASE_RULE_STATE);
				assert_null(to);
			}
		}
	assert_int_equal(case_may("nonsense", CASE_ACCEPT, CASE_BY_STAFF, 0, NULL), CASE_RULE_STATE);
	assert_int_equal(case_may(NULL, CASE_ACCEPT, CASE_BY_STAFF, 0, NULL), CASE_RULE_STATE);
	assert_int_equal(case_may("reported", CASE_STEP_COUNT, CASE_BY_STAFF, 0, NULL), CASE_RULE_STATE);
}

static void who_takes_which_step(void **state)
{
	(void)state;
	/* The reporter: only rate and reopen. */
	assert_int_equal(case_may("reported", CASE_ACCEPT, CASE_BY_REPORTER, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("in_progress", CASE_RESOLVE, CASE_BY_REPORTER, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("in_progress", CASE_MERGE, CASE_BY_REPORTER, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("resolved", CASE_RATE, CASE_BY_REPORTER, 0, NULL), CASE_RULE_OK);
	assert_int_equal(case_may("follow_up", CASE_RATE, CASE_BY_REPORTER, 0, NULL), CASE_RULE_OK);
	/* Only the system closes a case for want of an answer; the system takes no other step. */
	assert_int_equal(case_may("follow_up", CASE_EXPIRE, CASE_BY_STAFF, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("follow_up", CASE_EXPIRE, CASE_BY_REPORTER, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("reported", CASE_ACCEPT, CASE_BY_SYSTEM, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("resolved", CASE_RATE, CASE_BY_SYSTEM, 0, NULL), CASE_RULE_WHO);
}

static void the_reporter_reopens_twice_then_staff_decide(void **state)
{
	const char *to;

	(void)state;
	assert_int_equal(case_may("resolved", CASE_REOPEN, CASE_BY_REPORTER, 0, &to), CASE_RULE_OK);
	assert_string_equal(to, "assigned");
	assert_int_equal(case_may("follow_up", CASE_REOPEN, CASE_BY_REPORTER, 1, NULL), CASE_RULE_OK);
	assert_int_equal(case_may("follow_up", CASE_REOPEN, CASE_BY_REPORTER, 2, &to), CASE_RULE_REOPENS);
	assert_null(to);
	assert_int_equal(case_may("resolved", CASE_REOPEN, CASE_BY_REPORTER, 5, NULL), CASE_RULE_REOPENS);
	assert_int_equal(case_may("resolved", CASE_REOPEN, CASE_BY_STAFF, 2, NULL), CASE_RULE_OK);
	assert_int_equal(case_may("resolved", CASE_REOPEN, CASE_BY_STAFF, 9, NULL), CASE_RULE_OK);
	/* A closed case: staff only, whatever the count. */
	assert_int_equal(case_may("closed", CASE_REOPEN, CASE_BY_REPORTER, 0, NULL), CASE_RULE_WHO);
	assert_int_equal(case_may("closed", CASE_REOPEN, CASE_BY_STAFF, 0, NULL), CASE_RULE_OK);
}

static void open_final_and_merging(void **state)
{
	(void)state;
	assert_true(case_is_open("reported"));
	assert_true(case_is_open("in_progress"));
	assert_false(case_is_open("resolved"));
	assert_false(case_is_open("merged"));
	assert_false(case_is_open(NULL));
	assert_true(case_is_final("refused"));
	assert_true(case_is_final("closed"));
	assert_true(case_is_final("merged"));
	assert_false(case_is_final("follow_up"));
	assert_true(case_merge_ok(1, "reported", 2, "assigned", true));
	assert_false(case_merge_ok(1, "reported", 1, "reported", true)); /* into itself */
	assert_false(case_merge_ok(1, "reported", 2, "assigned", false)); /* another community's */
	assert_false(case_merge_ok(1, "closed", 2, "assigned", true));
	assert_false(case_merge_ok(1, "reported", 2, "merged", true)); /* a survivor that was merged itself */
	assert_false(case_merge_ok(1, "reported", 2, "resolved", true));
}

static const char holidays[][11] = { "2026-12-08", "2027-01-01", "2026-12-25" };
static const char workdays[][11] = { "2026-12-05", "2026-12-27" };
static const struct case_calendar cal = { holidays, 3, workdays, 2 };

static void working_days_skip_weekends_and_holidays(void **state)
{
	char out[11];

	(void)state;
	assert_true(case_is_workday(NULL, "2026-12-07"));
	assert_false(case_is_workday(NULL, "2026-12-05")); /* a Saturday */
	assert_false(case_is_workday(NULL, "2026-12-06"));
	assert_true(case_is_workday(&cal, "2026-12-05")); /* a make-up Saturday */
	assert_false(case_is_workday(&cal, "2026-12-08")); /* a holiday Tuesday */
	assert_false(case_is_workday(&cal, "2026-02-30"));
	case_add_workdays(NULL, "2026-12-04", 0, out); /* Friday itself */
	assert_string_equal(out, "2026-12-04");
	case_add_workdays(NULL, "2026-12-04", 3, out); /* Friday + 3: Mon, Tue, Wed */
	assert_string_equal(out, "2026-12-09");
	case_add_workdays(NULL, "2026-12-05", 1, out); /* from a Saturday: Monday */
	assert_string_equal(out, "2026-12-07");
	case_add_workdays(&cal, "2026-12-04", 3, out); /* Sat worked, Mon, Tue off: Sat, Mon, Wed */
	assert_string_equal(out, "2026-12-09");
	case_add_workdays(&cal, "2026-12-07", 2, out); /* Tue off: Wed, Thu */
	assert_string_equal(out, "2026-12-10");
	case_add_workdays(NULL, "2026-11-27", 2, out); /* across the month's end: Mon 30, Tue 1 */
	assert_string_equal(out, "2026-12-01");
	case_add_workdays(&cal, "2026-12-24", 2, out); /* Fri 25 off, Sun 27 worked, Mon 28 */
	assert_string_equal(out, "2026-12-28");
	case_add_workdays(&cal, "2026-12-31", 2, out); /* across the year's end: Fri 1 off, Mon 4, Tue 5 */
	assert_string_equal(out, "2027-01-05");
	case_add_workdays(NULL, "2028-02-28", 2, out); /* a leap year: Tue 29, Wed 1 */
	assert_string_equal(out, "2028-03-01");
	case_add_workdays(NULL, "not a day", 2, out);
	assert_string_equal(out, "");
}

static void due_at_the_end_of_the_working_day_in_china(void **state)
{
	int64_t fri = MON - 3 * DAY;

	(void)state;
	/* Accepted Friday 23:30 China time (15:30 UTC): its day is Friday. */
	assert_int_equal(case_due_at(NULL, fri + 23 * 3600 + 1800, 3), MON + 3 * DAY);
	/* Accepted Saturday 00:10 China time (Friday 16:10 UTC): its day is Saturday, the first working day Monday. */
	assert_int_equal(case_due_at(NULL, fri + DAY + 600, 1), MON + DAY);
	assert_int_equal(case_due_at(&cal, MON + 9 * 3600, 2), MON + 4 * DAY);
	assert_int_equal(case_sla_workdays(5, "normal"), 5);
	assert_int_equal(case_sla_workdays(5, "urgent"), CASE_URGENT_WORKDAYS);
	assert_int_equal(case_sla_workdays(1, "urgent"), 1);
}

static void overdue_soon_and_ok(void **state)
{
	const int64_t due = MON + 3 * DAY; /* the end of Wednesday */

	(void)state;
	assert_string_equal(case_sla(NULL, "assigned", due, MON + 9 * 3600), "ok"); /* Monday */
	assert_string_equal(case_sla(NULL, "assigned", due, MON + DAY + 9 * 3600), "soon"); /* Tuesday: due tomorrow */
	assert_string_equal(case_sla(NULL, "in_progress", due, due - 1), "soon");
	assert_string_equal(case_sla(NULL, "in_progress", due, due), "overdue");
	assert_string_equal(case_sla(NULL, "reported", due, due + 30 * DAY), "overdue");
	/* Friday, due Monday: the next working day, so soon; with Monday off, Tuesday is not yet soon. */
	assert_string_equal(case_sla(NULL, "assigned", MON + DAY, MON - 3 * DAY + 9 * 3600), "soon");
	assert_string_equal(case_sla(NULL, "assigned", MON + 2 * DAY, MON - 3 * DAY + 9 * 3600), "ok");
	/* No clock once resolved, or without a due date. */
	assert_null(case_sla(NULL, "resolved", due, due + DAY));
	assert_null(case_sla(NULL, "closed", due, due + DAY));
	assert_null(case_sla(NULL, "merged", due, due + DAY));
	assert_null(case_sla(NULL, "assigned", 0, due));
}

static void follow_up_lapses_after_n_days(void **state)
{
	(void)state;
	assert_false(case_follow_up_lapsed("follow_up", MON, MON + CASE_FOLLOW_UP_DAYS * DAY - 1));
	assert_true(case_follow_up_lapsed("follow_up", MON, MON + CASE_FOLLOW_UP_DAYS * DAY));
	assert_true(case_follow_up_lapsed("resolved", MON, MON + 30 * DAY));
	assert_false(case_follow_up_lapsed("closed", MON, MON + 30 * DAY));
	assert_false(case_follow_up_lapsed("in_progress", MON, MON + 30 * DAY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_step_from_every_state),
		cmocka_unit_test(who_takes_which_step),
		cmocka_unit_test(the_reporter_reopens_twice_then_staff_decide),
		cmocka_unit_test(open_final_and_merging),
		cmocka_unit_test(working_days_skip_weekends_and_holidays),
		cmocka_unit_test(due_at_the_end_of_the_working_day_in_china),
		cmocka_unit_test(overdue_soon_and_ok),
		cmocka_unit_test(follow_up_lapses_after_n_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
