/* test_record.c: the record state machine, the correction arithmetic, and both on a real database; photo recognition */
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
#include "db/db.h"
#include "db/migrate.h"
#include "domain/member.h"
#include "domain/photo.h"
#include "domain/record.h"
#include "domain/registration.h"

#define A "440111002011" /* the member's community */

struct fixture {
	char dir[64];
	struct db *db;
	int64_t member, item, meals; /* 助老陪伴 (one required text field), 长者送餐 (a required number) */
	int64_t t0; /* a morning two days ago */
};

static const struct actor staff = { 0, "test" };

static void run(struct db *db, const char *sql)
{
	assert_int_equal(db_run(db, sql), DB_OK);
}

static int64_t item(struct db *db, const char *code)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM catalog_item WHERE code = ?");
	int64_t id;

	db_bind_text(st, 1, code);
	assert_int_equal(db_step(st), DB_ROW);
	id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t key[CRYPTO_KEY_BYTES] = { 9 };
	struct member_input in = { .name = "陈建国", .phone = "13800001011", .id_number = "440111197503120126" };
	char path[96], err[256];
	int64_t reg;

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-record-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	crypto_key_set(key);
	if (db_open(path, &f->db, err, sizeof(err)) < 0 || migrate_apply(f->db, err, sizeof(err)) < 0)
		return -1;
	run(f->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES "
		   "('440100000000', NULL, 'city', '广州市', '广州市', '/440100000000/', 0), "
		   "('440111000000', '440100000000', 'district', '白云区', '白云区', '/440100000000/440111000000/', 0), "
		   "('440111002000', '440111000000', 'street', '三元里街道', '三元里街道', "
		   "'/440100000000/440111000000/440111002000/', 0), "
		   "('" A "', '440111002000', 'community', '石榴桥社区', '石榴桥社区', "
		   "'/440100000000/440111000000/440111002000/" A "/', 0)");
	run(f->db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, created_at) VALUES "
		   "(7, '13800001011', '陈建国', 'x', 0, 0)");
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(member_insert(f->db, &staff, &in, 7, &f->member), MEMBER_OK);
	assert_int_equal(registration_submit(f->db, &staff, f->member, A, CHANNEL_STAFF, &reg), REG_OK);
	assert_int_equal(db_commit(f->db), 0);
	f->item = item(f->db, "G02");
	f->meals = item(f->db, "G01");
	f->t0 = clock_now() - 2 * 86400;
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

/* A member's own report of 助老陪伴 at t0 + offset minutes, lasting minutes. */
static int report(struct fixture *f, int64_t offset, int64_t minutes, int64_t *id)
{
	static const char *const names[] = { "服务对象" }, *const values[] = { "1栋 李伯" };
	struct record_input in = { .member_id = f->member, .item_id = f->item, .source = SOURCE_SELF,
				   .started_at = f->t0 + offset * 60, .minutes = minutes, .place = "1栋",
				   .content = "陪伴", .nfields = 1, .field_names = names, .field_values = values };
	struct field_errors errs = { 0 };
	const struct actor member = { 7, "test" };

	return record_create(f->db, &member, &in, false, &errs, id);
}

static struct record get(struct fixture *f, int64_t id)
{
	struct record r;

	assert_int_equal(record_get(f->db, id, &r), RECORD_OK);
	return r;
}

static void the_state_machine(void **state)
{
	static const char *const sources[] = { "activity", "post", "self", "staff" };

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const char *s = sources[i];

		assert_true(record_may("pending", s, CHANGE_MINUTES));
		assert_true(record_may("pending", s, CHANGE_CONFIRM));
		assert_true(record_may("pending", s, CHANGE_REJECT));
		assert_true(record_may("pending", s, CHANGE_PHOTO));
		assert_int_equal(record_may("pending", s, CHANGE_WITHDRAW), !strcmp(s, "self")); /* one's own report only */
		assert_false(record_may("pending", s, CHANGE_CORRECT));
		assert_false(record_may("pending", s, CHANGE_REQUEST));
		/* Confirmed: nothing changes it; it is corrected, and asked about. */
		for (int c = CHANGE_MINUTES; c <= CHANGE_PHOTO; c++)
			assert_false(record_may("confirmed", s, (enum record_change)c));
		assert_true(record_may("confirmed", s, CHANGE_CORRECT));
		assert_true(record_may("confirmed", s, CHANGE_REQUEST));
		for (int c = CHANGE_MINUTES; c <= CHANGE_REQUEST; c++) {
			assert_false(record_may("rejected", s, (enum record_change)c));
			assert_false(record_may("withdrawn", s, (enum record_change)c));
		}
	}
	/* A correction is confirmed at once and never corrected itself: the original is, again. */
	assert_false(record_may("confirmed", "correction", CHANGE_CORRECT));
	assert_false(record_may("confirmed", "correction", CHANGE_REQUEST));
	assert_false(record_may("pending", "correction", CHANGE_PHOTO));
}

static void the_correction_arithmetic(void **state)
{
	int64_t d = 12345;

	(void)state;
	assert_int_equal(record_correction_diff(90, 120, &d), RECORD_OK);
	assert_int_equal(d, 30);
	assert_int_equal(record_correction_diff(120, 45, &d), RECORD_OK);
	assert_int_equal(d, -75);
	assert_int_equal(record_correction_diff(60, 0, &d), RECORD_OK); /* reversed: the service counts nothing */
	assert_int_equal(d, -60);
	assert_int_equal(record_correction_diff(0, 1440, &d), RECORD_OK);
	assert_int_equal(d, 1440);
	d = 7;
	assert_int_equal(record_correction_diff(60, 60, &d), RECORD_INVALID); /* no change */
	assert_int_equal(record_correction_diff(60, -1, &d), RECORD_INVALID); /* never below zero */
	assert_int_equal(record_correction_diff(60, 1441, &d), RECORD_INVALID); /* never beyond a day */
	assert_int_equal(d, 7);
}

static void pending_to_confirmed_or_rejected(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	int64_t a, b;

	assert_int_equal(report(f, 0, 60, &a), RECORD_OK);
	assert_string_equal(get(f, a).state, "pending");
	assert_int_equal(record_decide(f->db, &staff, a, true, NULL), RECORD_OK);
	assert_string_equal(get(f, a).state, "confirmed");
	/* Confirmed never changes. */
	assert_int_equal(record_decide(f->db, &staff, a, true, NULL), RECORD_BAD_STATE);
	assert_int_equal(record_decide(f->db, &staff, a, false, "x"), RECORD_BAD_STATE);
	assert_int_equal(record_set_minutes(f->db, &staff, a, 30, "少算", &errs), RECORD_BAD_STATE);
	assert_int_equal(record_withdraw(f->db, &staff, a), RECORD_BAD_STATE);
	assert_int_equal(get(f, a).minutes, 60);

	assert_int_equal(report(f, 120, 60, &b), RECORD_OK);
	assert_int_equal(record_decide(f->db, &staff, b, false, "当天未安排"), RECORD_OK);
	assert_string_equal(get(f, b).state, "rejected");
	assert_string_equal(get(f, b).reason, "当天未安排");
	assert_int_equal(record_decide(f->db, &staff, b, true, NULL), RECORD_BAD_STATE);
	assert_int_equal(record_decide(f->db, &staff, 999, true, NULL), RECORD_NOT_FOUND);
}

static void minutes_and_overlaps(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	int64_t a, b, c;

	assert_int_equal(report(f, 0, 60, &a), RECORD_OK);
	assert_int_equal(report(f, 30, 60, &b), RECORD_OVERLAP); /* starts inside a */
	assert_int_equal(report(f, -30, 31, &b), RECORD_OVERLAP); /* ends inside a */
	assert_int_equal(report(f, -60, 60, &b), RECORD_OK); /* ends as a starts */
	assert_int_equal(report(f, 60, 30, &c), RECORD_OK); /* starts as a ends */
	assert_int_equal(report(f, 200, 0, &c), RECORD_INVALID);
	assert_int_equal(report(f, 200, -5, &c), RECORD_INVALID);
	assert_int_equal(report(f, 200, 1441, &c), RECORD_INVALID);
	/* Staff correct the minutes while it waits; longer must not overlap the next one. */
	assert_int_equal(record_set_minutes(f->db, &staff, a, 61, "多算了", &errs), RECORD_OVERLAP);
	assert_int_equal(record_set_minutes(f->db, &staff, a, 60, "同", &errs), RECORD_INVALID);
	assert_int_equal(record_set_minutes(f->db, &staff, a, 45, "提前离开", &errs), RECORD_OK);
	assert_int_equal(get(f, a).minutes, 45);
	assert_string_equal(get(f, a).reason, "提前离开");
	/* A rejected or withdrawn service no longer takes its time. */
	assert_int_equal(record_decide(f->db, &staff, c, false, "重复"), RECORD_OK);
	assert_int_equal(record_withdraw(f->db, &staff, b), RECORD_OK);
	assert_string_equal(get(f, b).state, "withdrawn");
	assert_int_equal(report(f, -60, 60, &b), RECORD_OK);
	assert_int_equal(report(f, 60, 30, &c), RECORD_OK);
}

static void corrections_add_up(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	struct record_summary sum;
	int64_t a, next, c1, c2;

	assert_int_equal(report(f, 0, 90, &a), RECORD_OK);
	assert_int_equal(record_correct(f->db, &staff, a, 120, "补记", &errs, &c1), RECORD_BAD_STATE); /* pending */
	assert_int_equal(record_decide(f->db, &staff, a, true, NULL), RECORD_OK);
	assert_int_equal(record_correct(f->db, &staff, a, 120, "补记", &errs, &c1), RECORD_OK);
	assert_string_equal(get(f, c1).source, "correction");
	assert_string_equal(get(f, c1).state, "confirmed");
	assert_int_equal(get(f, c1).corrects_id, a);
	assert_int_equal(get(f, c1).minutes, 30);
	assert_int_equal(get(f, a).minutes, 90); /* the record itself never changes */
	assert_int_equal(get(f, a).total_minutes, 120);
	assert_int_equal(record_correct(f->db, &staff, c1, 10, "x", &errs, &c2), RECORD_BAD_STATE);
	errs.n = 0;
	assert_int_equal(record_correct(f->db, &staff, a, 120, "同", &errs, &c2), RECORD_INVALID);
	errs.n = 0;
	assert_int_equal(record_correct(f->db, &staff, a, -1, "负", &errs, &c2), RECORD_INVALID);
	/* A longer service may not reach into the next one. */
	assert_int_equal(report(f, 150, 30, &next), RECORD_OK);
	errs.n = 0;
	assert_int_equal(record_correct(f->db, &staff, a, 151, "再补", &errs, &c2), RECORD_OVERLAP);
	assert_int_equal(record_correct(f->db, &staff, a, 0, "当天未到场", &errs, &c2), RECORD_OK);
	assert_int_equal(get(f, c2).minutes, -120);
	assert_int_equal(get(f, a).total_minutes, 0);
	assert_int_equal(get(f, a).ncorrections, 2);
	/* Reversed, its time is free again. */
	assert_int_equal(report(f, 10, 30, &next), RECORD_OK);
	assert_int_equal(record_summary(f->db, f->member, &sum), RECORD_OK);
	assert_int_equal(sum.confirmed, 1);
	assert_int_equal(sum.confirmed_minutes, 0);
	assert_int_equal(sum.pending, 2);
}

static void a_members_request(void **state)
{
	struct fixture *f = *state;
	const struct actor member = { 7, "test" };
	struct field_errors errs = { 0 };
	struct record_request q;
	int64_t a, q1, q2, c;

	assert_int_equal(report(f, 0, 60, &a), RECORD_OK);
	assert_int_equal(record_ask(f->db, &member, a, "少记了", 90, &errs, &q1), RECORD_BAD_STATE); /* not confirmed yet */
	assert_int_equal(record_decide(f->db, &staff, a, true, NULL), RECORD_OK);
	assert_int_equal(record_ask(f->db, &member, a, "少记了", 60, &errs, &q1), RECORD_INVALID); /* no change */
	errs.n = 0;
	assert_int_equal(record_ask(f->db, &member, a, "少记了半小时", 90, &errs, &q1), RECORD_OK);
	assert_int_equal(record_ask(f->db, &member, a, "再问一次", -1, &errs, &q2), RECORD_ASKED); /* one at a time */
	assert_int_equal(get(f, a).open_request_id, q1);
	/* The member never answers their own request: staff do. */
	assert_int_equal(record_answer(f->db, &member, q1, true, -1, NULL, &errs, &c), RECORD_OWN);
	assert_int_equal(record_answer(f->db, &staff, q1, false, -1, "", &errs, &c), RECORD_INVALID); /* an answer */
	errs.n = 0;
	assert_int_equal(record_answer(f->db, &staff, q1, true, -1, NULL, &errs, &c), RECORD_OK);
	assert_int_equal(record_request_get(f->db, q1, &q), RECORD_OK);
	assert_string_equal(q.state, "accepted");
	assert_int_equal(q.correction_id, c);
	assert_int_equal(get(f, a).total_minutes, 90);
	assert_int_equal(get(f, a).open_request_id, 0);
	assert_int_equal(record_answer(f->db, &staff, q1, false, -1, "晚了", &errs, &c), RECORD_BAD_STATE);
	/* Asked again, declined with an answer: nothing changes. */
	assert_int_equal(record_ask(f->db, &member, a, "还是少", 100, &errs, &q2), RECORD_OK);
	assert_int_equal(record_answer(f->db, &staff, q2, false, -1, "签到表显示 90 分钟", &errs, &c), RECORD_OK);
	assert_int_equal(get(f, a).total_minutes, 90);
}

static void staff_never_stamp_their_own(void **state)
{
	struct fixture *f = *state;
	const struct actor self = { 7, "test" }; /* the member's own account, as if it were also staff */
	const struct principal admin = { .account_id = 7, .ngrants = 1, .grants = { { .role = ROLE_ADMIN } } };
	struct field_errors errs = { 0 };
	enum record_outcome out[3];
	int64_t a, b, ids[3];

	assert_int_equal(report(f, 0, 60, &a), RECORD_OK);
	assert_int_equal(record_decide(f->db, &self, a, true, NULL), RECORD_OWN);
	assert_int_equal(record_set_minutes(f->db, &self, a, 30, "x", &errs), RECORD_OWN);
	assert_string_equal(get(f, a).state, "pending");
	/* In bulk: each id on its own rules, the others are confirmed; one transaction. */
	assert_int_equal(report(f, 60, 60, &b), RECORD_OK);
	ids[0] = a, ids[1] = 999, ids[2] = b;
	assert_int_equal(record_confirm_many(f->db, &self, &admin, ids, 3, out), RECORD_OK);
	assert_int_equal(out[0], OUTCOME_OWN);
	assert_int_equal(out[1], OUTCOME_NOT_FOUND);
	assert_int_equal(out[2], OUTCOME_OWN);
	ids[0] = a, ids[1] = b, ids[2] = a;
	assert_int_equal(record_confirm_many(f->db, &staff, &admin, ids, 3, out), RECORD_OK);
	assert_int_equal(out[0], OUTCOME_CONFIRMED);
	assert_int_equal(out[1], OUTCOME_CONFIRMED);
	assert_int_equal(out[2], OUTCOME_DECIDED); /* the same id twice */
	assert_string_equal(get(f, b).state, "confirmed");
	/* Out of the principal's reach: as if it were not there. */
	assert_int_equal(report(f, 200, 10, &a), RECORD_OK);
	assert_int_equal(record_confirm_many(f->db, &staff, &(struct principal){ 0 }, &a, 1, out), RECORD_OK);
	assert_int_equal(out[0], OUTCOME_NOT_FOUND);
	assert_string_equal(get(f, a).state, "pending");
}

static void fields_and_the_window(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	const char *names[] = { "送餐份数" }, *values[] = { "六" };
	struct record_input in = { .member_id = f->member, .item_id = f->meals, .source = SOURCE_SELF,
				   .started_at = clock_now() - 30 * 60, .minutes = 60, .nfields = 1,
				   .field_names = names, .field_values = values };
	int64_t id;

	assert_int_equal(record_create(f->db, &staff, &in, false, &errs, &id), RECORD_INVALID);
	assert_int_equal(errs.n, 2);
	assert_string_equal(errs.items[0].field, "minutes"); /* ends after now */
	assert_string_equal(errs.items[1].field, "fields.送餐份数");
	errs.n = 0;
	values[0] = "6";
	in.started_at = clock_now() - (RECORD_SELF_DAYS + 1) * 86400;
	assert_int_equal(record_create(f->db, &staff, &in, false, &errs, &id), RECORD_INVALID);
	assert_string_equal(errs.items[0].field, "started_at"); /* too long ago for one's own report */
	errs.n = 0;
	in.source = SOURCE_STAFF; /* staff may enter an older one from a paper log */
	assert_int_equal(record_create(f->db, &staff, &in, true, &errs, &id), RECORD_OK);
	assert_string_equal(get(f, id).state, "confirmed");
}

static void photos_are_told_by_their_bytes(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
	struct photo_image img;
	void *jpeg;
	size_t len;

	(void)state;
	assert_int_equal(photo_sniff("\xff\xd8\xff\xe0", 4), PHOTO_JPEG);
	assert_int_equal(photo_sniff(png, sizeof(png)), PHOTO_PNG);
	assert_int_equal(photo_sniff("%PDF-1.7", 8), PHOTO_NONE);
	assert_int_equal(photo_sniff("<!doctype html>", 15), PHOTO_NONE);
	assert_int_equal(photo_sniff("\xff\xd8", 2), PHOTO_NONE);
	assert_int_equal(photo_encode("", 0, &img), PHOTO_EMPTY);
	assert_int_equal(photo_encode("%PDF-1.7\n", 9, &img), PHOTO_NOT_IMAGE);
	assert_int_equal(photo_sample(&jpeg, &len), 0);
	assert_int_equal(photo_encode(jpeg, len / 2, &img), PHOTO_BROKEN); /* truncated */
	assert_int_equal(photo_encode(jpeg, len, &img), PHOTO_OK);
	assert_int_equal(img.width, 480);
	assert_int_equal(img.height, 360);
	assert_true(img.thumb_len > 0 && img.thumb_len < img.len);
	photo_image_release(&img);
	free(jpeg);
}

static void a_photo_folder_leaves_room_for_its_names(void **state)
{
	char longest[1024];

	(void)state;
	assert_int_equal(photo_set_dir(""), -1);
	assert_int_equal(photo_set_dir("/srv/baodao-photos///"), 0);
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_int_equal(photo_set_dir(longest), -1); /* no room left for "/ab/" and a name */
	longest[1024 - sizeof("/ab/") - 48 - 1] = '\0';
	assert_int_equal(photo_set_dir(longest), 0);
	assert_int_equal(photo_set_dir(NULL), 0); /* back to photos/ beside the database */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_state_machine),
		cmocka_unit_test(the_correction_arithmetic),
		cmocka_unit_test_setup_teardown(pending_to_confirmed_or_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(minutes_and_overlaps, setup, teardown),
		cmocka_unit_test_setup_teardown(corrections_add_up, setup, teardown),
		cmocka_unit_test_setup_teardown(a_members_request, setup, teardown),
		cmocka_unit_test_setup_teardown(staff_never_stamp_their_own, setup, teardown),
		cmocka_unit_test_setup_teardown(fields_and_the_window, setup, teardown),
		cmocka_unit_test(photos_are_told_by_their_bytes),
		cmocka_unit_test(a_photo_folder_leaves_room_for_its_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
