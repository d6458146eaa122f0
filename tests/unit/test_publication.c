/* test_publication.c: 公示: names masked by characters; freeze and verify; objections, an upheld one correcting the points; the window */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/ledger.h"
#include "domain/publication.h"
#include "domain/record.h"
#include "testdb.h"

static const struct actor staff = { 0, "test" };
static const struct actor member = { 7, "test" }; /* 陈建国's account */

/* 10:00 on 2 December 2026 in China: every service below falls in 2026H2. */
#define NOW 1796176800LL
#define DAY 86400

static void set_clock(struct testdb *t, int64_t now)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/clock", t->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%lld\n", (long long)now);
	fclose(f);
	setenv("BAODAO_CLOCK_FILE", path, 1);
}

/* times four-byte characters U+20000 into out. */
static void wide(char *out, size_t n, int times)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < times && len + 5 <= n; i++, len += 4)
		snprintf(out + len, n - len, "%s", "\xf0\xa0\x80\x80");
}

static int setup(void **state)
{
	struct testdb *t = calloc(1, sizeof(*t));

	if (!t || testdb_open(t, "publication") < 0)
		return -1;
	set_clock(t, NOW);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct testdb *t = *state;
	int rc = testdb_close(t);

	unsetenv("BAODAO_CLOCK_FILE");
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

/* A staff entry of 义务理发 (G07: 1 point and 2 an hour) for member, days ago at 8:00 + offset minutes, confirmed. */
static int64_t served(struct testdb *t, int64_t who, int64_t days, int64_t offset, int64_t minutes)
{
	struct record_input in = { .member_id = who, .source = SOURCE_STAFF, .minutes = minutes, .place = "社区",
				   .content = "理发", .started_at = NOW - 2 * 3600 - days * DAY + offset * 60 };
	struct field_errors errs = { 0 };
	int64_t id;

	in.item_id = scalar(t->db, "SELECT id FROM catalog_item WHERE code = 'G07' AND region_code IS NULL");
	assert_int_equal(record_create(t->db, &staff, &in, true, &errs, &id), RECORD_OK);
	return id;
}

/* A second file in the community, approved at once (typed in by staff). */
static int64_t another(struct testdb *t, const char *name, const char *id_number)
{
	struct member_input in = { .name = name, .phone = "13800001099", .id_number = id_number };
	int64_t id, reg;

	assert_int_equal(db_begin(t->db), 0);
	assert_int_equal(member_insert(t->db, &staff, &in, 0, &id), MEMBER_OK);
	assert_int_equal(registration_submit(t->db, &staff, id, TESTDB_COMMUNITY, CHANNEL_STAFF, &reg), REG_OK);
	assert_int_equal(db_commit(t->db), 0);
	return id;
}

static int64_t freeze(struct testdb *t, struct publication *p)
{
	struct region r;
	struct field_errors errs = { 0 };
	int64_t id;

	assert_int_equal(region_get(t->db, TESTDB_COMMUNITY, &r), REGION_OK);
	assert_int_equal(publication_freeze(t->db, &staff, &r, "2026H2", "", 7, &errs, &id), PUB_OK);
	assert_int_equal(publication_get(t->db, id, p), PUB_OK);
	return id;
}

static void sound(struct db *db)
{
	struct ledger_check c;

	assert_int_equal(ledger_verify(db, &c), 0);
}

static void a_freeze_copies_the_ranking_and_verifies_against_the_ledger(void **state)
{
	struct testdb *t = *state;
	struct publication p, again;
	struct publication_row *rows;
	struct publication_check k;
	struct field_errors errs = { 0 };
	struct region r;
	size_t n;
	int64_t second = another(t, "欧阳明月", "440111198206070112"), id;

	served(t, t->member, 3, 0, 90); /* 1 + 3 = 4 */
	served(t, t->member, 4, 0, 120); /* 1 + 4 = 5: 9 in all, 合格 */
	served(t, second, 3, 0, 60); /* 3 */
	freeze(t, &p);
	assert_string_equal(p.title, "石榴桥社区2026年下半年在职党员积分公示");
	assert_true(p.open);
	assert_int_equal(p.closes_at, NOW + 7 * DAY);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.rows, 2);
	assert_int_equal(p.ledger_mark, scalar(t->db, "SELECT max(id) FROM ledger_movement"));
	assert_int_equal(publication_rows(t->db, &p, 0, 0, 10, &rows, &n), PUB_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].masked_name, "陈*国");
	assert_int_equal(rows[0].points, 9);
	assert_int_equal(rows[0].minutes, 210);
	assert_int_equal(rows[0].services, 2);
	assert_int_equal(rows[0].tier, TIER_QUALIFIED);
	assert_int_equal(rows[0].rank, 1);
	assert_false(rows[0].has_prev);
	assert_string_equal(rows[1].masked_name, "欧*月");
	assert_int_equal(rows[1].rank, 2);
	free(rows);
	/* Paged by position. */
	assert_int_equal(publication_rows(t->db, &p, 0, 1, 10, &rows, &n), PUB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].member_id, second);
	free(rows);
	assert_int_equal(publication_verify(t->db, &p, 0, &k), PUB_OK);
	assert_int_equal(k.rows, 2);
	assert_int_equal(k.mismatches, 0);
	/* A service confirmed after the freeze moves the standings, not the version's ledger mark: still sound. */
	served(t, second, 5, 0, 60);
	assert_int_equal(publication_verify(t->db, &p, 0, &k), PUB_OK);
	assert_int_equal(k.mismatches, 0);
	/* A row changed behind the ledger's back is found. */
	assert_int_equal(db_run(t->db, "UPDATE publication_row SET points = points + 1 WHERE pos = 2"), DB_OK);
	assert_int_equal(publication_verify(t->db, &p, 0, &k), PUB_OK);
	assert_int_equal(k.mismatches, 1);
	assert_int_equal(k.items[0].member_id, second);
	assert_int_equal(k.items[0].published, 4);
	assert_int_equal(k.items[0].ledger, 3);
	/* One open publication of a half-year per region; audited. */
	assert_int_equal(region_get(t->db, TESTDB_COMMUNITY, &r), REGION_OK);
	assert_int_equal(publication_freeze(t->db, &staff, &r, "2026H2", "", 7, &errs, &id), PUB_OPEN);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log WHERE action = 'publication.freeze'"), 1);
	/* A half-year not yet begun, a bad period, days and title out of bounds. */
	assert_int_equal(publication_freeze(t->db, &staff, &r, "2027H1", "", 7, &errs, &id), PUB_INVALID);
	assert_string_equal(errs.items[0].field, "period");
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(publication_freeze(t->db, &staff, &r, "2026", "", 31, &errs, &id), PUB_INVALID);
	assert_int_equal(errs.n, 2);
	/* After the window it is final, and the next one may come. */
	set_clock(t, NOW + 7 * DAY);
	assert_int_equal(publication_get(t->db, p.id, &again), PUB_OK);
	assert_false(again.open);
	assert_false(again.republishable);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(publication_freeze(t->db, &staff, &r, "2026H2", "第二次公示", 3, &errs, &id), PUB_OK);
	assert_int_equal(publication_get(t->db, id, &again), PUB_OK);
	assert_string_equal(again.title, "第二次公示");
}

static void an_upheld_objection_corrects_the_points_and_a_new_version_shows_it(void **state)
{
	struct testdb *t = *state;
	struct publication p;
	struct publication_row *rows;
	struct publication_check k;
	struct field_errors errs = { 0 };
	struct objection o;
	struct standing s;
	struct ledger_owner me = { KIND_MEMBER, t->member, NULL };
	int64_t objection, movement, balance, version, other;

	served(t, t->member, 3, 0, 90); /* 4 */
	freeze(t, &p);
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "漏记了 11 月 20 日的义诊服务", &errs,
					    &objection),
			 PUB_OK);
	/* One waits at a time. */
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "再问一次", &errs, &other), PUB_ASKED);
	/* Staff never answer their own; a dismissal needs its reason; a correction needs its points. */
	assert_int_equal(publication_answer(t->db, &member, objection, false, "不予更正", 0, &errs, &movement), PUB_OWN);
	assert_int_equal(publication_answer(t->db, &staff, objection, false, "", 0, &errs, &movement), PUB_INVALID);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(publication_answer(t->db, &staff, objection, true, "核实属实", 0, &errs, &movement), PUB_INVALID);
	assert_string_equal(errs.items[0].field, "points");
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(publication_answer(t->db, &staff, objection, true, "核实属实", -5, &errs, &movement), PUB_INVALID);
	assert_string_equal(errs.items[0].code, "too_small"); /* 4 − 5 would be below nothing */
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement WHERE source = 'correction'"), 0);
	/* Upheld: a correction movement from the community's issue account, the standing with it. */
	assert_int_equal(publication_answer(t->db, &staff, objection, true, "经核实补记义诊 3 分", 3, &errs, &movement),
			 PUB_OK);
	assert_true(movement > 0);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement WHERE source = 'correction' AND "
				       "book = 'points'"),
			 1);
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &balance), 0);
	assert_int_equal(balance, 4 + 3);
	assert_int_equal(scalar(t->db, "SELECT balance FROM ledger_account WHERE kind = 'issue' AND book = 'points' AND "
				       "region_code = '" TESTDB_COMMUNITY "'"),
			 -7);
	assert_int_equal(standing_get(t->db, t->member, "2026H2", &s), STANDING_OK);
	assert_int_equal(s.points, 7);
	assert_int_equal(s.tier, TIER_QUALIFIED); /* 合格 asks 6 */
	assert_int_equal(standing_get(t->db, t->member, "2026", &s), STANDING_OK);
	assert_int_equal(s.points, 7);
	assert_int_equal(objection_get(t->db, objection, &o), PUB_OK);
	assert_string_equal(o.state, "answered");
	assert_string_equal(o.outcome, "upheld");
	assert_int_equal(o.points, 3);
	assert_int_equal(o.movement_id, movement);
	assert_string_equal(o.masked_name, "陈*国");
	assert_int_equal(publication_answer(t->db, &staff, objection, false, "再答一次", 0, &errs, &movement),
			 PUB_ANSWERED);
	sound(t->db);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log WHERE action = 'objection.answer'"), 1);
	/* Version 1 still verifies: its mark is before the correction. */
	assert_int_equal(publication_verify(t->db, &p, 1, &k), PUB_OK);
	assert_int_equal(k.mismatches, 0);
	/* The window closes; the correction is in no version yet, so it may be published once more. */
	set_clock(t, NOW + 8 * DAY);
	assert_int_equal(publication_get(t->db, p.id, &p), PUB_OK);
	assert_false(p.open);
	assert_true(p.republishable);
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "还有一条", &errs, &other), PUB_CLOSED);
	assert_int_equal(publication_republish(t->db, &staff, p.id, "按异议更正后重新公示", &version), PUB_OK);
	assert_int_equal(version, 2);
	assert_int_equal(publication_get(t->db, p.id, &p), PUB_OK);
	assert_int_equal(p.version, 2);
	assert_false(p.republishable);
	{
		size_t n;

		assert_int_equal(publication_rows(t->db, &p, 0, 0, 10, &rows, &n), PUB_OK);
		assert_int_equal(n, 1);
		assert_int_equal(rows[0].points, 7);
		assert_true(rows[0].has_prev);
		assert_int_equal(rows[0].prev_points, 4);
		assert_int_equal(rows[0].prev_tier, TIER_NONE);
		assert_int_equal(rows[0].tier, TIER_QUALIFIED);
		free(rows);
		/* Version 1 keeps what it showed. */
		assert_int_equal(publication_rows(t->db, &p, 1, 0, 10, &rows, &n), PUB_OK);
		assert_int_equal(rows[0].points, 4);
		free(rows);
	}
	/* The final publication verifies; nothing more to publish. */
	assert_int_equal(publication_verify(t->db, &p, 0, &k), PUB_OK);
	assert_int_equal(k.version, 2);
	assert_int_equal(k.mismatches, 0);
	assert_int_equal(publication_republish(t->db, &staff, p.id, "", &version), PUB_CLOSED);
	sound(t->db);
}

static void objections_are_for_the_listed_during_the_window(void **state)
{
	struct testdb *t = *state;
	struct publication p;
	struct field_errors errs = { 0 };
	int64_t outsider = another(t, "林秀英", "440111198206070112"), id, movement;
	char reason[TEXT_BYTES(OBJECTION_REASON_MAX) + 8];

	served(t, t->member, 3, 0, 90);
	freeze(t, &p);
	assert_int_equal(publication_object(t->db, &staff, p.id, outsider, "我也服务过", &errs, &id), PUB_NOT_LISTED);
	assert_int_equal(publication_object(t->db, &member, 999, t->member, "找不到", &errs, &id), PUB_NOT_FOUND);
	/* A reason of 2 to 200 characters, counted as characters (four-byte ones too). */
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "短", &errs, &id), PUB_INVALID);
	assert_string_equal(errs.items[0].code, "too_short");
	wide(reason, sizeof(reason), OBJECTION_REASON_MAX + 1);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, reason, &errs, &id), PUB_INVALID);
	assert_string_equal(errs.items[0].code, "too_long");
	reason[strlen(reason) - 4] = '\0';
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, reason, &errs, &id), PUB_OK);
	/* Dismissed: nothing moves in the ledger; the member may object again while the window is open. */
	assert_int_equal(publication_answer(t->db, &staff, id, false, "经核对，积分无误", 0, &errs, &movement), PUB_OK);
	assert_int_equal(movement, 0);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement WHERE source = 'correction'"), 0);
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "请再核对一次", &errs, &id), PUB_OK);
	/* The window closed: refused, and nothing written. */
	set_clock(t, NOW + 7 * DAY);
	assert_int_equal(publication_answer(t->db, &staff, id, false, "无误", 0, &errs, &movement), PUB_OK);
	assert_int_equal(publication_object(t->db, &member, p.id, t->member, "过期了还想提", &errs, &id), PUB_CLOSED);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM objection"), 2);
	assert_int_equal(publication_republish(t->db, &staff, p.id, "", &movement), PUB_CLOSED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_freeze_copies_the_ranking_and_verifies_against_the_ledger, setup,
						teardown),
		cmocka_unit_test_setup_teardown(an_upheld_objection_corrects_the_points_and_a_new_version_shows_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(objections_are_for_the_listed_during_the_window, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
