/* test_duty_qr.c: a duty shift's check-in codes: a kind of their own (never an activity's), expiry, the window, posters; the scan on a real database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/qrtoken.h"
#include "domain/duty.h"
#include "testdb.h"

#define T8 1796601600LL /* 2026-12-07 (a Monday) 08:00 China time */
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

/* --- duty_scan on a real database: 门岗 on Monday 08:00-12:00, the member of testdb signed up --- */

static const struct actor cli = { 0, "test" };

static int64_t one(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;

	db_done(st);
	return v;
}

struct fixture {
	struct testdb t;
	int64_t shift, place;
};

static int setup(void **state)
{
	static struct fixture f;
	struct field_errors errs = { 0 };
	struct duty_post_input in = { .name = "门岗", .place = "大门" };
	struct duty_pattern p = { "2026-12-07", "2026-12-07", 1u << 1, 480, 720, 2 };
	int64_t post;
	size_t added, kept;

	memset(&f, 0, sizeof(f));
	if (testdb_open(&f.t, "dutyqr") < 0)
		return -1;
	/* testdb's member reported in through staff: approved already. */
	in.item_id = one(f.t.db, "SELECT id FROM catalog_item WHERE code = 'P04'");
	if (in.item_id < 0 || duty_post_add(f.t.db, &cli, TESTDB_COMMUNITY, &in, &errs, &post) != DUTY_OK ||
	    duty_shifts_create(f.t.db, &cli, post, &p, &errs, &added, &kept) != DUTY_OK || added != 1)
		return -1;
	f.shift = one(f.t.db, "SELECT id FROM duty_shift");
	if (duty_assign(f.t.db, &cli, f.shift, f.t.member, false, T8 - 3600, &f.place) != DUTY_OK)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	return testdb_close(&f->t);
}

static const char *place_state(struct fixture *f)
{
	static struct duty_assignment a;

	return duty_assignment_get(f->t.db, f->place, &a) == DUTY_OK ? a.state : "none";
}

static int64_t audits(struct fixture *f)
{
	return one(f->t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'duty.checkin_qr'");
}

/* Refused codes change nothing; the right one checks the member in once; closing makes the record. */
static void a_scan_checks_in_the_member_on_the_shift(void **state)
{
	struct fixture *f = *state;
	char c[QRTOKEN_MAX];
	enum qrtoken_verdict v;
	struct duty_place p;
	struct duty_closing closing;
	bool already;
	int64_t now = T8 - 10 * MIN;

	code(QRTOKEN_ACTIVITY, f->shift, QRTOKEN_SCREEN, qrtoken_slot(now), c);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, now, &v, &already, &p), DUTY_TOKEN);
	assert_int_equal(v, QRTOKEN_OTHER_SUBJECT);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, "S1.r1.00000000000000000000000000000000", now, &v, &already, &p),
			 DUTY_TOKEN);
	assert_int_equal(v, QRTOKEN_FORGED);
	code(QRTOKEN_SHIFT, f->shift, QRTOKEN_SCREEN, qrtoken_slot(T8 - 31 * MIN), c);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, T8 - 31 * MIN, &v, &already, &p), DUTY_TOKEN);
	assert_int_equal(v, QRTOKEN_TOO_EARLY);
	code(QRTOKEN_SHIFT, f->shift, QRTOKEN_SCREEN, qrtoken_slot(now - 60), c);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, now, &v, &already, &p), DUTY_TOKEN);
	assert_int_equal(v, QRTOKEN_EXPIRED);
	/* A shift that does not exist, signed all the same: as if forged. */
	code(QRTOKEN_SHIFT, f->shift + 1000, QRTOKEN_SCREEN, qrtoken_slot(now), c);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, now, &v, &already, &p), DUTY_TOKEN);
	assert_int_equal(v, QRTOKEN_FORGED);
	code(QRTOKEN_SHIFT, f->shift, QRTOKEN_SCREEN, qrtoken_slot(now), c);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member + 1000, c, now, &v, &already, &p), DUTY_NOT_ON_SHIFT);
	assert_string_equal(place_state(f), "signed");
	assert_int_equal(audits(f), 0);

	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, now, &v, &already, &p), DUTY_OK);
	assert_false(already);
	assert_int_equal(p.a.id, f->place);
	assert_string_equal(p.a.state, "checked_in");
	assert_int_equal(p.a.checked_in_at, now);
	assert_int_equal(p.s.id, f->shift);
	assert_int_equal(audits(f), 1);
	assert_int_equal(duty_scan(f->t.db, &cli, f->t.member, c, now + 20, &v, &already, &p), DUTY_OK);
	assert_true(already);
	assert_int_equal(p.a.checked_in_at, now);
	assert_int_equal(audits(f), 1);

	clock_pin(T8 + 4 * 3600 + 1); /* the record's start must not be in the future of the records' clock */
	assert_int_equal(duty_close(f->t.db, &cli, f->shift, T8 + 4 * 3600 + 1, &closing), DUTY_OK);
	clock_unpin();
	assert_int_equal(closing.worked, 1);
	assert_int_equal(closing.records, 1);
	assert_string_equal(place_state(f), "worked");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_shift_code_is_never_an_activity_code),
		cmocka_unit_test(reading_a_code),
		cmocka_unit_test(screen_codes_of_a_shift_expire),
		cmocka_unit_test(posters_of_a_shift),
		cmocka_unit_test_setup_teardown(a_scan_checks_in_the_member_on_the_shift, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
