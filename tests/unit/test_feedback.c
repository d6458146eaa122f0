/* test_feedback.c: a unit's feedback rows from the standings (flags, scope, comments), the participation tallies and ranking, bonuses */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/bonus.h"
#include "domain/feedback.h"
#include "domain/ledger.h"
#include "testdb.h"

#define FEIE "440111002001" /* 飞鹅新村社区, the same street */
#define FEIE_PATH "/440100000000/440111000000/440111002000/" FEIE "/"

static const struct actor cli = { 0, "test" }, staff = { 8, "test" };

struct fixture {
	struct testdb t;
	int64_t lin, wang, zhao, loner; /* 林 (石榴桥) and 王 (飞鹅) of unit 1, 赵 of unit 2, 钱 of none */
	char half[PERIOD_LEN], year[PERIOD_LEN], today[11];
};

static void run(struct db *db, const char *sql)
{
	assert_int_equal(db_run(db, sql), DB_OK);
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

/* A valid 18-digit ID number of someone born in 1980, the seq-th of the day. */
static void id_number(char out[19], int seq)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	snprintf(out, 19, "44011119800101%03d", seq);
	for (int i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

/* A file of unit (0: none) approved at community (NULL: a file that never reported in). */
static int64_t file(struct db *db, const char *name, int64_t unit, const char *community, int seq)
{
	char id[19], phone[12];
	struct member_input in = { .name = name, .phone = phone, .id_number = id, .unit_id = unit,
				   .community_code = community };
	int64_t m, reg;

	id_number(id, seq);
	snprintf(phone, sizeof(phone), "139000000%02d", seq);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(member_insert(db, &cli, &in, 0, &m), MEMBER_OK);
	if (community)
		assert_int_equal(registration_submit(db, &cli, m, community, CHANNEL_STAFF, &reg), REG_OK);
	assert_int_equal(db_commit(db), 0);
	return m;
}

/* Moves a file's standings of today's half-year and year, as a confirmed service (or a bonus: services 0) does. */
static void earn(struct fixture *f, int64_t member, const char *path, int64_t points, int64_t minutes, int64_t services)
{
	assert_int_equal(db_begin(f->t.db), 0);
	assert_int_equal(standing_add(f->t.db, member, path, f->today, points, minutes, services), STANDING_OK);
	assert_int_equal(db_commit(f->t.db), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || testdb_open(&f->t, "feedback") < 0)
		return -1;
	run(f->t.db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES ('" FEIE
		     "', '440111002000', 'community', '飞鹅新村社区', '飞鹅新村社区', '" FEIE_PATH "', 0)");
	run(f->t.db, "INSERT INTO account (id, login, name, password_hash, password_changed_at, created_at) VALUES "
		     "(8, 'staff', '李社工', 'x', 0, 0)");
	run(f->t.db, "INSERT INTO unit (id, name, party_org_name, type, region_code, created_at, updated_at) VALUES "
		     "(1, '三元里街社区卫生服务中心', '支部', 'institution', '440111002000', 0, 0), "
		     "(2, '白云区教育局', '机关党委', 'organ', '440111000000', 0, 0), "
		     "(3, '穗云科技有限公司', '支部', 'nonpublic', '440111002000', 0, 0)");
	run(f->t.db, "UPDATE member SET unit_id = 1"); /* 陈建国 */
	f->lin = file(f->t.db, "林秀英", 1, TESTDB_COMMUNITY, 1);
	f->wang = file(f->t.db, "王海", 1, FEIE, 2);
	f->zhao = file(f->t.db, "赵敏", 2, TESTDB_COMMUNITY, 3);
	f->loner = file(f->t.db, "钱多", 0, TESTDB_COMMUNITY, 4);
	clock_date(clock_now(), f->today);
	period_of(f->today, f->half, f->year);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = testdb_close(&f->t);

	free(f);
	return rc;
}

struct rows {
	size_t n;
	struct feedback_row items[8];
};

static int collect(const struct feedback_row *r, void *arg)
{
	struct rows *rows = arg;

	assert_true(rows->n < 8);
	rows->items[rows->n++] = *r;
	return 0;
}

static struct rows read_unit(struct fixture *f, int64_t unit, const char *period, const struct scope *scope)
{
	struct rows rows = { 0 };

	assert_int_equal(feedback_unit(f->t.db, unit, period, scope, collect, &rows), FEEDBACK_OK);
	return rows;
}

static const struct feedback_row *named(const struct rows *rows, const char *name)
{
	for (size_t i = 0; i < rows->n; i++)
		if (!strcmp(rows->items[i].name, name))
			return &rows->items[i];
	return NULL;
}

static void rows_come_from_the_standings_with_flags(void **state)
{
	struct fixture *f = *state;
	struct scope all = { .all = true };
	const struct feedback_row *chen, *lin, *wang;
	struct rows rows;

	earn(f, f->t.member, TESTDB_PATH, 7, 150, 2);
	earn(f, f->wang, FEIE_PATH, 3, 60, 1);
	earn(f, f->zhao, TESTDB_PATH, 9, 90, 3); /* another unit's */
	rows = read_unit(f, 1, f->half, &all);
	assert_int_equal(rows.n, 3); /* 赵 is of unit 2, 钱 of none */
	chen = named(&rows, "陈建国");
	lin = named(&rows, "林秀英");
	wang = named(&rows, "王海");
	assert_non_null(chen);
	assert_non_null(lin);
	assert_non_null(wang);
	assert_int_equal(chen->points, 7);
	assert_int_equal(chen->minutes, 150);
	assert_int_equal(chen->services, 2);
	assert_int_equal(chen->tier, TIER_QUALIFIED); /* 6 points and a service */
	assert_string_equal(chen->state, "approved");
	assert_string_equal(chen->community_name, "石榴桥社区");
	assert_string_equal(wang->community_name, "飞鹅新村社区");
	/* A half-year asks qualified_services (1) of the default rule: only 林, who has not served, is below. */
	assert_int_equal(chen->min_services, 1);
	assert_false(chen->below);
	assert_false(wang->below);
	assert_true(lin->below);
	assert_int_equal(lin->points, 0);
	assert_int_equal(lin->tier, TIER_NONE);
	/* A year asks year_min_services (2): 王's one service is too few. */
	rows = read_unit(f, 1, f->year, &all);
	assert_int_equal(named(&rows, "王海")->min_services, 2);
	assert_true(named(&rows, "王海")->below);
	assert_false(named(&rows, "陈建国")->below);
	/* Rows come by name, the member_unit index's order. */
	for (size_t i = 1; i < rows.n; i++)
		assert_true(strcmp(rows.items[i - 1].name, rows.items[i].name) <= 0);
}

static void a_scope_keeps_to_its_communities_or_holds_the_unit(void **state)
{
	struct fixture *f = *state;
	struct scope here = { .npaths = 1 }, unit = { .nunits = 1, .units = { 1 } }, other = { .nunits = 1, .units = { 2 } };
	struct rows rows;

	str_copy(here.paths[0], sizeof(here.paths[0]), TESTDB_PATH);
	rows = read_unit(f, 1, f->half, &here); /* staff of 石榴桥: their community's members of the unit */
	assert_int_equal(rows.n, 2);
	assert_null(named(&rows, "王海"));
	rows = read_unit(f, 1, f->half, &unit); /* the unit itself: every member wherever they live */
	assert_int_equal(rows.n, 3);
	rows = read_unit(f, 1, f->half, &other); /* another unit's scope: none */
	assert_int_equal(rows.n, 0);
	rows = read_unit(f, 1, f->half, &(struct scope){ 0 });
	assert_int_equal(rows.n, 0);
}

static void comments_are_set_replaced_removed_and_audited(void **state)
{
	struct fixture *f = *state;
	struct scope all = { .all = true };
	char text[TEXT_BYTES(FEEDBACK_COMMENT_MAX)] = "";
	struct rows rows;

	assert_int_equal(feedback_comment_set(f->t.db, &staff, f->lin, f->half, "积极参加社区活动"), FEEDBACK_OK);
	rows = read_unit(f, 1, f->half, &all);
	assert_string_equal(named(&rows, "林秀英")->comment, "积极参加社区活动");
	assert_string_equal(named(&rows, "林秀英")->comment_by, "李社工");
	assert_string_equal(named(&rows, "林秀英")->comment_community, "石榴桥社区");
	assert_true(named(&rows, "林秀英")->comment_at > 0);
	assert_string_equal(named(&rows, "陈建国")->comment, "");
	/* A comment belongs to its period: the year's table does not show it. */
	rows = read_unit(f, 1, f->year, &all);
	assert_string_equal(named(&rows, "林秀英")->comment, "");
	/* 200 four-byte characters fit whole. */
	for (int i = 0; i < FEEDBACK_COMMENT_MAX; i++)
		memcpy(text + 4 * i, "\xF0\xA0\x80\x80", 5); /* each copy brings the terminator along */
	assert_int_equal(feedback_comment_set(f->t.db, &staff, f->lin, f->half, text), FEEDBACK_OK);
	rows = read_unit(f, 1, f->half, &all);
	assert_string_equal(named(&rows, "林秀英")->comment, text);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM feedback_comment"), 1);
	assert_int_equal(feedback_comment_set(f->t.db, &staff, f->lin, f->half, ""), FEEDBACK_OK);
	rows = read_unit(f, 1, f->half, &all);
	assert_string_equal(named(&rows, "林秀英")->comment, "");
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM feedback_comment"), 0);
	/* Every version is in the audit log, with the period. */
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM audit_log WHERE action = 'feedback.comment' AND "
					 "target_id = (SELECT CAST(id AS TEXT) FROM member WHERE name = '林秀英') AND "
					 "detail LIKE '20%' AND account_id = 8"),
			 3);
	/* A file that never reported in has no community to comment; an unknown file is not there. */
	run(f->t.db, "INSERT INTO member (name, gender, birth_date, phone, id_number_sealed, id_number_hash, "
		     "id_number_masked, unit_id, created_at, updated_at) VALUES ('孙无', 'M', '1980-01-01', '13900000099', "
		     "'x', 'h', '4401', 1, 0, 0)");
	assert_int_equal(feedback_comment_set(f->t.db, &staff, scalar(f->t.db, "SELECT id FROM member WHERE name = '孙无'"),
					      f->half, "x"),
			 FEEDBACK_NOT_HERE);
	assert_int_equal(feedback_comment_set(f->t.db, &staff, 9999, f->half, "x"), FEEDBACK_NOT_FOUND);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM feedback_comment"), 0);
}

static int64_t tally(struct fixture *f, const char *column, int64_t unit, const char *period)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT COALESCE((SELECT %s FROM unit_participation WHERE unit_id = %lld AND period = '%s'), 0)",
		 column, (long long)unit, period);
	return scalar(f->t.db, sql);
}

/* What the tallies must equal: the unit's files' standings summed. */
static void tallies_match_the_standings(struct fixture *f)
{
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM (SELECT s.period, m.unit_id, SUM(s.services > 0) AS served, "
					 "SUM(s.points) AS points FROM standing s JOIN member m ON m.id = s.member_id WHERE "
					 "m.unit_id IS NOT NULL GROUP BY 1, 2) x LEFT JOIN unit_participation p ON "
					 "p.period = x.period AND p.unit_id = x.unit_id WHERE p.served IS NOT x.served OR "
					 "p.points IS NOT x.points"),
			 0);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM unit_participation p WHERE (p.served <> 0 OR p.points <> 0) "
					 "AND NOT EXISTS (SELECT 1 FROM standing s JOIN member m ON m.id = s.member_id WHERE "
					 "s.period = p.period AND m.unit_id = p.unit_id)"),
			 0);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM unit u LEFT JOIN unit_files f ON f.unit_id = u.id WHERE "
					 "COALESCE(f.files, 0) <> (SELECT count(*) FROM member m WHERE m.unit_id = u.id)"),
			 0);
}

static void tallies_follow_standings_and_files_that_change_unit(void **state)
{
	struct fixture *f = *state;

	earn(f, f->t.member, TESTDB_PATH, 7, 150, 2);
	earn(f, f->lin, TESTDB_PATH, 5, 0, 0); /* a bonus: points, no service */
	assert_int_equal(tally(f, "served", 1, f->half), 1);
	assert_int_equal(tally(f, "points", 1, f->half), 12);
	assert_int_equal(tally(f, "points", 1, f->year), 12);
	earn(f, f->lin, TESTDB_PATH, 2, 60, 1); /* now she has served */
	assert_int_equal(tally(f, "served", 1, f->half), 2);
	earn(f, f->t.member, TESTDB_PATH, -7, -150, -2); /* reversed: he no longer counts as served */
	assert_int_equal(tally(f, "served", 1, f->half), 1);
	assert_int_equal(tally(f, "points", 1, f->half), 7);
	tallies_match_the_standings(f);
	/* 林 changes employer: her standings move with her file. */
	run(f->t.db, "UPDATE member SET unit_id = 2 WHERE name = '林秀英'");
	assert_int_equal(tally(f, "served", 1, f->half), 0);
	assert_int_equal(tally(f, "points", 2, f->half), 7);
	assert_int_equal(scalar(f->t.db, "SELECT files FROM unit_files WHERE unit_id = 1"), 2);
	assert_int_equal(scalar(f->t.db, "SELECT files FROM unit_files WHERE unit_id = 2"), 2);
	/* Saving a file without changing its unit moves nothing; leaving every unit takes the standings out. */
	run(f->t.db, "UPDATE member SET unit_id = 2, position = '护士' WHERE name = '林秀英'");
	assert_int_equal(tally(f, "points", 2, f->half), 7);
	run(f->t.db, "UPDATE member SET unit_id = NULL WHERE name = '林秀英'");
	assert_int_equal(tally(f, "points", 2, f->half), 0);
	run(f->t.db, "UPDATE member SET unit_id = 3 WHERE name = '钱多'");
	tallies_match_the_standings(f);
}

static void units_rank_by_share_served_then_points_per_file(void **state)
{
	struct fixture *f = *state;
	struct feedback_unit_rank *items;
	int64_t total;
	size_t n;

	/* Unit 1: 1 of 3 served, 9 points (3 a file). Unit 2: 1 of 1, 4 points. Unit 3: no files. */
	earn(f, f->wang, FEIE_PATH, 9, 60, 1);
	earn(f, f->zhao, TESTDB_PATH, 4, 60, 1);
	assert_int_equal(feedback_units(f->t.db, "/440100000000/440111000000/", f->half, 0, 10, &items, &n, &total),
			 FEEDBACK_OK);
	assert_int_equal(total, 3);
	assert_int_equal(n, 3);
	assert_int_equal(items[0].unit_id, 2);
	assert_int_equal(items[0].rank, 1);
	assert_int_equal(items[0].files, 1);
	assert_int_equal(items[0].served, 1);
	assert_int_equal(items[1].unit_id, 1);
	assert_int_equal(items[1].files, 3);
	assert_int_equal(items[1].served, 1);
	assert_int_equal(items[1].points, 9);
	assert_int_equal(items[2].unit_id, 3); /* no files: last */
	free(items);
	/* The street holds units 1 and 3 only (unit 2 is the district's own); a page starts where asked. */
	assert_int_equal(feedback_units(f->t.db, "/440100000000/440111000000/440111002000/", f->half, 1, 10, &items,
					&n, &total),
			 FEEDBACK_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].unit_id, 3);
	assert_int_equal(items[0].rank, 2);
	free(items);
	/* Ties share a rank: with 陈 and 林 serving too, unit 1 has all 3 served at 4 points a file, as unit 2. */
	earn(f, f->t.member, TESTDB_PATH, 2, 30, 1);
	earn(f, f->lin, TESTDB_PATH, 1, 30, 1);
	assert_int_equal(feedback_units(f->t.db, "/440100000000/440111000000/", f->half, 0, 10, &items, &n, &total),
			 FEEDBACK_OK);
	assert_int_equal(items[0].rank, 1);
	assert_int_equal(items[1].rank, 1);
	assert_int_equal(items[2].rank, 3);
	/* Listed by name within a tie. */
	assert_true(strcmp(items[0].name, items[1].name) < 0);
	free(items);
}

static bool has_error(const struct field_errors *e, const char *field, const char *code)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field) && !strcmp(e->items[i].code, code))
			return true;
	return false;
}

static void bonuses_move_points_into_the_standings_once(void **state)
{
	struct fixture *f = *state;
	struct ledger_owner me = { KIND_MEMBER, f->t.member, NULL };
	struct field_errors errs = { 0 };
	struct ledger_check check;
	struct standing s;
	struct bonus b, *items;
	int64_t id, again, balance;
	size_t n;

	/* The default rule gives 5 for a micro-wish. */
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_WISH, 0, "帮独居老人圆梦", &errs, &id), BONUS_OK);
	assert_int_equal(bonus_get(f->t.db, id, &b), BONUS_OK);
	assert_int_equal(b.points, 5);
	assert_string_equal(b.kind, "wish");
	assert_string_equal(b.period, f->half);
	assert_string_equal(b.community_code, TESTDB_COMMUNITY);
	assert_string_equal(b.created_by_name, "李社工");
	assert_int_equal(b.rule_id, scalar(f->t.db, "SELECT min(id) FROM rule_version"));
	assert_int_equal(ledger_balance(f->t.db, BOOK_POINTS, &me, &balance), 0);
	assert_int_equal(balance, 5);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM ledger_movement WHERE source = 'bonus' AND rule_id IS NOT NULL"), 1);
	assert_int_equal(standing_get(f->t.db, f->t.member, f->half, &s), STANDING_OK);
	assert_int_equal(s.points, 5);
	assert_int_equal(s.services, 0); /* a bonus is no service */
	assert_int_equal(standing_get(f->t.db, f->t.member, f->year, &s), STANDING_OK);
	assert_int_equal(s.points, 5);
	assert_int_equal(tally(f, "points", 1, f->half), 5);
	/* A wish without a ref may come again; with one, once. */
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_WISH, 0, "又圆一梦", &errs, &again), BONUS_OK);
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_WISH, 41, "微心愿 41", &errs, &again), BONUS_OK);
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_WISH, 41, "微心愿 41", &errs, &again),
			 BONUS_DUPLICATE);
	/* A newer version in force today prices new bonuses; those given keep what they were given. */
	run(f->t.db, "INSERT INTO rule_version (region_code, effective_on, welfare_per_service, welfare_per_hour, "
		     "post_per_service, post_per_hour, activity_per_service, activity_per_hour, affairs_per_service, "
		     "affairs_per_hour, cap_record, cap_day, bonus_wish, bonus_post, bonus_lead, qualified_points, "
		     "qualified_services, excellent_points, excellent_services, pioneer_points, pioneer_services, "
		     "year_min_services, star_mode, star1, star2, star3, star4, star5, created_at) SELECT '440111000000', "
		     "'2001-01-01', 1, 2, 1, 1, 1, 2, 1, 1, 10, 20, 8, 0, 3, 6, 1, 20, 3, 40, 6, 2, 'shares', 10, 20, 30, "
		     "30, 10, 0");
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_WISH, 0, "第三个心愿", &errs, &again), BONUS_OK);
	assert_int_equal(bonus_get(f->t.db, again, &b), BONUS_OK);
	assert_int_equal(b.points, 8);
	assert_int_equal(bonus_get(f->t.db, id, &b), BONUS_OK);
	assert_int_equal(b.points, 5);
	/* That version gives nothing for a post: refused, nothing written. */
	run(f->t.db, "INSERT INTO post (community_code, item_id, name, places, starts_on, state, created_at, updated_at) "
		     "SELECT '" TESTDB_COMMUNITY "', id, '1栋楼栋长', 1, '2000-01-01', 'open', 0, 0 FROM catalog_item "
		     "WHERE code = 'P01' AND region_code IS NULL");
	run(f->t.db, "INSERT INTO post_holder (post_id, community_code, member_id, state, applied_at, decided_at) SELECT "
		     "max(id), '" TESTDB_COMMUNITY "', (SELECT id FROM member WHERE name = '陈建国'), 'holding', 0, 0 FROM post");
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_POST, scalar(f->t.db, "SELECT max(id) FROM post"),
				    "全年在岗", &errs, &again),
			 BONUS_NO_POINTS);
	assert_int_equal(bonus_list(f->t.db, f->t.member, &items, &n), BONUS_OK);
	assert_int_equal(n, 4);
	assert_int_equal(items[0].points, 8); /* newest first */
	free(items);
	/* Refusals: a post or an activity that is not there, a file not reported in, one's own file. */
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(bonus_give(f->t.db, &staff, f->t.member, BONUS_LEAD, 9999, "牵头", &errs, &again), BONUS_INVALID);
	assert_true(has_error(&errs, "ref", "not_found"));
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(bonus_give(f->t.db, &staff, f->wang, BONUS_POST, scalar(f->t.db, "SELECT max(id) FROM post"),
				    "在岗", &errs, &again),
			 BONUS_INVALID); /* the post is 石榴桥's, 王 serves in 飞鹅 */
	assert_true(has_error(&errs, "ref", "not_found"));
	assert_int_equal(bonus_give(f->t.db, &(struct actor){ 7, "test" }, f->t.member, BONUS_WISH, 0, "自己", &errs,
				    &again),
			 BONUS_OWN);
	run(f->t.db, "UPDATE member SET state = 'left' WHERE name = '赵敏'");
	assert_int_equal(bonus_give(f->t.db, &staff, f->zhao, BONUS_WISH, 0, "圆梦", &errs, &again), BONUS_NOT_SERVING);
	assert_int_equal(bonus_give(f->t.db, &staff, 9999, BONUS_WISH, 0, "圆梦", &errs, &again), BONUS_NOT_FOUND);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM bonus"), 4);
	assert_int_equal(scalar(f->t.db, "SELECT count(*) FROM audit_log WHERE action = 'bonus.give'"), 4);
	assert_int_equal(ledger_verify(f->t.db, &check), 0);
	assert_int_equal(ledger_balance(f->t.db, BOOK_POINTS, &me, &balance), 0);
	assert_int_equal(balance, 5 + 5 + 5 + 8);
	assert_int_equal(standing_get(f->t.db, f->t.member, f->half, &s), STANDING_OK);
	assert_int_equal(s.points, balance);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_come_from_the_standings_with_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(a_scope_keeps_to_its_communities_or_holds_the_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(comments_are_set_replaced_removed_and_audited, setup, teardown),
		cmocka_unit_test_setup_teardown(tallies_follow_standings_and_files_that_change_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(units_rank_by_share_served_then_points_per_file, setup, teardown),
		cmocka_unit_test_setup_teardown(bonuses_move_points_into_the_standings_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
