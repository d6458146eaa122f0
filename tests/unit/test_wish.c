/* test_wish.c: the micro-wish state machine step by step, and the beneficiary's masked name */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/wish.h"
#include "testdb.h"

static const char *const states[] = { "submitted", "approved", "refused", "published", "expired",
				      "claimed",   "fulfilled", "closed",  NULL };

static void the_whole_life_goes_through(void **state)
{
	(void)state;
	assert_string_equal(wish_next("submitted", WISH_APPROVE), "approved");
	assert_string_equal(wish_next("approved", WISH_PUBLISH), "published");
	assert_string_equal(wish_next("published", WISH_CLAIM), "claimed");
	assert_string_equal(wish_next("claimed", WISH_FULFIL), "fulfilled");
	assert_string_equal(wish_next("fulfilled", WISH_CONFIRM), "closed");
}

static void side_paths(void **state)
{
	(void)state;
	assert_string_equal(wish_next("submitted", WISH_REFUSE), "refused");
	assert_string_equal(wish_next("published", WISH_EXPIRE), "expired");
	assert_string_equal(wish_next("expired", WISH_PUBLISH), "published");
	assert_string_equal(wish_next("claimed", WISH_RELEASE), "published");
}

/* Every (state, step) pair but the allowed ones is refused: a claimed wish is never claimed again. */
static void every_other_step_is_refused(void **state)
{
	int allowed = 0;

	(void)state;
	for (size_t i = 0; states[i]; i++)
		for (int s = WISH_APPROVE; s <= WISH_CONFIRM; s++)
			allowed += wish_next(states[i], (enum wish_step)s) != NULL;
	assert_int_equal(allowed, 9);
	assert_null(wish_next("claimed", WISH_CLAIM));
	assert_null(wish_next("closed", WISH_CONFIRM));
	assert_null(wish_next("refused", WISH_PUBLISH));
	assert_null(wish_next("submitted", WISH_CLAIM));
	assert_null(wish_next("fulfilled", WISH_RELEASE));
	assert_null(wish_next(NULL, WISH_APPROVE));
	assert_null(wish_next("submitted", (enum wish_step)99));
}

static void names_are_masked_to_the_first_character(void **state)
{
	char out[16];

	(void)state;
	wish_mask_name("王小明", out, sizeof(out));
	assert_string_equal(out, "王*");
	wish_mask_name("\xF0\xA0\x80\x80\xE6\x98\x8E", out, sizeof(out)); /* 𠀀明: a 4-byte first character */
	assert_string_equal(out, "\xF0\xA0\x80\x80*");
	wish_mask_name("Li", out, sizeof(out));
	assert_string_equal(out, "L*");
	wish_mask_name("", out, sizeof(out));
	assert_string_equal(out, "");
	wish_mask_name("王小明", out, 3); /* too small for 王*: nothing rather than half a character */
	assert_string_equal(out, "");
}

static int64_t count(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;

	db_done(st);
	return n;
}

/* Two claims of one published wish: the first wins, the second learns who has it and changes nothing. */
static void a_claimed_wish_is_not_claimed_twice(void **state)
{
	static const struct actor staff = { 0, "test" };
	const struct actor member = { 7, "test" };
	struct wish_input in = { TESTDB_COMMUNITY, TESTDB_PATH, "王小明", "一副老花镜", "看报用", 300, "published", 0, 0 };
	struct wish_claimer first = { "member", 0, 0, 0, "陈建国" }, second = { "member", 0, 0, 0, "李红" };
	struct wish_input draft = in;
	char taken[64];
	struct testdb t;
	int64_t id, submitted;

	(void)state;
	assert_int_equal(testdb_open(&t, "wish"), 0);
	first.member_id = second.member_id = t.member;
	assert_int_equal(wish_create(t.db, &staff, &in, &id), WISH_OK);
	draft.state = "submitted";
	assert_int_equal(wish_create(t.db, &staff, &draft, &submitted), WISH_OK);
	assert_int_equal(wish_claim(t.db, &member, id, &first, taken, sizeof(taken)), WISH_OK);
	assert_int_equal(wish_claim(t.db, &member, id, &second, taken, sizeof(taken)), WISH_TAKEN);
	assert_string_equal(taken, "陈建国");
	assert_int_equal(wish_claim(t.db, &member, submitted, &second, taken, sizeof(taken)), WISH_NOT_FOUND);
	assert_int_equal(wish_claim(t.db, &member, 9999, &second, taken, sizeof(taken)), WISH_NOT_FOUND);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'claim'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish WHERE state = 'claimed' AND claimer_name = '陈建国' "
				     "AND claim_until = claimed_at + 259200"),
			 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.claim'"), 1);
	/* Before the deadline: not the staff's to release, nor another account's; the claimer's is. */
	assert_int_equal(wish_release(t.db, &staff, id, true), WISH_BAD_STATE);
	assert_int_equal(wish_release(t.db, &(struct actor){ 8, "test" }, id, false), WISH_BAD_STATE);
	assert_int_equal(wish_release(t.db, &member, id, false), WISH_OK);
	assert_int_equal(wish_release(t.db, &member, id, false), WISH_BAD_STATE);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish WHERE state = 'published' AND claimer_name = '' AND "
				     "claimer_member_id IS NULL"),
			 1);
	/* Released, another claims it. */
	assert_int_equal(wish_claim(t.db, &member, id, &second, taken, sizeof(taken)), WISH_OK);
	assert_int_equal(wish_claim(t.db, &member, id, &first, taken, sizeof(taken)), WISH_TAKEN);
	assert_string_equal(taken, "李红");
	/* After the deadline, staff release it. */
	assert_int_equal(db_run(t.db, "UPDATE wish SET claim_until = claimed_at - 1"), DB_OK);
	assert_int_equal(wish_release(t.db, &member, id, false), WISH_BAD_STATE);
	assert_int_equal(wish_release(t.db, &staff, id, true), WISH_OK);
	assert_int_equal(wish_release(t.db, &staff, 9999, true), WISH_NOT_FOUND);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'release'"), 2);
	/* Fulfilled by its claimer only, never over the cap (300 元). */
	assert_int_equal(wish_fulfil(t.db, &member, id, "送到了", 100, 60), WISH_BAD_STATE); /* published */
	assert_int_equal(wish_claim(t.db, &member, id, &first, taken, sizeof(taken)), WISH_OK);
	assert_int_equal(wish_fulfil(t.db, &(struct actor){ 8, "test" }, id, "送到了", 100, 60), WISH_BAD_STATE);
	assert_int_equal(wish_fulfil(t.db, &member, id, "送到了", 301, 60), WISH_OVER_CAP);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish WHERE state = 'claimed' AND value_spent IS NULL"), 1);
	assert_int_equal(wish_fulfil(t.db, &member, id, "送到了", 300, 60), WISH_OK);
	assert_int_equal(wish_fulfil(t.db, &member, id, "送到了", 300, 60), WISH_BAD_STATE);
	assert_int_equal(wish_fulfil(t.db, &member, 9999, "送到了", 300, 60), WISH_NOT_FOUND);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish WHERE state = 'fulfilled' AND value_spent = 300 AND "
				     "minutes = 60"),
			 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'fulfil'"), 1);
	assert_int_equal(testdb_close(&t), 0);
}

/* Staff's steps: approve, refuse with a reason, publish and republish after the sweep expired it. */
static void staff_approve_refuse_publish_and_the_sweep_expires(void **state)
{
	static const struct actor staff = { 0, "test" };
	struct wish_input in = { TESTDB_COMMUNITY, TESTDB_PATH, "王小明", "一副老花镜", "看报用", 300, "submitted", 0, 0 };
	int64_t a, b, c, ids[2], failed;
	struct testdb t;
	struct wish w;
	size_t n;

	(void)state;
	assert_int_equal(testdb_open(&t, "wishsteps"), 0);
	assert_int_equal(wish_create(t.db, &staff, &in, &a), WISH_OK);
	assert_int_equal(wish_create(t.db, &staff, &in, &b), WISH_OK);
	assert_int_equal(wish_create(t.db, &staff, &in, &c), WISH_OK);
	assert_int_equal(wish_publish(t.db, &staff, a, 0), WISH_BAD_STATE); /* not approved yet */
	assert_int_equal(wish_approve(t.db, &staff, a), WISH_OK);
	assert_int_equal(wish_approve(t.db, &staff, a), WISH_BAD_STATE);
	assert_int_equal(wish_refuse(t.db, &staff, a, "不合适"), WISH_BAD_STATE);
	assert_int_equal(wish_refuse(t.db, &staff, b, "超出社区能力"), WISH_OK);
	assert_int_equal(wish_get(t.db, b, &w), WISH_OK);
	assert_string_equal(w.state, "refused");
	assert_string_equal(w.refuse_reason, "超出社区能力");
	assert_int_equal(wish_approve(t.db, &staff, 9999), WISH_NOT_FOUND);
	assert_int_equal(wish_publish(t.db, &staff, a, 1000), WISH_OK);
	assert_int_equal(wish_get(t.db, a, &w), WISH_OK);
	assert_string_equal(w.state, "published");
	assert_int_equal(w.publish_until, 1000);
	/* The sweep: a's publish_until (1000) has passed, c is not published. */
	assert_int_equal(wish_expire_due(t.db, &staff, 999, &n), WISH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(wish_expire_due(t.db, &staff, 1001, &n), WISH_OK);
	assert_int_equal(n, 1);
	assert_int_equal(wish_get(t.db, a, &w), WISH_OK);
	assert_string_equal(w.state, "expired");
	assert_int_equal(wish_expire_due(t.db, &staff, 1001, &n), WISH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(wish_publish(t.db, &staff, a, 0), WISH_OK); /* published again, with no end */
	assert_int_equal(wish_expire_due(t.db, &staff, INT64_MAX / 2, &n), WISH_OK);
	assert_int_equal(n, 0);
	/* Bulk: all or nothing. b is refused, so neither c nor b changes; then c alone goes. */
	ids[0] = c;
	ids[1] = b;
	assert_int_equal(wish_approve_many(t.db, &staff, ids, 2, 0, &failed), WISH_BAD_STATE);
	assert_int_equal(failed, b);
	assert_int_equal(wish_get(t.db, c, &w), WISH_OK);
	assert_string_equal(w.state, "submitted");
	ids[1] = 9999;
	assert_int_equal(wish_approve_many(t.db, &staff, ids, 2, 0, &failed), WISH_NOT_FOUND);
	assert_int_equal(failed, 9999);
	assert_int_equal(wish_approve_many(t.db, &staff, ids, 1, 0, &failed), WISH_OK);
	assert_int_equal(wish_get(t.db, c, &w), WISH_OK);
	assert_string_equal(w.state, "published");
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'expire'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'refuse' AND note = '超出社区能力'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.approve'"), 2);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.publish'"), 3);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.refuse'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.expire'"), 1);
	assert_int_equal(testdb_close(&t), 0);
}

/* Confirmed: the member's record (source wish, confirmed) and the wish bonus, in one go; never by the member. */
static void a_confirmed_wish_gives_the_record_and_the_bonus(void **state)
{
	static const struct actor staff = { 0, "test" };
	const struct actor member = { 7, "test" };
	struct wish_input in = { TESTDB_COMMUNITY, TESTDB_PATH, "王小明", "一副老花镜", "看报用", 300, "published", 0, 0 };
	struct wish_claimer me = { "member", 0, 0, 0, "陈建国" };
	struct field_errors errs = { 0 };
	char taken[64];
	struct testdb t;
	struct wish w;
	int64_t id;

	(void)state;
	assert_int_equal(testdb_open(&t, "wishconfirm"), 0);
	me.member_id = t.member;
	assert_int_equal(wish_create(t.db, &staff, &in, &id), WISH_OK);
	assert_int_equal(wish_confirm(t.db, &staff, id, NULL, &errs), WISH_BAD_STATE); /* published */
	assert_int_equal(wish_claim(t.db, &member, id, &me, taken, sizeof(taken)), WISH_OK);
	assert_int_equal(wish_fulfil(t.db, &member, id, "送到了", 120, 90), WISH_OK);
	assert_int_equal(wish_confirm(t.db, &member, id, NULL, &errs), WISH_OWN);
	assert_int_equal(wish_confirm(t.db, &staff, id, "ZZZ", &errs), WISH_INVALID);
	assert_true(field_errors_has(&errs, "item_code"));
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM record"), 0);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM bonus"), 0);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(wish_confirm(t.db, &staff, id, NULL, &errs), WISH_OK);
	assert_int_equal(wish_get(t.db, id, &w), WISH_OK);
	assert_string_equal(w.state, "closed");
	assert_true(w.record_id > 0 && w.bonus_id > 0);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM record WHERE source = 'wish' AND state = 'confirmed' AND "
				     "minutes = 90 AND origin_id = (SELECT id FROM wish) AND id = (SELECT record_id FROM wish)"),
			 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM bonus WHERE kind = 'wish' AND points = 5 AND ref_id = "
				     "(SELECT id FROM wish) AND id = (SELECT bonus_id FROM wish)"),
			 1);
	assert_int_equal(wish_confirm(t.db, &staff, id, NULL, &errs), WISH_BAD_STATE);
	assert_int_equal(wish_confirm(t.db, &staff, 9999, NULL, &errs), WISH_NOT_FOUND);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM wish_event WHERE kind = 'confirm'"), 1);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'wish.confirm'"), 1);
	assert_int_equal(testdb_close(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_whole_life_goes_through),
		cmocka_unit_test(side_paths),
		cmocka_unit_test(every_other_step_is_refused),
		cmocka_unit_test(names_are_masked_to_the_first_character),
		cmocka_unit_test(a_claimed_wish_is_not_claimed_twice),
		cmocka_unit_test(staff_approve_refuse_publish_and_the_sweep_expires),
		cmocka_unit_test(a_confirmed_wish_gives_the_record_and_the_bonus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
