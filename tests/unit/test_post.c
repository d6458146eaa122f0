/* test_post.c: the rules of posts: which a member named as preferred, preferred first, when a holder's service may be */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/post.h"

static void preferred_by_post_or_item_name(void **state)
{
	(void)state;
	assert_true(post_preferred("楼栋长", "3栋楼栋长", "楼栋长"));
	assert_true(post_preferred("楼栋长", "3栋楼长", "楼栋长"));
	assert_true(post_preferred("文明劝导", "文明劝导岗", "垃圾分类督导员"));
	assert_false(post_preferred("文明劝导", "垃圾分类督导", "垃圾分类督导员"));
	/* Every separator people type between tags. */
	static const char *const lists[] = { "门岗,楼栋长", "门岗，楼栋长", "门岗、楼栋长", "门岗;楼栋长", "门岗；楼栋长",
					     "门岗/楼栋长", "门岗 楼栋长", " 门岗\t楼栋长 ", "门岗、、楼栋长" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		assert_true(post_preferred(lists[i], "2栋楼栋长", "楼栋长"));
		assert_true(post_preferred(lists[i], "小区门岗值守", "门岗值守"));
		assert_false(post_preferred(lists[i], "防汛巡逻员", "防汛巡逻"));
	}
}

static void vague_or_empty_tags_match_nothing(void **state)
{
	(void)state;
	assert_false(post_preferred("岗", "门岗值守", "门岗值守")); /* one character says nothing */
	assert_false(post_preferred("", "门岗值守", "门岗值守"));
	assert_false(post_preferred(NULL, "门岗值守", "门岗值守"));
	assert_false(post_preferred("、，;/ ", "门岗值守", "门岗值守"));
	assert_false(post_preferred("门岗", NULL, NULL));
	assert_true(post_preferred("门岗", NULL, "门岗值守"));
}

static void preferred_first_in_order(void **state)
{
	struct post_offer o[6];
	const bool preferred[6] = { false, true, false, true, true, false };
	const int64_t expect[6] = { 2, 4, 5, 1, 3, 6 };

	(void)state;
	memset(o, 0, sizeof(o));
	for (size_t i = 0; i < 6; i++) {
		o[i].post.id = (int64_t)i + 1;
		o[i].preferred = preferred[i];
	}
	post_offers_order(o, 6);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(o[i].post.id, expect[i]);
	post_offers_order(o, 1);
	post_offers_order(NULL, 0);
	assert_int_equal(o[0].post.id, 2);
}

/* 2026-03-02 10:00 in China. */
#define NOW 1772416800LL
#define HOUR 3600LL
#define DAY 86400LL

/* The code of the one fault of a service at started_at for minutes, or "" when there is none. */
static const char *fault(const struct post *p, int64_t since, int64_t started_at, int64_t minutes)
{
	static char code[32];
	struct field_errors errs = { 0 };

	post_check_service_time(p, since, started_at, minutes, NOW, &errs);
	assert_true(errs.n <= 1);
	if (errs.n)
		assert_string_equal(errs.items[0].field, "started_at");
	snprintf(code, sizeof(code), "%s", errs.n ? errs.items[0].code : "");
	return code;
}

static void service_within_the_holding_and_the_term(void **state)
{
	struct post p = { .id = 1, .starts_on = "2026-01-01", .ends_on = "" };

	(void)state;
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - 2 * HOUR, 60), "");
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - HOUR, 60), ""); /* ends just now */
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - HOUR, 61), "too_large"); /* not over yet */
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW + DAY, 60), "too_large");
	/* From the day the holding began, at any hour of it (China's day: 00:00 is 16:00 UTC the day before). */
	assert_string_equal(fault(&p, NOW, NOW - 10 * HOUR, 60), "");
	assert_string_equal(fault(&p, NOW, NOW - 10 * HOUR - 1, 60), "too_small");
	/* Never before the term began, never after it ended. */
	str_copy(p.starts_on, sizeof(p.starts_on), "2026-03-02");
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - 3 * HOUR, 60), "");
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - DAY, 60), "too_small");
	str_copy(p.starts_on, sizeof(p.starts_on), "2026-01-01");
	str_copy(p.ends_on, sizeof(p.ends_on), "2026-02-28");
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - 2 * DAY, 60), "");
	assert_string_equal(fault(&p, NOW - 30 * DAY, NOW - 3 * HOUR, 60), "too_large");
	/* At most POST_LOG_DAYS back, however long the holding. */
	str_copy(p.starts_on, sizeof(p.starts_on), "2025-01-01");
	p.ends_on[0] = '\0';
	assert_string_equal(fault(&p, NOW - 400 * DAY, NOW - POST_LOG_DAYS * DAY, 60), "");
	assert_string_equal(fault(&p, NOW - 400 * DAY, NOW - POST_LOG_DAYS * DAY - 1, 60), "too_small");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(preferred_by_post_or_item_name),
		cmocka_unit_test(vague_or_empty_tags_match_nothing),
		cmocka_unit_test(preferred_first_in_order),
		cmocka_unit_test(service_within_the_holding_and_the_term),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
