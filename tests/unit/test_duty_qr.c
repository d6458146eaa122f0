/* test_duty_qr.c: a duty shift's check-in codes: a kind of their own (never an activity's), expiry, the window, posters */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/crypto.h"
#include "base/qrtoken.h"

#define T8 1796608800LL /* 2026-12-07 (a Monday) 08:00 China time */
#define MIN 60

static void key(uint8_t fill)
{
	uint8_t k[CRYPTO_KEY_BYTES];

	memset(k, fill, sizeof(k));
	crypto_key_set(k);
}

static void code(enum qrtoken_subject subject, int64_t id, enum qrtoken_kind kind, int64_t slot,
		 char out[QRTOKEN_MAX])
{
	struct qrtoken t = { id, kind, slot, subject };

	qrtoken_make(&t, out);
}

/* Shift 7 and activity 7 share an id: neither's code works for the other, whatever the kind. */
static void a_shift_code_is_never_an_activity_code(void **state)
{
	char shift[QRTOKEN_MAX], activity[QRTOKEN_MAX], bad[QRTOKEN_MAX + 8];
	int64_t now = T8 + 5 * MIN, end = T8 + 240 * MIN;
	struct qrtoken t;

	(void)state;
	key(1);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(now), shift);
	code(QRTOKEN_ACTIVITY, 7, QRTOKEN_SCREEN, qrtoken_slot(now), activity);
	assert_int_equal(strncmp(shift, "S7.r", 4), 0);
	assert_int_equal(strncmp(activity, "A7.r", 4), 0);
	assert_int_equal(qrtoken_check_shift(shift, 7, T8, end, now, &t), QRTOKEN_ACCEPTED);
	assert_int_equal(t.subject, QRTOKEN_SHIFT);
	assert_int_equal(t.id, 7);
	assert_int_equal(qrtoken_check(activity, 7, T8, end, false, now, NULL), QRTOKEN_ACCEPTED);
	/* Crossed over: refused as the other subject's, for check-in and check-out alike. */
	assert_int_equal(qrtoken_check_shift(activity, 7, T8, end, now, NULL), QRTOKEN_OTHER_SUBJECT);
	assert_int_equal(qrtoken_check(shift, 7, T8, end, false, now, NULL), QRTOKEN_OTHER_SUBJECT);
	assert_int_equal(qrtoken_check(shift, 7, T8, end, true, now, NULL), QRTOKEN_OTHER_SUBJECT);
	/* A zero subject in the struct is an activity's, as every older caller means. */
	code(0, 7, QRTOKEN_SCREEN, qrtoken_slot(now), bad);
	assert_string_equal(bad, activity);
	/* The subject letter is signed: an activity's code relabelled as a shift's (and back) is forged. */
	snprintf(bad, sizeof(bad), "S%s", activity + 1);
	assert_int_equal(qrtoken_check_shift(bad, 7, T8, end, now, NULL), QRTOKEN_FORGED);
	assert_false(qrtoken_read(bad, &t));
	snprintf(bad, sizeof(bad), "A%s", shift + 1);
	assert_int_equal(qrtoken_check(bad, 7, T8, end, false, now, NULL), QRTOKEN_FORGED);
	/* Another shift's genuine code. */
	assert_int_equal(qrtoken_check_shift(shift, 8, T8, end, now, NULL), QRTOKEN_OTHER_ACTIVITY);
	/* Other letters are not codes at all. */
	snprintf(bad, sizeof(bad), "X%s", shift + 1);
	assert_int_equal(qrtoken_check_shift(bad, 7, T8, end, now, NULL), QRTOKEN_FORGED);
	/* Another installation's key. */
	key(2);
	assert_int_equal(qrtoken_check_shift(shift, 7, T8, end, now, NULL), QRTOKEN_FORGED);
}

/* qrtoken_read tells what a genuine code says (the shift a scan is for) and nothing of a forged one. */
static void reading_a_code(void **state)
{
	char c[QRTOKEN_MAX];
	struct qrtoken t = { 0 };

	(void)state;
	key(1);
	code(QRTOKEN_SHIFT, 123456, QRTOKEN_POSTER, T8, c);
	assert_true(qrtoken_read(c, &t));
	assert_int_equal(t.id, 123456);
	assert_int_equal(t.kind, QRTOKEN_POSTER);
	assert_int_equal(t.slot, T8);
	assert_int_equal(t.subject, QRTOKEN_SHIFT);
	c[strlen(c) - 1] = c[strlen(c) - 1] == '0' ? '1' : '0';
	memset(&t, 0, sizeof(t));
	assert_false(qrtoken_read(c, &t));
	assert_int_equal(t.id, 0);
	assert_false(qrtoken_read(NULL, &t));
	assert_false(qrtoken_read("", &t));
	assert_false(qrtoken_read("S1", &t));
}

/* A screen's code of a shift 08:00-12:00 works for 30 to 60 s, from 07:30 to 12:00. */
static void screen_codes_of_a_shift_expire(void **state)
{
	char c[QRTOKEN_MAX];
	int64_t end = T8 + 240 * MIN, shown = T8 + 17 * MIN + 3;
	int64_t slot_start = qrtoken_slot(shown) * QRTOKEN_SLOT_SECONDS;

	(void)state;
	key(1);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(shown), c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, slot_start + 59, NULL), QRTOKEN_ACCEPTED);
	/* A photo of the code a minute later, a day later, or a code from a slot to come. */
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, slot_start + 60, NULL), QRTOKEN_EXPIRED);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, shown + 86400, NULL), QRTOKEN_EXPIRED);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, slot_start - 1, NULL), QRTOKEN_EXPIRED);
	/* The window: half an hour before the start to the end; no check-out grace for shifts. */
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(T8 - 31 * MIN), c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, T8 - 31 * MIN, NULL), QRTOKEN_TOO_EARLY);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(T8 - 30 * MIN), c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, T8 - 30 * MIN, NULL), QRTOKEN_ACCEPTED);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(end), c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, end, NULL), QRTOKEN_ACCEPTED);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_SCREEN, qrtoken_slot(end + 1), c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, end + 1, NULL), QRTOKEN_TOO_LATE);
}

/* A poster of the shift lasts from 07:30 to 12:00, for that start only. */
static void posters_of_a_shift(void **state)
{
	char c[QRTOKEN_MAX];
	int64_t end = T8 + 240 * MIN;

	(void)state;
	key(1);
	code(QRTOKEN_SHIFT, 7, QRTOKEN_POSTER, T8, c);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, T8 - 31 * MIN, NULL), QRTOKEN_TOO_EARLY);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, T8 - 30 * MIN, NULL), QRTOKEN_ACCEPTED);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, end, NULL), QRTOKEN_ACCEPTED);
	assert_int_equal(qrtoken_check_shift(c, 7, T8, end, end + 1, NULL), QRTOKEN_TOO_LATE);
	assert_int_equal(qrtoken_check_shift(c, 7, T8 + 60 * MIN, end, T8 + 61 * MIN, NULL), QRTOKEN_STALE_POSTER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_shift_code_is_never_an_activity_code),
		cmocka_unit_test(reading_a_code),
		cmocka_unit_test(screen_codes_of_a_shift_expire),
		cmocka_unit_test(posters_of_a_shift),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
