/* test_match.c: the matching score worked case by case: specialty, nearness in the region tree, time free, load */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/match.h"

/* A street, its community, a grid of it with building 3, another grid with building 9, and a community without grids. */
#define STREET "/440100000000/440104000000/440104001000/"
#define COMMUNITY STREET "440104001001/"
#define GRID COMMUNITY "440104001001001/"
#define BUILDING3 GRID "440104001001001003/"
#define BUILDING9 COMMUNITY "440104001001002/440104001001002009/"
#define OTHER_COMMUNITY STREET "440104001002/"

/* 义诊 wanted on a Saturday at 09:30, in building 3. */
static const struct match_need clinic = { .place_path = BUILDING3, .specialties = "医疗,养老护理", .weekday = 6, .minute = 570 };

static struct match_score score(const struct match_need *n, const char *home, const char *tags, int tasks,
				const struct match_slot *slots, size_t nslots)
{
	struct match_candidate c = { .home_path = home, .specialties = tags, .open_tasks = tasks, .slots = slots,
				     .nslots = nslots };
	struct match_score s;

	match_score(n, &c, &s);
	return s;
}

static const struct match_reason *reason(const struct match_score *s, enum match_reason_kind kind)
{
	for (size_t i = 0; i < s->nreasons; i++)
		if (s->reasons[i].kind == kind)
			return &s->reasons[i];
	return NULL;
}

/* A doctor living in the same building, free on Saturday mornings, with nothing to do: 40 + 30 + 15 + 10. */
static void the_doctor_next_door_scores_highest(void **state)
{
	const struct match_slot sat = { 6, 540, 690 };
	struct match_score s = score(&clinic, BUILDING3, "摄影,医疗", 0, &sat, 1);
	const struct match_reason *r = reason(&s, REASON_SPECIALTY);

	(void)state;
	assert_false(s.excluded);
	assert_int_equal(s.score, 95);
	assert_non_null(r);
	assert_int_equal(r->tag_len, strlen("医疗"));
	assert_memory_equal("摄影,医疗" + r->tag_off, "医疗", r->tag_len);
	assert_int_equal(s.steps, 0);
	assert_int_equal(s.near_len, strlen(BUILDING3));
	assert_non_null(reason(&s, REASON_FREE));
	assert_non_null(reason(&s, REASON_IDLE));
}

/* Two wanted tags: 40 for the first, 10 for the second; tags are whole words (医疗 is not 医疗器械). */
static void each_further_specialty_adds_less(void **state)
{
	struct match_score both = score(&clinic, OTHER_COMMUNITY, "养老护理,医疗", 0, NULL, 0);
	struct match_score none = score(&clinic, OTHER_COMMUNITY, "医疗器械,护理", 0, NULL, 0);

	(void)state;
	/* Another community of the same street: 3 steps up from building 3 (grid, community, street). */
	assert_int_equal(both.steps, 3);
	assert_int_equal(both.score, 40 + 10 + 5 + 10);
	assert_null(reason(&none, REASON_SPECIALTY));
	assert_int_equal(none.score, 5 + 10);
}

/* Nearness: the same grid one step up, the same community two, the same street three, another street nothing. */
static void nearer_is_better(void **state)
{
	struct match_score grid = score(&clinic, GRID "440104001001001005/", "", 0, NULL, 0);
	struct match_score community = score(&clinic, BUILDING9, "", 0, NULL, 0);
	struct match_score plain = score(&clinic, COMMUNITY, "", 0, NULL, 0);
	struct match_score far = score(&clinic, "/440100000000/440106000000/440106001000/440106001001/", "", 0, NULL, 0);

	(void)state;
	assert_int_equal(grid.steps, 1);
	assert_int_equal(grid.score, 20 + 10);
	assert_int_equal(grid.near_len, strlen(GRID));
	assert_int_equal(community.steps, 2);
	assert_int_equal(community.score, 10 + 10);
	/* A member whose building is not known lives in the community: also two steps. */
	assert_int_equal(plain.steps, 2);
	assert_int_equal(far.steps, 5);
	assert_null(reason(&far, REASON_NEAR));
	assert_int_equal(far.score, 10);
}

/* A need of a community without grids, in its building: the same community is one step. */
static void a_community_without_grids_counts_its_own_steps(void **state)
{
	const struct match_need n = { .place_path = OTHER_COMMUNITY "440104001002009/", .specialties = "" };
	struct match_score s = score(&n, OTHER_COMMUNITY "440104001002004/", "", 0, NULL, 0);

	(void)state;
	assert_int_equal(s.steps, 1);
	assert_int_equal(s.near_len, strlen(OTHER_COMMUNITY));
}

/* Weekly times given and none covers Saturday 09:30: busy (-10); the end of a time is not in it. */
static void known_times_that_miss_count_against(void **state)
{
	const struct match_slot slots[] = { { 6, 480, 570 }, { 7, 540, 690 } };
	struct match_score s = score(&clinic, BUILDING3, "医疗", 0, slots, 2);
	const struct match_need anytime = { .place_path = BUILDING3, .specialties = "医疗" };
	struct match_score any = score(&anytime, BUILDING3, "医疗", 0, slots, 2);

	(void)state;
	assert_non_null(reason(&s, REASON_BUSY));
	assert_int_equal(s.score, 40 + 30 - 10 + 10);
	/* Wanted at any time: times are not counted. */
	assert_null(reason(&any, REASON_BUSY));
	assert_null(reason(&any, REASON_FREE));
	assert_int_equal(any.score, 40 + 30 + 10);
}

/* Open tasks lower the score; MATCH_LOAD_MAX of them take the candidate out. */
static void the_overloaded_are_not_suggested(void **state)
{
	struct match_score two = score(&clinic, BUILDING3, "医疗", 2, NULL, 0);
	struct match_score full = score(&clinic, BUILDING3, "医疗", MATCH_LOAD_MAX, NULL, 0);
	const struct match_reason *r = reason(&two, REASON_LOAD);

	(void)state;
	assert_non_null(r);
	assert_int_equal(r->tasks, 2);
	assert_int_equal(two.score, 40 + 30 - 10);
	assert_true(full.excluded);
	assert_int_equal(full.nreasons, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_doctor_next_door_scores_highest),
		cmocka_unit_test(each_further_specialty_adds_less),
		cmocka_unit_test(nearer_is_better),
		cmocka_unit_test(a_community_without_grids_counts_its_own_steps),
		cmocka_unit_test(known_times_that_miss_count_against),
		cmocka_unit_test(the_overloaded_are_not_suggested),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
