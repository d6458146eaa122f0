/* test_certificate.c: certificates on a real database: numbers never reused, the snapshot of the service with its corrections, masked names */
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
#include "base/valid.h"
#include "domain/certificate.h"
#include "domain/record.h"
#include "testdb.h"

static const struct actor staff = { 0, "test" };
static const struct actor member = { 7, "test" }; /* 陈建国's own account */
static const struct cert_signers signers = { "陈书记", "李社工", "020-86000311" };

static int setup(void **state)
{
	struct testdb *t = calloc(1, sizeof(*t));

	crypto_init();
	if (!t || testdb_open(t, "certificate") < 0)
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct testdb *t = *state;
	int rc = testdb_close(t);

	free(t);
	return rc;
}

static int64_t scalar(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v;

	assert_int_equal(db_step(st), DB_ROW);
	v = db_col_int(st, 0);
	db_done(st);
	return v;
}

/* A staff entry of 义务理发 days ago at 08:00 China time plus offset minutes, confirmed at once or left pending. */
static int64_t served(struct testdb *t, int64_t days, int64_t offset, int64_t minutes, bool confirm)
{
	int64_t morning = (clock_now() + 8 * 3600) / 86400 * 86400;
	struct record_input in = { .member_id = t->member, .item_id = scalar(t->db, "SELECT id FROM catalog_item WHERE code = 'G07'"),
				   .source = SOURCE_STAFF, .started_at = morning - days * 86400 + offset * 60,
				   .minutes = minutes, .place = "社区", .content = "为老人理发" };
	struct field_errors errs = { 0 };
	int64_t id;

	assert_int_equal(record_create(t->db, &staff, &in, confirm, &errs, &id), RECORD_OK);
	return id;
}

/* China's date days ago. */
static void day(int64_t days, char out[11])
{
	clock_date(clock_now() - days * 86400, out);
}

/* The member asks for the last days days and staff issue it: the certificate's id. */
static int64_t issued(struct testdb *t, int64_t days)
{
	struct field_errors errs = { 0 };
	char from[11], to[11];
	int64_t request, id;

	day(days, from);
	day(0, to);
	assert_int_equal(certificate_ask(t->db, &member, t->member, from, to, "单位要求", &errs, &request), CERT_OK);
	assert_int_equal(certificate_issue(t->db, &staff, request, &signers, &id), CERT_OK);
	return id;
}

static void numbers_are_never_given_twice(void **state)
{
	struct testdb *t = *state;
	struct certificate a, b, c;
	char want[48], year[11];

	served(t, 3, 0, 60, true);
	day(0, year);
	assert_int_equal(certificate_get(t->db, issued(t, 10), &a), CERT_OK);
	certificate_number(TESTDB_COMMUNITY, digits_value(year, 4), 1, want, sizeof(want));
	assert_string_equal(a.number, want);
	assert_int_equal(a.seq, 1);
	/* Revoked, the certificate keeps its number and the next one gets the next. */
	assert_int_equal(certificate_revoke(t->db, &staff, a.id, "重复开具"), CERT_OK);
	assert_int_equal(certificate_revoke(t->db, &staff, a.id, "再撤一次"), CERT_BAD_STATE);
	assert_int_equal(certificate_get(t->db, issued(t, 10), &b), CERT_OK);
	assert_int_equal(b.seq, 2);
	assert_string_not_equal(a.number, b.number);
	assert_string_not_equal(a.code, b.code);
	/* A refused issue leaves the counter where it was; the next certificate is the third. */
	{
		struct field_errors errs = { 0 };
		int64_t request, id;
		char from[11];

		day(1, from);
		assert_int_equal(certificate_ask(t->db, &member, t->member, from, from, "", &errs, &request), CERT_OK);
		assert_int_equal(certificate_issue(t->db, &staff, request, &signers, &id), CERT_EMPTY);
		assert_int_equal(certificate_decline(t->db, &staff, request, "该日无服务"), CERT_OK);
	}
	assert_int_equal(certificate_get(t->db, issued(t, 10), &c), CERT_OK);
	assert_int_equal(c.seq, 3);
	/* The counter only goes up; certificates and their lines are never deleted, a revoked one never changes. */
	assert_int_not_equal(db_run(t->db, "UPDATE certificate_counter SET last = 1"), DB_OK);
	assert_int_not_equal(db_run(t->db, "DELETE FROM certificate_counter"), DB_OK);
	assert_int_not_equal(db_run(t->db, "DELETE FROM certificate"), DB_OK);
	assert_int_not_equal(db_run(t->db, "DELETE FROM certificate_line"), DB_OK);
	assert_int_not_equal(db_run(t->db, "UPDATE certificate SET revoked_at = NULL"), DB_OK);
	assert_int_not_equal(db_run(t->db, "UPDATE certificate SET total_minutes = 1 WHERE revoked_at IS NULL"), DB_OK);
	assert_int_equal(scalar(t->db, "SELECT last FROM certificate_counter"), 3);
	assert_int_equal(scalar(t->db, "SELECT count(DISTINCT number) FROM certificate"), 3);
}

static void the_snapshot_counts_the_records_with_their_corrections(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs = { 0 };
	struct certificate x;
	struct cert_line *lines;
	size_t n;
	int64_t a, b, c, fix, id;

	a = served(t, 5, 0, 60, true);
	b = served(t, 4, 0, 90, true);
	c = served(t, 3, 0, 30, true);
	served(t, 2, 0, 45, false); /* pending: not certified */
	served(t, 40, 0, 100, true); /* before the period */
	assert_int_equal(record_correct(t->db, &staff, b, 120, "补记半小时", &errs, &fix), RECORD_OK);
	assert_int_equal(record_correct(t->db, &staff, c, 0, "当天未到场", &errs, &fix), RECORD_OK);
	/* Service another community confirmed is for that community to certify. */
	assert_int_equal(db_run(t->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) "
				       "VALUES ('440111002001', '440111002000', 'community', '飞鹅新村社区', '飞鹅新村社区', "
				       "'/440100000000/440111000000/440111002000/440111002001/', 0)"),
			 DB_OK);
	assert_int_equal(db_run(t->db, "INSERT INTO record (member_id, community_code, item_id, source, started_at, "
				       "minutes, state, created_at) SELECT member_id, '440111002001', item_id, 'staff', "
				       "started_at + 7200, 50, 'confirmed', 0 FROM record WHERE id = 1"),
			 DB_OK);
	id = issued(t, 10);
	assert_int_equal(certificate_get(t->db, id, &x), CERT_OK);
	assert_int_equal(x.total_minutes, 60 + 120);
	assert_int_equal(x.services, 2);
	assert_string_equal(x.name, "陈建国");
	assert_string_equal(x.id_type, "居民身份证");
	assert_string_equal(x.id_number_masked, "4401**********0126");
	assert_string_equal(x.issuer_name, "石榴桥社区");
	assert_string_equal(x.handler, "李社工");
	assert_int_equal(certificate_lines(t->db, id, &lines, &n), CERT_OK);
	assert_int_equal(n, 2);
	assert_int_equal(lines[0].record_id, a);
	assert_int_equal(lines[0].minutes, 60);
	assert_int_equal(lines[1].record_id, b);
	assert_int_equal(lines[1].minutes, 120);
	assert_string_equal(lines[1].item_name, "义务理发");
	assert_string_equal(lines[1].content, "为老人理发");
	free(lines);
	/* The lines add up to the total, and the total is what the records count now. */
	assert_int_equal(scalar(t->db, "SELECT sum(minutes) FROM certificate_line"), x.total_minutes);
	/* A later correction does not change a certificate issued before it: it is a snapshot. */
	assert_int_equal(record_correct(t->db, &staff, a, 30, "核实为半小时", &errs, &fix), RECORD_OK);
	assert_int_equal(certificate_get(t->db, id, &x), CERT_OK);
	assert_int_equal(x.total_minutes, 180);
	/* The request is issued and names the certificate; audited once. */
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM certificate_request WHERE state = 'issued'"), 1);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log WHERE action = 'certificate.issue'"), 1);
}

static void requests_are_checked(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs = { 0 };
	char today[11], tomorrow[11], long_ago[11];
	int64_t request, id;

	day(0, today);
	day(-1, tomorrow);
	day(CERT_DAYS_MAX, long_ago);
	assert_int_equal(certificate_ask(t->db, &member, t->member, today, tomorrow, "", &errs, &request), CERT_INVALID);
	assert_string_equal(errs.items[0].field, "to");
	errs.n = 0;
	assert_int_equal(certificate_ask(t->db, &member, t->member, today, long_ago, "", &errs, &request), CERT_INVALID);
	assert_string_equal(errs.items[0].field, "from");
	errs.n = 0;
	assert_int_equal(certificate_ask(t->db, &member, t->member, long_ago, today, "", &errs, &request), CERT_INVALID);
	assert_string_equal(errs.items[0].code, "too_small");
	errs.n = 0;
	assert_int_equal(certificate_ask(t->db, &member, t->member, "2026-02-30", today, "", &errs, &request), CERT_INVALID);
	assert_string_equal(errs.items[0].code, "format");
	errs.n = 0;
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM certificate_request"), 0);
	/* One waits at a time; the member's own account never answers it. */
	assert_int_equal(certificate_ask(t->db, &member, t->member, today, today, "", &errs, &request), CERT_OK);
	assert_int_equal(certificate_ask(t->db, &member, t->member, today, today, "", &errs, &id), CERT_ASKED);
	assert_int_equal(certificate_issue(t->db, &member, request, &signers, &id), CERT_OWN);
	assert_int_equal(certificate_decline(t->db, &member, request, "不予出具"), CERT_OWN);
	assert_int_equal(certificate_decline(t->db, &staff, request, "该时段无服务"), CERT_OK);
	assert_int_equal(certificate_decline(t->db, &staff, request, "再答一次"), CERT_BAD_STATE);
	assert_int_equal(certificate_issue(t->db, &staff, 999, &signers, &id), CERT_NOT_FOUND);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM certificate_counter"), 0);
}

static void verification_shows_little_and_says_revoked(void **state)
{
	struct testdb *t = *state;
	struct cert_public p;
	struct certificate x;

	served(t, 2, 0, 75, true);
	assert_int_equal(certificate_get(t->db, issued(t, 5), &x), CERT_OK);
	assert_int_equal(certificate_verify(t->db, x.code, &p), CERT_OK);
	assert_string_equal(p.name_masked, "陈*国");
	assert_int_equal(p.total_minutes, 75);
	assert_string_equal(p.issuer_name, "石榴桥社区");
	assert_int_equal(p.issued_at, x.issued_at);
	assert_int_equal(p.revoked_at, 0);
	assert_int_equal(certificate_revoke(t->db, &staff, x.id, "信息有误"), CERT_OK);
	assert_int_equal(certificate_verify(t->db, x.code, &p), CERT_OK);
	assert_true(p.revoked_at > 0);
	/* A made-up code, one of the wrong shape, and the certificate's number are not codes. */
	assert_int_equal(certificate_verify(t->db, "0123456789abcdef0123456789abcdef", &p), CERT_NOT_FOUND);
	assert_int_equal(certificate_verify(t->db, "0123456789ABCDEF0123456789ABCDEF", &p), CERT_NOT_FOUND);
	assert_int_equal(certificate_verify(t->db, x.number, &p), CERT_NOT_FOUND);
	assert_int_equal(certificate_verify(t->db, "", &p), CERT_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(numbers_are_never_given_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(the_snapshot_counts_the_records_with_their_corrections, setup, teardown),
		cmocka_unit_test_setup_teardown(requests_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(verification_shows_little_and_says_revoked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
