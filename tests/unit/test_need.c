/* test_need.c: the need state machine step by step, the race to take one, rating once, and expiry */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/need.h"
#include "testdb.h"

static const char *const states[] = { "submitted", "accepted", "refused", "dispatched", "taken",     "in_progress",
				      "done",      "closed",   "expired", "withdrawn",  "converted", NULL };

static void the_whole_life_goes_through(void **state)
{
	(void)state;
	assert_string_equal(need_next("submitted", NEED_ACCEPT), "accepted");
	assert_string_equal(need_next("accepted", NEED_DISPATCH), "dispatched");
	assert_string_equal(need_next("dispatched", NEED_ANSWER), "taken");
	assert_string_equal(need_next("taken", NEED_START), "in_progress");
	assert_string_equal(need_next("in_progress", NEED_DONE), "done");
	assert_string_equal(need_next("done", NEED_CONFIRM), "closed");
}

static void side_paths(void **state)
{
	(void)state;
	assert_string_equal(need_next("submitted", NEED_REFUSE), "refused");
	assert_string_equal(need_next("accepted", NEED_TAKE), "taken"); /* 接单 without a dispatch */
	assert_string_equal(need_next("dispatched", NEED_DISPATCH), "dispatched"); /* to someone else */
	assert_string_equal(need_next("dispatched", NEED_DECLINE), "accepted");
	assert_string_equal(need_next("taken", NEED_DECLINE), "accepted");
	assert_string_equal(need_next("taken", NEED_DONE), "done"); /* done without a separate start */
	assert_string_equal(need_next("done", NEED_REOPEN), "in_progress");
	assert_string_equal(need_next("accepted", NEED_EXPIRE), "expired");
	assert_string_equal(need_next("expired", NEED_RENEW), "accepted");
	assert_string_equal(need_next("dispatched", NEED_WITHDRAW), "withdrawn");
	assert_string_equal(need_next("in_progress", NEED_CONVERT), "converted");
}

/* Every (state, step) pair but the 24 allowed ones is refused: a taken need is never taken again. */
static void every_other_step_is_refused(void **state)
{
	int allowed = 0;

	(void)state;
	for (size_t i = 0; states[i]; i++)
		for (int s = 0; s < NEED_STEP_COUNT; s++)
			allowed += need_next(states[i], (enum need_step)s) != NULL;
	assert_int_equal(allowed, 24);
	assert_null(need_next("taken", NEED_TAKE));
	assert_null(need_next("closed", NEED_CONFIRM));
	assert_null(need_next("in_progress", NEED_WITHDRAW)); /* being served: staff convert it, not the resident */
	assert_null(need_next("taken", NEED_EXPIRE)); /* only untaken needs expire */
	assert_null(need_next("done", NEED_CONVERT));
	assert_null(need_next(NULL, NEED_ACCEPT));
	assert_null(need_next("submitted", (enum need_step)99));
	assert_true(need_is_open("dispatched"));
	assert_false(need_is_open("done"));
	assert_false(need_is_open("closed"));
	assert_string_equal(need_steps[NEED_CONVERT], "convert");
	assert_null(need_steps[NEED_STEP_COUNT]);
}

/* The queue's colours: the time each state is held to, and its last quarter. */
static void time_limits(void **state)
{
	struct need n = { .created_at = 1000000, .urgency = "normal" };
	int64_t due;

	(void)state;
	str_copy(n.state, sizeof n.state, "submitted");
	assert_string_equal(need_sla(&n, 1000000, &due), "ok");
	assert_int_equal(due, 1000000 + 24 * 3600);
	assert_string_equal(need_sla(&n, 1000000 + 19 * 3600, &due), "soon"); /* the last 6 of 24 hours */
	assert_string_equal(need_sla(&n, 1000000 + 24 * 3600, &due), "late");
	str_copy(n.urgency, sizeof n.urgency, "urgent");
	assert_string_equal(need_sla(&n, 1000000 + 2 * 3600, &due), "late");
	str_copy(n.state, sizeof n.state, "accepted");
	n.accepted_at = 2000000;
	assert_string_equal(need_sla(&n, 2000000, &due), "ok");
	assert_int_equal(due, 2000000 + 24 * 3600);
	/* Taken: done by the end of the day wanted, in China (2026-12-05 24:00 +08:00 = 2026-12-05T16:00Z). */
	str_copy(n.state, sizeof n.state, "in_progress");
	n.taken_at = 1796300000;
	str_copy(n.wanted_on, sizeof n.wanted_on, "2026-12-05");
	need_sla(&n, 1796300000, &due);
	assert_int_equal(due, 1796486400);
	str_copy(n.state, sizeof n.state, "done");
	assert_null(need_sla(&n, 1796300000, &due));
	assert_int_equal(due, 0);
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;

	db_done(st);
	return n;
}

static int64_t new_need(struct testdb *t, const char *urgency)
{
	static const struct actor staff = { 0, "test" };
	struct need_input in = { TESTDB_COMMUNITY, 0, "帮忙换灯泡", NULL, "3栋201", NULL, "any", urgency, "王阿姨",
				 "13800002222", "phone", 0 };
	int64_t id = 0;

	in.item_id = count(t->db, "SELECT id FROM catalog_item WHERE code = 'G07' AND region_code IS NULL");
	assert_true(in.item_id > 0);
	assert_int_equal(need_create(t->db, &staff, &in, &id), NEED_OK);
	return id;
}

/* Two members take one accepted need: the first wins, the second learns who has it; nothing else moves. */
static void a_taken_need_is_not_taken_twice(void **state)
{
	const struct actor staff = { 0, "test" }, member = { 7, "test" };
	const struct need_holder first = { "member", 0, 0, 0, 7, "陈建国" }, second = { "member", 0, 0, 0, 8, "李红" };
	char taken[64];
	struct testdb t;
	int64_t id;

	(void)state;
	assert_int_equal(testdb_open(&t, "need"), 0);
	assert_int_equal(db_run(t.db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, "
				      "created_at) VALUES (8, '13800001012', '李红', 'x', 0, 0)"),
			 DB_OK);
	id = new_need(&t, "normal");
	assert_int_equal(need_take(t.db, &member, id, &first, taken, sizeof(taken)), NEED_BAD_STATE); /* not accepted */
	assert_int_equal(need_step(t.db, &staff, id, NEED_ACCEPT, ""), NEED_OK);
	assert_int_equal(need_step(t.db, &staff, id, NEED_ACCEPT, ""), NEED_BAD_STATE);
	assert_int_equal(need_take(t.db, &member, id, &first, taken, sizeof(taken)), NEED_OK);
	assert_int_equal(need_take(t.db, &member, id, &second, taken, sizeof(taken)), NEED_TAKEN);
	assert_string_equal(taken, "陈建国");
	assert_int_equal(need_take(t.db, &member, 9999, &second, taken, sizeof(taken)), NEED_NOT_FOUND);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need WHERE state = 'taken' AND assignee_account_id = 7 AND "
				     "assignee_name = '陈建国' AND taken_at IS NOT NULL"),
			 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need_event WHERE kind = 'take'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'need.take'"), 1);
	/* Given back with a reason: open again, nobody holds it, the reason kept. */
	assert_int_equal(need_decline(t.db, &member, id, "临时出差"), NEED_OK);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need WHERE state = 'accepted' AND assignee_account_id IS NULL "
				     "AND assignee_name = '' AND state_reason = '临时出差'"),
			 1);
	assert_int_equal(need_take(t.db, &member, id, &second, taken, sizeof(taken)), NEED_OK);
	assert_int_equal(testdb_close(&t), 0);
}

/* A need done is rated once; a reopened one is done again before it can be. */
static void a_need_is_rated_once(void **state)
{
	const struct actor staff = { 0, "test" }, unit = { 9, "test" };
	struct field_errors errs = { 0 };
	struct testdb t;
	int64_t id;

	(void)state;
	assert_int_equal(testdb_open(&t, "need"), 0);
	assert_int_equal(db_run(t.db, "INSERT INTO unit (id, name, party_org_name, type, region_code, created_at, updated_at) VALUES "
				      "(3, '广州供电局', '广州供电局党委', 'soe', '440100000000', 0, 0)"),
			 DB_OK);
	assert_int_equal(db_run(t.db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, "
				      "created_at) VALUES (9, 'gd-admin', '周经理', 'x', 0, 0)"),
			 DB_OK);
	id = new_need(&t, "urgent");
	assert_int_equal(need_step(t.db, &staff, id, NEED_ACCEPT, ""), NEED_OK);
	assert_int_equal(need_dispatch(t.db, &staff, id, &(struct need_holder){ "unit", 0, 0, 3, 0, "广州供电局" }), NEED_OK);
	assert_int_equal(need_answer(t.db, &unit, id, 9), NEED_OK);
	assert_int_equal(need_confirm(t.db, &staff, id, 5, "", &errs), NEED_BAD_STATE); /* not done yet */
	assert_int_equal(need_done(t.db, &unit, id, "已修好", 90, NULL, NULL, 0, &errs), NEED_OK);
	assert_int_equal(need_reopen(t.db, &staff, id, "还是不亮"), NEED_OK);
	assert_int_equal(need_confirm(t.db, &staff, id, 5, "", &errs), NEED_BAD_STATE);
	assert_int_equal(need_done(t.db, &unit, id, "换了开关", 30, NULL, NULL, 0, &errs), NEED_OK);
	assert_int_equal(need_confirm(t.db, &staff, id, 4, "师傅很耐心", &errs), NEED_OK);
	assert_int_equal(need_confirm(t.db, &staff, id, 1, "", &errs), NEED_RATED);
	/* A unit served: no member's record; rated 4 with the comment, closed. */
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need WHERE state = 'closed' AND rating = 4 AND "
				     "rating_comment = '师傅很耐心' AND record_id IS NULL AND minutes = 30"),
			 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need_event WHERE kind = 'done'"), 2);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need_event WHERE kind = 'reopen' AND note = '还是不亮'"), 1);
	assert_int_equal(testdb_close(&t), 0);
}

/* Untaken needs expire when due (urgent ones sooner); taken ones never; staff renew an expired one. */
static void untaken_needs_expire(void **state)
{
	const struct actor staff = { 0, "test" }, member = { 7, "test" };
	const struct need_holder h = { "member", 0, 0, 0, 7, "陈建国" };
	const int64_t now = clock_now();
	char taken[64];
	struct testdb t;
	int64_t normal, urgent, held, n;

	(void)state;
	assert_int_equal(testdb_open(&t, "need"), 0);
	normal = new_need(&t, "normal");
	urgent = new_need(&t, "urgent");
	held = new_need(&t, "urgent");
	assert_int_equal(need_step(t.db, &staff, held, NEED_ACCEPT, ""), NEED_OK);
	assert_int_equal(need_take(t.db, &member, held, &h, taken, sizeof(taken)), NEED_OK);
	/* A minute past the urgent one's two days (the clock may tick between now and the needs' creation). */
	assert_int_equal(need_expire_due(t.db, &staff, now + 2 * 86400 + 60, &n), NEED_OK);
	assert_int_equal(n, 1);
	assert_int_equal(need_expire_due(t.db, &staff, now + 2 * 86400 + 60, &n), NEED_OK);
	assert_int_equal(n, 0);
	assert_int_equal(need_expire_due(t.db, &staff, now + 7 * 86400 + 60, &n), NEED_OK);
	assert_int_equal(n, 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need WHERE state = 'expired'"), 2);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'need.expire'"), 2);
	assert_int_equal(need_step(t.db, &staff, urgent, NEED_RENEW, ""), NEED_OK);
	assert_int_equal(need_step(t.db, &staff, normal, NEED_WITHDRAW, "不需要了"), NEED_BAD_STATE);
	assert_int_equal(need_step(t.db, &staff, urgent, NEED_WITHDRAW, "不需要了"), NEED_OK);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM need WHERE state = 'taken'"), 1);
	assert_int_equal(testdb_close(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_whole_life_goes_through),
		cmocka_unit_test(side_paths),
		cmocka_unit_test(every_other_step_is_refused),
		cmocka_unit_test(time_limits),
		cmocka_unit_test(a_taken_need_is_not_taken_twice),
		cmocka_unit_test(a_need_is_rated_once),
		cmocka_unit_test(untaken_needs_expire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
