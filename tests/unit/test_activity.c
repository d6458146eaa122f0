/* test_activity.c: check-in codes (signing, expiry, forgery, replay), recurring series, and the waiting list on a real database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/qrtoken.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/activity.h"
#include "domain/activity_signup.h"
#include "domain/attendance.h"
#include "domain/member.h"
#include "domain/registration.h"

#define T9 1772845200LL /* 2026-03-07 (a Saturday) 09:00 China time */
#define MIN 60
#define DAY 86400

static void key(uint8_t fill)
{
	uint8_t k[CRYPTO_KEY_BYTES];

	memset(k, fill, sizeof(k));
	crypto_key_set(k);
}

static void screen_code(int64_t activity, int64_t at, char out[QRTOKEN_MAX])
{
	struct qrtoken t = { activity, QRTOKEN_SCREEN, qrtoken_slot(at), QRTOKEN_ACTIVITY };

	qrtoken_make(&t, out);
}

/* An activity 09:00-11:00: a screen's code works in its slot and the next one, so for 30 to 60 seconds. */
static void screen_codes_expire(void **state)
{
	char code[QRTOKEN_MAX];
	struct qrtoken t;
	int64_t shown = T9 + 15 * MIN + 7; /* 09:15:07 */
	int64_t slot_start = qrtoken_slot(shown) * QRTOKEN_SLOT_SECONDS;

	(void)state;
	key(1);
	screen_code(42, shown, code);
	assert_int_equal(qrtoken_check(code, 42, T9, T9 + 120 * MIN, false, shown, &t), QRTOKEN_ACCEPTED);
	assert_int_equal(t.id, 42);
	assert_int_equal(t.kind, QRTOKEN_SCREEN);
	assert_int_equal(qrtoken_check(code, 42, T9, T9 + 120 * MIN, false, slot_start + 59, NULL), QRTOKEN_ACCEPTED);
	/* A photo of it, a minute later: refused. */
	assert_int_equal(qrtoken_check(code, 42, T9, T9 + 120 * MIN, false, slot_start + 60, NULL), QRTOKEN_EXPIRED);
	assert_int_equal(qrtoken_check(code, 42, T9, T9 + 120 * MIN, false, shown + DAY, NULL), QRTOKEN_EXPIRED);
	/* A code from a slot still to come (a clock ahead) is not taken either. */
	assert_int_equal(qrtoken_check(code, 42, T9, T9 + 120 * MIN, false, slot_start - 1, NULL), QRTOKEN_EXPIRED);
}

static void codes_work_only_in_the_window(void **state)
{
	char code[QRTOKEN_MAX];
	int64_t end = T9 + 120 * MIN;

	(void)state;
	key(1);
	screen_code(42, T9 - 31 * MIN, code);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, T9 - 31 * MIN, NULL), QRTOKEN_TOO_EARLY);
	screen_code(42, T9 - 30 * MIN, code);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, T9 - 30 * MIN, NULL), QRTOKEN_ACCEPTED);
	screen_code(42, end + 1, code);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, end + 1, NULL), QRTOKEN_TOO_LATE);
	/* A screen's code checks out until half an hour after the end. */
	assert_int_equal(qrtoken_check(code, 42, T9, end, true, end + 1, NULL), QRTOKEN_ACCEPTED);
	screen_code(42, end + 31 * MIN, code);
	assert_int_equal(qrtoken_check(code, 42, T9, end, true, end + 31 * MIN, NULL), QRTOKEN_TOO_LATE);
}

static void posters_last_from_half_an_hour_before_to_the_end(void **state)
{
	struct qrtoken t = { 42, QRTOKEN_POSTER, T9, QRTOKEN_ACTIVITY };
	char code[QRTOKEN_MAX];
	int64_t end = T9 + 120 * MIN;

	(void)state;
	key(1);
	qrtoken_make(&t, code);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, T9 - 31 * MIN, NULL), QRTOKEN_TOO_EARLY);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, T9 - 30 * MIN, NULL), QRTOKEN_ACCEPTED);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, end, NULL), QRTOKEN_ACCEPTED);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, end + 1, NULL), QRTOKEN_TOO_LATE);
	assert_int_equal(qrtoken_check(code, 42, T9, end, true, end + 1, NULL), QRTOKEN_TOO_LATE);
	/* The activity moved to the afternoon: posters printed for the morning are refused. */
	assert_int_equal(qrtoken_check(code, 42, T9 + 300 * MIN, T9 + 420 * MIN, false, T9 + 310 * MIN, NULL),
			 QRTOKEN_STALE_POSTER);
}

static void forged_and_other_activities_codes(void **state)
{
	char code[QRTOKEN_MAX], bad[QRTOKEN_MAX + 8];
	int64_t now = T9 + 5 * MIN, end = T9 + 120 * MIN;
	const char *junk[] = { "", "A42", "A42.r1", "hello", "A042.r59066.00000000000000000000000000000000",
			       "A42.x59066.00000000000000000000000000000000", "A-1.r5.00000000000000000000000000000000" };

	(void)state;
	key(1);
	screen_code(42, now, code);
	/* Another activity's genuine code. */
	assert_int_equal(qrtoken_check(code, 43, T9, end, false, now, NULL), QRTOKEN_OTHER_ACTIVITY);
	/* The same code with its activity changed, its signature altered, cut short or in capitals. */
	snprintf(bad, sizeof(bad), "A43%s", code + 3);
	assert_int_equal(qrtoken_check(bad, 43, T9, end, false, now, NULL), QRTOKEN_FORGED);
	snprintf(bad, sizeof(bad), "%s", code);
	bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0';
	assert_int_equal(qrtoken_check(bad, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	bad[strlen(bad) - 1] = '\0';
	assert_int_equal(qrtoken_check(bad, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	snprintf(bad, sizeof(bad), "%sa", code);
	assert_int_equal(qrtoken_check(bad, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++)
		assert_int_equal(qrtoken_check(junk[i], 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	assert_int_equal(qrtoken_check(NULL, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	/* A screen's code made into a poster's (its kind changed) is forged too. */
	snprintf(bad, sizeof(bad), "%s", code);
	*strchr(bad, 'r') = 'p';
	assert_int_equal(qrtoken_check(bad, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
	/* Another installation's key makes codes this one refuses. */
	key(2);
	assert_int_equal(qrtoken_check(code, 42, T9, end, false, now, NULL), QRTOKEN_FORGED);
}

static void codes_are_deterministic_and_short(void **state)
{
	char a[QRTOKEN_MAX], b[QRTOKEN_MAX];

	(void)state;
	key(1);
	screen_code(123456, T9, a);
	screen_code(123456, T9 + 10, b);
	assert_string_equal(a, b); /* the same slot: the same code, on every server of the installation */
	screen_code(123456, T9 + 30, b);
	assert_string_not_equal(a, b);
	assert_true(strlen(a) < 64);
	assert_int_equal(strncmp(a, "A123456.r", 9), 0);
}

/* Expands a weekly repeat from starts_at into days; returns how many. */
static size_t expand(int64_t starts_at, unsigned weekdays, int64_t until, int64_t count, size_t max, int64_t *days)
{
	struct activity_repeat r = { weekdays, until, count };
	size_t n;

	activity_series_expand(starts_at, &r, max, days, &n);
	return n;
}

#define MON 1u
#define WED 4u
#define SAT 32u
#define SUN 64u

static void series_expand_by_china_weekdays(void **state)
{
	int64_t days[64];

	(void)state;
	/* Every Saturday, four times, from a Saturday. */
	assert_int_equal(expand(T9, SAT, 0, 4, 52, days), 4);
	assert_int_equal(days[0], 0);
	assert_int_equal(days[3], 21);
	/* Monday and Wednesday from Saturday 2026-03-07 until Wednesday 2026-03-18 (its last moment counts). */
	assert_int_equal(expand(T9, MON | WED, T9 + 11 * DAY + 14 * 3600, 0, 52, days), 4);
	assert_int_equal(days[0], 2); /* Monday the 9th */
	assert_int_equal(days[1], 4);
	assert_int_equal(days[2], 9);
	assert_int_equal(days[3], 11);
	/* 00:30 on Sunday in China is still Saturday in UTC: the weekday is China's. */
	assert_int_equal(expand(T9 + 15 * 3600 + 30 * MIN, SUN, 0, 1, 52, days), 1);
	assert_int_equal(days[0], 0);
	assert_int_equal(expand(T9 + 15 * 3600 + 30 * MIN, SAT, 0, 1, 52, days), 1);
	assert_int_equal(days[0], 6);
	/* Until a day before the start: none. A cap: at most max. */
	assert_int_equal(expand(T9, SAT, T9 - DAY, 0, 52, days), 0);
	assert_int_equal(expand(T9, SAT | SUN, T9 + 400 * DAY, 0, 53, days), 53);
	assert_int_equal(expand(T9, 127, 0, 10, 53, days), 10);
	assert_int_equal(days[9], 9);
	assert_int_equal(expand(T9, 0, 0, 10, 53, days), 0);
}

/* The waiting list on a real database: a community, an item, five approved members. */
struct fixture {
	char dir[64];
	struct db *db;
	int64_t members[5], activity;
	int64_t t0; /* when members sign up: two days before the activity, which was ten days ago (records are of the past) */
};

static const struct actor staff = { 0, "test" };

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[96], err[256], id[32], name[32], phone[24];
	struct field_errors errs = { 0 };
	int64_t start = (clock_now() / DAY - 10) * DAY + 3600; /* 09:00 China time, ten days ago */
	struct activity_input in = { .community_code = "440111002011", .item_id = 0, .title = "环境整治",
				     .place = "社区广场", .starts_at = start, .ends_at = start + 7200, .capacity = 2,
				     .audience = "community" };
	struct db_stmt *st;
	size_t n;

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-act-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	key(7);
	if (db_open(path, &f->db, err, sizeof(err)) < 0 || migrate_apply(f->db, err, sizeof(err)) < 0)
		return -1;
	assert_int_equal(db_run(f->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) "
				       "VALUES ('440100000000', NULL, 'city', '广州市', '广州市', '/440100000000/', 0), "
				       "('440111000000', '440100000000', 'district', '白云区', '白云区', "
				       "'/440100000000/440111000000/', 0), ('440111002000', '440111000000', 'street', "
				       "'三元里街道', '三元里街道', '/440100000000/440111000000/440111002000/', 0), "
				       "('440111002011', '440111002000', 'community', '石榴桥社区', '石榴桥社区', "
				       "'/440100000000/440111000000/440111002000/440111002011/', 0)"),
			 DB_OK);
	st = db_prepare(f->db, "SELECT id FROM catalog_item WHERE code = 'A01'");
	assert_int_equal(db_step(st), DB_ROW);
	in.item_id = db_col_int(st, 0);
	db_done(st);
	for (int i = 0; i < 5; i++) {
		/* Valid ID numbers: 440111 19900101 + serial, with the check digit computed. */
		static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
		struct member_input m = { .name = name, .phone = phone, .id_number = id, .community_code = "440111002011" };
		int64_t reg, sum = 0;

		snprintf(id, sizeof(id), "44011119900101%03d", 101 + i);
		for (int k = 0; k < 17; k++)
			sum += (id[k] - '0') * w[k];
		id[17] = "10X98765432"[sum % 11];
		id[18] = '\0';
		snprintf(name, sizeof(name), "党员%d", i + 1);
		snprintf(phone, sizeof(phone), "1390000000%d", i);
		assert_int_equal(db_begin(f->db), 0);
		assert_int_equal(member_insert(f->db, &staff, &m, 0, &f->members[i]), MEMBER_OK);
		assert_int_equal(registration_submit(f->db, &staff, f->members[i], "440111002011", CHANNEL_STAFF, &reg),
				 REG_OK);
		assert_int_equal(db_commit(f->db), 0);
	}
	assert_int_equal(activity_create(f->db, &staff, &in, NULL, true, &errs, &f->activity, &n), ACTIVITY_OK);
	f->t0 = start - 2 * DAY;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static struct activity_signup sign(struct fixture *f, int i, int64_t now)
{
	struct activity_signup s;

	assert_int_equal(activity_signup_add(f->db, &staff, f->activity, f->members[i], false, now, &s), ACTIVITY_OK);
	return s;
}

static const char *state_of(struct fixture *f, int i)
{
	static struct activity_signup s;

	if (activity_signup_find(f->db, f->activity, f->members[i], &s) != ACTIVITY_OK)
		return "none";
	return s.state;
}

static void waiting_list_moves_up_in_order(void **state)
{
	struct fixture *f = *state;
	struct activity_signup s;
	struct activity a;
	int64_t now = f->t0;

	assert_string_equal(sign(f, 0, now).state, "signed");
	assert_string_equal(sign(f, 1, now).state, "signed");
	s = sign(f, 2, now);
	assert_string_equal(s.state, "waiting");
	assert_int_equal(s.position, 1);
	s = sign(f, 3, now);
	assert_int_equal(s.position, 2);
	assert_int_equal(activity_signup_add(f->db, &staff, f->activity, f->members[3], false, now, &s), ACTIVITY_ALREADY);
	/* A place freed: the first waiting moves up, the second becomes first. */
	assert_int_equal(activity_signup_cancel(f->db, &staff, f->activity, f->members[0], now), ACTIVITY_OK);
	assert_string_equal(state_of(f, 0), "none");
	assert_string_equal(state_of(f, 2), "signed");
	assert_int_equal(activity_signup_find(f->db, f->activity, f->members[3], &s), ACTIVITY_OK);
	assert_int_equal(s.position, 1);
	/* One who waits leaving frees no place. */
	s = sign(f, 4, now);
	assert_int_equal(s.position, 2);
	assert_int_equal(activity_signup_cancel(f->db, &staff, f->activity, f->members[3], now), ACTIVITY_OK);
	assert_string_equal(state_of(f, 4), "waiting");
	assert_int_equal(activity_signup_find(f->db, f->activity, f->members[4], &s), ACTIVITY_OK);
	assert_int_equal(s.position, 1);
	/* Staff taking one off moves the list up too. */
	assert_int_equal(activity_signup_find(f->db, f->activity, f->members[1], &s), ACTIVITY_OK);
	assert_int_equal(activity_signup_remove(f->db, &staff, s.id, "本人电话告知不能参加", now), ACTIVITY_OK);
	assert_string_equal(state_of(f, 4), "signed");
	assert_int_equal(activity_get(f->db, f->activity, &a), ACTIVITY_OK);
	assert_int_equal(a.signed_count, 2);
	assert_int_equal(a.waiting_count, 0);
	/* The one who cancelled may sign up again, at the end of the list. */
	s = sign(f, 0, now);
	assert_string_equal(s.state, "waiting");
	assert_int_equal(s.seq, 6);
}

static void more_places_move_the_list_fewer_are_refused(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	struct activity a;
	struct activity_input in;

	for (int i = 0; i < 5; i++)
		sign(f, i, f->t0);
	assert_int_equal(activity_get(f->db, f->activity, &a), ACTIVITY_OK);
	in = (struct activity_input){ .community_code = a.community_code, .item_id = a.item_id, .title = a.title,
				      .place = a.place, .starts_at = a.starts_at, .ends_at = a.ends_at,
				      .signup_deadline = a.signup_deadline, .capacity = 1, .audience = a.audience };
	assert_int_equal(activity_update(f->db, &staff, f->activity, &in, f->t0, &errs), ACTIVITY_CAPACITY);
	in.capacity = 4;
	assert_int_equal(activity_update(f->db, &staff, f->activity, &in, f->t0, &errs), ACTIVITY_OK);
	assert_string_equal(state_of(f, 2), "signed");
	assert_string_equal(state_of(f, 3), "signed");
	assert_string_equal(state_of(f, 4), "waiting");
}

static void deadlines_and_leave(void **state)
{
	struct fixture *f = *state;
	struct activity_signup s;
	struct activity a;

	assert_int_equal(activity_get(f->db, f->activity, &a), ACTIVITY_OK);
	sign(f, 0, f->t0);
	sign(f, 1, f->t0);
	sign(f, 2, f->t0);
	/* After the deadline a member neither signs up nor cancels a place; they ask for leave. */
	assert_int_equal(activity_signup_add(f->db, &staff, f->activity, f->members[3], false, a.signup_deadline + 1, &s),
			 ACTIVITY_DEADLINE);
	assert_int_equal(activity_signup_add(f->db, &staff, f->activity, f->members[3], true, a.signup_deadline + 1, &s),
			 ACTIVITY_OK); /* staff still may, into the waiting list */
	assert_string_equal(s.state, "waiting");
	assert_int_equal(activity_signup_cancel(f->db, &staff, f->activity, f->members[0], a.signup_deadline + 1),
			 ACTIVITY_DEADLINE);
	assert_int_equal(activity_signup_cancel(f->db, &staff, f->activity, f->members[2], a.signup_deadline + 1),
			 ACTIVITY_OK); /* one waiting may go */
	assert_int_equal(activity_signup_leave(f->db, &staff, f->activity, f->members[3], "x", a.signup_deadline + 1),
			 ACTIVITY_NOT_SIGNED); /* waiting: nothing to ask leave from */
	assert_int_equal(activity_signup_leave(f->db, &staff, f->activity, f->members[0], "出差", a.signup_deadline + 1),
			 ACTIVITY_OK);
	assert_int_equal(activity_signup_leave(f->db, &staff, f->activity, f->members[0], "出差", a.signup_deadline + 1),
			 ACTIVITY_LEAVE_STATE);
	assert_int_equal(activity_signup_find(f->db, f->activity, f->members[0], &s), ACTIVITY_OK);
	assert_int_equal(activity_signup_decide(f->db, &staff, s.id, false, "人手不够", a.signup_deadline + 1),
			 ACTIVITY_OK);
	assert_int_equal(activity_signup_decide(f->db, &staff, s.id, true, "", a.signup_deadline + 1),
			 ACTIVITY_LEAVE_STATE);
	assert_int_equal(activity_signup_leave(f->db, &staff, f->activity, f->members[0], "确实出差", a.signup_deadline + 1),
			 ACTIVITY_OK); /* asked again after a refusal */
	assert_int_equal(activity_signup_decide(f->db, &staff, s.id, true, "", a.signup_deadline + 1), ACTIVITY_OK);
	/* Leave keeps the place: the waiting list does not move. */
	assert_string_equal(state_of(f, 0), "signed");
	assert_string_equal(state_of(f, 3), "waiting");
	/* After the end nothing more. */
	assert_int_equal(activity_signup_add(f->db, &staff, f->activity, f->members[4], true, a.ends_at, &s),
			 ACTIVITY_ENDED);
}

static void closing_turns_attendance_into_records(void **state)
{
	struct fixture *f = *state;
	struct attendance_closing c;
	struct activity_signup s;
	struct activity a;
	char code[QRTOKEN_MAX];
	enum qrtoken_verdict v;
	bool already;

	assert_int_equal(activity_get(f->db, f->activity, &a), ACTIVITY_OK);
	sign(f, 0, f->t0);
	sign(f, 1, f->t0);
	screen_code(f->activity, a.starts_at - 5 * MIN, code);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, false, a.starts_at - 5 * MIN,
					 &v, &already, &s),
			 ACTIVITY_OK);
	assert_false(already);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, false, a.starts_at - 5 * MIN + 3,
					 &v, &already, &s),
			 ACTIVITY_OK);
	assert_true(already); /* the second scan counts once */
	assert_int_equal(s.checkin_at, a.starts_at - 5 * MIN);
	/* The photo of it later, to check out: refused. */
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, true, a.ends_at, &v, &already,
					 &s),
			 ACTIVITY_TOKEN);
	assert_int_equal(v, QRTOKEN_EXPIRED);
	screen_code(f->activity, a.ends_at - 30 * MIN, code);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, true, a.ends_at - 30 * MIN, &v,
					 &already, &s),
			 ACTIVITY_OK);
	/* A member without a place has no use for a code. */
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[4], code, false, a.ends_at - 30 * MIN, &v,
					 &already, &s),
			 ACTIVITY_NOT_SIGNED);
	assert_int_equal(attendance_close(f->db, &staff, f->activity, a.ends_at - 1, &c), ACTIVITY_NOT_ENDED);
	attendance_closing_release(&c);
	assert_int_equal(attendance_close(f->db, &staff, f->activity, a.ends_at + 60, &c), ACTIVITY_OK);
	assert_int_equal(c.records, 1); /* 90 minutes for member 0; member 1 absent */
	assert_int_equal(c.absent, 1);
	attendance_closing_release(&c);
	assert_int_equal(activity_signup_find(f->db, f->activity, f->members[0], &s), ACTIVITY_OK);
	assert_int_equal(s.record_minutes, 90);
	assert_string_equal(s.record_state, "pending");
	assert_int_equal(attendance_close(f->db, &staff, f->activity, a.ends_at + 60, &c), ACTIVITY_BAD_STATE);
	attendance_closing_release(&c);
}

/* Checked in with the screen's code: the same code (a photo of it, kept) does not check them out; a later one does. */
static void a_code_that_let_one_in_does_not_let_them_out(void **state)
{
	struct fixture *f = *state;
	int64_t in_at, next;
	struct activity_signup s;
	struct activity a;
	char code[QRTOKEN_MAX], later[QRTOKEN_MAX];
	enum qrtoken_verdict v;
	bool already;

	assert_int_equal(activity_get(f->db, f->activity, &a), ACTIVITY_OK);
	sign(f, 0, f->t0);
	in_at = a.starts_at + 40 * MIN + 5;
	/* The code of the slot before (still on the screen for the one who scanned it) is good for checking in. */
	screen_code(f->activity, in_at - QRTOKEN_SLOT_SECONDS, code);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, false, in_at, &v, &already, &s),
			 ACTIVITY_OK);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], code, true, in_at + 20, &v, &already,
					 &s),
			 ACTIVITY_TOKEN);
	assert_int_equal(v, QRTOKEN_REPLAYED);
	/* The code of the check-in's own slot is refused too: it may be the same picture. */
	screen_code(f->activity, in_at, later);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], later, true, in_at + 20, &v, &already,
					 &s),
			 ACTIVITY_TOKEN);
	assert_int_equal(v, QRTOKEN_REPLAYED);
	next = (qrtoken_slot(in_at) + 1) * QRTOKEN_SLOT_SECONDS;
	screen_code(f->activity, next, later);
	assert_int_equal(attendance_scan(f->db, &staff, f->activity, f->members[0], later, true, next, &v, &already, &s),
			 ACTIVITY_OK);
	assert_int_equal(s.checkout_at, next);
	assert_false(already);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screen_codes_expire),
		cmocka_unit_test(codes_work_only_in_the_window),
		cmocka_unit_test(posters_last_from_half_an_hour_before_to_the_end),
		cmocka_unit_test(forged_and_other_activities_codes),
		cmocka_unit_test(codes_are_deterministic_and_short),
		cmocka_unit_test(series_expand_by_china_weekdays),
		cmocka_unit_test_setup_teardown(waiting_list_moves_up_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(more_places_move_the_list_fewer_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(deadlines_and_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(closing_turns_attendance_into_records, setup, teardown),
		cmocka_unit_test_setup_teardown(a_code_that_let_one_in_does_not_let_them_out, setup, teardown),
	};

	crypto_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
