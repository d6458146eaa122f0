/* test_team.c: teams on a real database: members' service from their confirmed records, who may organise, who leads */
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
#include "domain/team.h"

#define STREET "440111002000"
#define A "440111002011" /* a community of the street */
#define B "440111002001" /* another */
#define OTHER "440104001007" /* a community of another district */
#define PATH_OF(c) "/440100000000/440111000000/440111002000/" c "/"

struct fixture {
	char dir[64];
	struct db *db;
	int64_t ann, bob; /* members 1 and 2 (accounts 7 and 8): Ann leads team 1 of A, Bob is in it too */
};

static const struct actor staff = { 0, "test" };

static void run(struct db *db, const char *sql)
{
	assert_int_equal(db_run(db, sql), DB_OK);
}

static int64_t member(struct db *db, const char *name, const char *phone, const char *id_number)
{
	struct member_input in = { .name = name, .phone = phone, .id_number = id_number };
	int64_t id;

	assert_int_equal(db_begin(db), 0);
	assert_int_equal(member_insert(db, &staff, &in, 0, &id), MEMBER_OK);
	assert_int_equal(db_commit(db), 0);
	return id;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t key[CRYPTO_KEY_BYTES] = { 9 };
	char path[96], err[256], sql[1024];

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-team-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	crypto_key_set(key);
	if (db_open(path, &f->db, err, sizeof(err)) < 0 || migrate_apply(f->db, err, sizeof(err)) < 0)
		return -1;
	run(f->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES "
		   "('440100000000', NULL, 'city', '广州市', '广州市', '/440100000000/', 0), "
		   "('440111000000', '440100000000', 'district', '白云区', '白云区', '/440100000000/440111000000/', 0), "
		   "('" STREET "', '440111000000', 'street', '三元里街道', '三元里街道', "
		   "'/440100000000/440111000000/" STREET "/', 0), "
		   "('" A "', '" STREET "', 'community', '石榴桥社区', '石榴桥社区', '" PATH_OF(A) "', 0), "
		   "('" B "', '" STREET "', 'community', '飞鹅新村社区', '飞鹅新村社区', '" PATH_OF(B) "', 0), "
		   "('440104000000', '440100000000', 'district', '越秀区', '越秀区', '/440100000000/440104000000/', 0), "
		   "('440104001000', '440104000000', 'street', '洪桥街道', '洪桥街道', "
		   "'/440100000000/440104000000/440104001000/', 0), "
		   "('" OTHER "', '440104001000', 'community', '三眼井社区', '三眼井社区', "
		   "'/440100000000/440104000000/440104001000/" OTHER "/', 0)");
	f->ann = member(f->db, "安党员", "13800000001", "440111199003071232");
	f->bob = member(f->db, "包党员", "13800000002", "440111198501010016");
	run(f->db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, created_at) VALUES "
		   "(7, 'ann', '安党员', 'x', 0, 0), (8, 'bob', '包党员', 'x', 0, 0)");
	snprintf(sql, sizeof(sql), "UPDATE member SET account_id = id + 6 WHERE id IN (%lld, %lld)", (long long)f->ann,
		 (long long)f->bob);
	run(f->db, sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO team (id, region_code, name, leader_id, state, created_at, updated_at) VALUES "
		 "(1, '" A "', '医疗服务队', %lld, 'active', 0, 0), (2, '" STREET "', '突击队', NULL, 'active', 0, 0), "
		 "(3, '" A "', '旧队', %lld, 'disbanded', 0, 0)",
		 (long long)f->ann, (long long)f->ann);
	run(f->db, sql);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO team_member (team_id, member_id, state, applied_at) VALUES "
		 "(1, %lld, 'member', 0), (1, %lld, 'member', 0), (2, %lld, 'member', 0)",
		 (long long)f->ann, (long long)f->bob, (long long)f->ann);
	run(f->db, sql);
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

/* A record of member (minutes, state, source) at activity (0: none) or correcting corrects (0: none). */
static int64_t record(struct fixture *f, int64_t member_id, int64_t minutes, const char *state, const char *source,
		      int64_t activity, int64_t corrects)
{
	struct db_stmt *st = db_prepare(f->db, "INSERT INTO record (member_id, community_code, item_id, source, "
					       "activity_id, corrects_id, started_at, minutes, state, created_at) "
					       "VALUES (?, '" A "', 1, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, 0) RETURNING id");
	static int64_t when = 1000000;
	int64_t id;

	db_bind_int(st, 1, member_id);
	db_bind_text(st, 2, source);
	db_bind_int(st, 3, activity);
	db_bind_int(st, 4, corrects);
	db_bind_int(st, 5, when += 86400);
	db_bind_int(st, 6, minutes);
	db_bind_text(st, 7, state);
	assert_int_equal(db_step(st), DB_ROW);
	id = db_col_int(st, 0);
	db_done(st);
	return id;
}

static void service_counts_confirmed_records_in_and_out_of_the_team(void **state)
{
	struct fixture *f = *state;
	struct team_member *items;
	int64_t r;
	size_t n;

	/* Activity 1 is the team's, 2 the community's own. */
	run(f->db, "INSERT INTO activity (id, community_code, organiser, team_id, item_id, title, place, starts_at, ends_at, "
		   "signup_deadline, capacity, audience, minutes_cap, state, created_at, updated_at) VALUES "
		   "(1, '" A "', 'team', 1, 1, '义诊', '服务中心', 0, 1, 0, 10, 'community', 240, 'closed', 0, 0), "
		   "(2, '" A "', 'community', NULL, 1, '环境整治', '小区', 0, 1, 0, 10, 'community', 240, 'closed', 0, 0)");
	r = record(f, f->ann, 120, "confirmed", "activity", 1, 0);
	record(f, f->ann, -30, "confirmed", "correction", 0, r); /* the team's service corrected down */
	record(f, f->ann, 60, "confirmed", "activity", 2, 0);
	record(f, f->ann, 45, "confirmed", "self", 0, 0);
	record(f, f->ann, 500, "pending", "activity", 0, 0); /* not counted until confirmed */
	record(f, f->ann, 500, "rejected", "self", 0, 0);
	record(f, f->bob, 90, "confirmed", "post", 0, 0);
	assert_int_equal(team_members(f->db, 1, &items, &n), TEAM_OK);
	assert_int_equal(n, 2);
	/* The leader first. */
	assert_int_equal(items[0].member_id, f->ann);
	assert_true(items[0].leader);
	assert_int_equal(items[0].team_records, 1);
	assert_int_equal(items[0].team_minutes, 90);
	assert_int_equal(items[0].records, 3);
	assert_int_equal(items[0].minutes, 195);
	assert_int_equal(items[1].member_id, f->bob);
	assert_false(items[1].leader);
	assert_int_equal(items[1].team_records, 0);
	assert_int_equal(items[1].team_minutes, 0);
	assert_int_equal(items[1].records, 1);
	assert_int_equal(items[1].minutes, 90);
	free(items);
	/* The street's team: Ann's service in team 1's activities is not its. */
	assert_int_equal(team_members(f->db, 2, &items, &n), TEAM_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].team_minutes, 0);
	assert_int_equal(items[0].minutes, 195);
	free(items);
}

static void who_may_organise_and_who_leads(void **state)
{
	struct fixture *f = *state;
	struct team t;

	assert_int_equal(team_may_organise(f->db, 1, PATH_OF(A), &t), 1);
	assert_string_equal(t.name, "医疗服务队");
	assert_int_equal(team_may_organise(f->db, 1, PATH_OF(B), NULL), 0); /* a community's team stays there */
	assert_int_equal(team_may_organise(f->db, 2, PATH_OF(A), NULL), 1); /* the street's works in each community */
	assert_int_equal(team_may_organise(f->db, 2, PATH_OF(B), NULL), 1);
	assert_int_equal(team_may_organise(f->db, 2, "/440100000000/440104000000/440104001000/" OTHER "/", NULL), 0);
	assert_int_equal(team_may_organise(f->db, 3, PATH_OF(A), NULL), 0); /* disbanded */
	assert_int_equal(team_may_organise(f->db, 99, PATH_OF(A), NULL), 0);
	assert_int_equal(team_may_organise(f->db, 1, NULL, NULL), 0);
	assert_int_equal(team_led_by(f->db, 1, 7), 1);
	assert_int_equal(team_led_by(f->db, 1, 8), 0);
	assert_int_equal(team_led_by(f->db, 2, 7), 0); /* no leader */
	assert_int_equal(team_led_by(f->db, 3, 7), 0); /* disbanded */
	assert_int_equal(team_led_by(f->db, 99, 7), 0);
}

static void room_for_a_thousand(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(team_room(f->db, 1), TEAM_OK);
	/* 997 more files, all in team 1 (999 with Ann and Bob), and as many who left it. */
	run(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 998) "
		   "INSERT INTO member (name, gender, birth_date, phone, id_number_sealed, id_number_hash, id_number_masked, "
		   "created_at, updated_at) SELECT '队员', 'M', '1990-01-01', '13900000000', 's', 'h' || i, 'm', 0, 0 FROM n");
	run(f->db, "INSERT INTO team_member (team_id, member_id, state, applied_at) SELECT 1, id, 'left', 0 FROM member "
		   "WHERE name = '队员'");
	assert_int_equal(team_room(f->db, 1), TEAM_OK); /* those who left do not count */
	run(f->db, "INSERT INTO team_member (team_id, member_id, state, applied_at) SELECT 1, id, 'member', 0 FROM member "
		   "WHERE name = '队员' LIMIT 997");
	assert_int_equal(team_room(f->db, 1), TEAM_OK); /* 999 */
	run(f->db, "INSERT INTO team_member (team_id, member_id, state, applied_at) SELECT 1, MAX(id), 'member', 0 FROM "
		   "member WHERE name = '队员'");
	assert_int_equal(team_room(f->db, 1), TEAM_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(service_counts_confirmed_records_in_and_out_of_the_team, setup, teardown),
		cmocka_unit_test_setup_teardown(who_may_organise_and_who_leads, setup, teardown),
		cmocka_unit_test_setup_teardown(room_for_a_thousand, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
