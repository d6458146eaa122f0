/* test_registration.c: the report-in state machine on a real database: every allowed and refused transition */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/member.h"
#include "domain/registration.h"

#define A "440111002011" /* community A */
#define B "440111002001" /* community B */

struct fixture {
	char dir[64];
	struct db *db;
	int64_t member;
};

static const struct actor staff = { 0, "test" };

static void run(struct db *db, const char *sql)
{
	assert_int_equal(db_run(db, sql), DB_OK);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t key[CRYPTO_KEY_BYTES] = { 7 };
	struct member_input in = { .name = "王党员", .phone = "13800000005", .id_number = "440111199003071232" };
	char path[96], err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-reg-XXXXXX");
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
		   "'/440100000000/440111000000/440111002000/" A "/', 0), "
		   "('" B "', '440111002000', 'community', '飞鹅新村社区', '飞鹅新村社区', "
		   "'/440100000000/440111000000/440111002000/" B "/', 0)");
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(member_insert(f->db, &staff, &in, 0, &f->member), MEMBER_OK);
	assert_int_equal(db_commit(f->db), 0);
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

/* Files a report-in in its own transaction, as the API does. */
static int submit(struct fixture *f, const char *community, enum reg_channel ch, int64_t *id)
{
	int rc;

	assert_int_equal(db_begin(f->db), 0);
	rc = registration_submit(f->db, &staff, f->member, community, ch, id);
	if (rc == REG_OK)
		assert_int_equal(db_commit(f->db), 0);
	else
		db_rollback(f->db);
	return rc;
}

static const char *state_of(struct fixture *f, int64_t id)
{
	static struct registration r;

	assert_int_equal(registration_get(f->db, id, &r), REG_OK);
	return r.state;
}

static void pending_to_approved_or_rejected(void **state)
{
	struct fixture *f = *state;
	int64_t id, id2;

	assert_int_equal(submit(f, A, CHANNEL_SELF, &id), REG_OK);
	assert_string_equal(state_of(f, id), "pending");
	assert_int_equal(submit(f, B, CHANNEL_SELF, &id2), REG_PENDING_EXISTS); /* one open at a time */
	assert_int_equal(registration_decide(f->db, &staff, id, false, "不住本社区"), REG_OK);
	assert_string_equal(state_of(f, id), "rejected");
	assert_int_equal(registration_decide(f->db, &staff, id, true, NULL), REG_BAD_STATE); /* decided is final */
	assert_int_equal(registration_withdraw(f->db, &staff, id), REG_BAD_STATE);
	assert_int_equal(submit(f, A, CHANNEL_SELF, &id2), REG_OK); /* may ask again */
	assert_int_equal(registration_decide(f->db, &staff, id2, true, NULL), REG_OK);
	assert_string_equal(state_of(f, id2), "approved");
	assert_int_equal(registration_decide(f->db, &staff, id2, false, "x"), REG_BAD_STATE);
}

static void staff_entry_is_approved_at_once(void **state)
{
	struct fixture *f = *state;
	struct member m;
	int64_t id;

	assert_int_equal(submit(f, A, CHANNEL_STAFF, &id), REG_OK);
	assert_string_equal(state_of(f, id), "approved");
	assert_int_equal(member_get(f->db, f->member, &m), MEMBER_OK);
	assert_string_equal(m.community_code, A);
	assert_int_equal(submit(f, A, CHANNEL_SELF, &id), REG_ALREADY_HERE);
}

static void transfer_closes_the_old_report_in(void **state)
{
	struct fixture *f = *state;
	struct reg_event *ev;
	struct member m;
	int64_t a, b;
	size_t n;

	assert_int_equal(submit(f, A, CHANNEL_STAFF, &a), REG_OK);
	assert_int_equal(submit(f, B, CHANNEL_SELF, &b), REG_OK);
	assert_string_equal(state_of(f, a), "approved"); /* still active until B approves */
	assert_int_equal(registration_decide(f->db, &staff, b, true, NULL), REG_OK);
	assert_string_equal(state_of(f, a), "transferred");
	assert_string_equal(state_of(f, b), "approved");
	assert_int_equal(member_get(f->db, f->member, &m), MEMBER_OK);
	assert_string_equal(m.community_code, B);
	assert_int_equal(registration_timeline(f->db, f->member, &ev, &n), REG_OK);
	assert_int_equal(n, 5);
	assert_string_equal(ev[3].event, "transferred");
	assert_string_equal(ev[3].community_code, A);
	free(ev);
}

static void transfer_refused_leaves_the_old_one_active(void **state)
{
	struct fixture *f = *state;
	int64_t a, b;

	assert_int_equal(submit(f, A, CHANNEL_STAFF, &a), REG_OK);
	assert_int_equal(submit(f, B, CHANNEL_SELF, &b), REG_OK);
	assert_int_equal(registration_decide(f->db, &staff, b, false, "查无此人"), REG_OK);
	assert_string_equal(state_of(f, a), "approved");
}

static void withdraw_and_leave(void **state)
{
	struct fixture *f = *state;
	int64_t id;

	assert_int_equal(registration_leave(f->db, &staff, f->member, "搬家"), REG_NOT_ACTIVE);
	assert_int_equal(submit(f, A, CHANNEL_SELF, &id), REG_OK);
	assert_int_equal(registration_leave(f->db, &staff, f->member, "搬家"), REG_NOT_ACTIVE); /* pending only */
	assert_int_equal(registration_withdraw(f->db, &staff, id), REG_OK);
	assert_string_equal(state_of(f, id), "withdrawn");
	assert_int_equal(registration_withdraw(f->db, &staff, id), REG_BAD_STATE);
	assert_int_equal(submit(f, A, CHANNEL_STAFF, &id), REG_OK);
	assert_int_equal(registration_leave(f->db, &staff, f->member, "退休回老家"), REG_OK);
	assert_string_equal(state_of(f, id), "left");
	assert_int_equal(registration_leave(f->db, &staff, f->member, "again"), REG_NOT_ACTIVE);
}

static void unknown_ids_are_not_found(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(registration_decide(f->db, &staff, 999, true, NULL), REG_NOT_FOUND);
	assert_int_equal(registration_withdraw(f->db, &staff, 999), REG_NOT_FOUND);
}

static void member_checks_name_every_fault(void **state)
{
	struct fixture *f = *state;
	struct field_errors errs = { 0 };
	struct member_input in = { .name = "x", .phone = "12345", .id_number = "440111199003071232", .gender = "女",
				   .joined_party_on = "2001-01-01", .community_code = "440111002000",
				   .specialties = "医疗,飞行" };
	int64_t id;

	assert_int_equal(member_check(f->db, &in, 1795262400, &errs), 0);
	assert_int_equal(errs.n, 5);
	assert_string_equal(errs.items[0].field, "gender");
	assert_string_equal(errs.items[1].field, "phone");
	assert_string_equal(errs.items[2].field, "joined_party_on");
	assert_string_equal(errs.items[3].field, "specialties");
	assert_string_equal(errs.items[4].field, "community_code");
	/* The same person again is the same file, named. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(member_insert(f->db, &staff, &in, 0, &id), MEMBER_DUPLICATE);
	db_rollback(f->db);
	assert_int_equal(id, f->member);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pending_to_approved_or_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(staff_entry_is_approved_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(transfer_closes_the_old_report_in, setup, teardown),
		cmocka_unit_test_setup_teardown(transfer_refused_leaves_the_old_one_active, setup, teardown),
		cmocka_unit_test_setup_teardown(withdraw_and_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_ids_are_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(member_checks_name_every_fault, setup, teardown),
	};

	crypto_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
