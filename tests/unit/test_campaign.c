/* test_campaign.c: a campaign's coverage kept with every mark: the counts always match the doors, and only final marks complete it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/campaign.h"
#include "domain/household.h"
#include "testdb.h"

#define GRID "440111002011001"
#define BUILDING "440111002011001001"

static const struct actor staff = { 0, "test" };

static int64_t count(struct db *db, const char *sql, int64_t id)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t n;

	db_bind_int(st, 1, id);
	n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

/* A published campaign over one building of 2 units × 3 floors × 2: 12 households in 2 stretches. */
static int64_t campaign_over_building(struct testdb *t)
{
	struct household_layout l = { 2, 1, 3, 2 };
	struct field_errors errs = { 0 };
	struct campaign_input in = { 0 };
	const char *codes[] = { BUILDING };
	size_t added, kept;
	int64_t id, item;

	assert_int_equal(db_run(t->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES "
				       "('" GRID "', '" TESTDB_COMMUNITY "', 'grid', '一网格', '一网格', '" TESTDB_PATH GRID
				       "/', 0), ('" BUILDING "', '" GRID "', 'building', '1栋', '1栋', '" TESTDB_PATH GRID
				       "/" BUILDING "/', 0)"),
			 DB_OK);
	assert_int_equal(household_generate(t->db, &staff, BUILDING, &l, &errs, &added, &kept), HOUSEHOLD_OK);
	assert_int_equal(added, 12);
	item = count(t->db, "SELECT id FROM catalog_item WHERE code = 'A03' AND region_code IS NULL AND id > ?", 0);
	assert_true(item > 0);
	in.region_code = TESTDB_COMMUNITY;
	in.title = "垃圾分类入户宣传";
	in.starts_on = "2026-12-01";
	in.ends_on = "2026-12-31";
	in.item_id = item;
	assert_int_equal(campaign_create(t->db, &staff, &in, &errs, &id), CAMPAIGN_OK);
	assert_int_equal(campaign_add_buildings(t->db, &staff, id, codes, 1, true, &errs, &added), CAMPAIGN_OK);
	assert_int_equal(added, 2);
	assert_int_equal(campaign_publish(t->db, &staff, id), CAMPAIGN_OK);
	return id;
}

static int mark(struct db *db, int64_t campaign, int64_t household, enum campaign_mark_kind kind)
{
	struct field_errors errs = { 0 };
	struct campaign_mark_input in = { campaign, household, 0, kind, "", 0, NULL, NULL };
	int64_t mark_id;

	return campaign_mark(db, &staff, &in, &errs, &mark_id);
}

/* Whether the kept counts say what the households' rows say, stretch by stretch. */
static void counts_match_doors(struct db *db, int64_t campaign)
{
	static const char *const states[] = { "todo", "visited", "absent", "declined", "empty" };
	struct campaign_stretch *s;
	size_t n;

	assert_int_equal(campaign_stretches(db, campaign, &s, &n), CAMPAIGN_OK);
	for (size_t i = 0; i < n; i++) {
		const int64_t kept[] = { s[i].tally.todo, s[i].tally.marked[MARK_VISITED], s[i].tally.marked[MARK_ABSENT],
					 s[i].tally.marked[MARK_DECLINED], s[i].tally.marked[MARK_EMPTY] };
		int64_t sum = 0;

		for (size_t k = 0; k < 5; k++) {
			char sql[160];
			struct db_stmt *st;

			snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM campaign_household WHERE stretch_id = ? AND state = '%s'",
				 states[k]);
			st = db_prepare(db, sql);
			db_bind_int(st, 1, s[i].id);
			assert_int_equal(db_step(st), DB_ROW);
			assert_int_equal(db_col_int(st, 0), kept[k]);
			db_done(st);
			sum += kept[k];
		}
		assert_int_equal(sum, s[i].tally.households);
		assert_int_equal(s[i].tally.households, 6);
	}
	free(s);
}

/* Any sequence of marks, repeated doors and changed minds included: the counts follow the doors exactly. */
static void counts_follow_every_mark(void **state)
{
	struct testdb t;
	int64_t id, first;
	uint32_t seed = 12345;

	(void)state;
	assert_int_equal(testdb_open(&t, "campaign"), 0);
	id = campaign_over_building(&t);
	first = count(t.db, "SELECT MIN(household_id) FROM campaign_household WHERE campaign_id = ?", id);
	for (int i = 0; i < 200; i++) {
		seed = seed * 1103515245u + 12345u;
		assert_int_equal(mark(t.db, id, first + (seed >> 16) % 12, (enum campaign_mark_kind)((seed >> 8) % MARK_COUNT)),
				 CAMPAIGN_OK);
		if (i % 20 == 0)
			counts_match_doors(t.db, id);
	}
	counts_match_doors(t.db, id);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM campaign_mark WHERE campaign_id = ?", id), 200);
	assert_int_equal(testdb_close(&t), 0);
}

/* 一户不落: complete only when every household has a final mark; nobody home is to be visited again. */
static void only_final_marks_complete_it(void **state)
{
	struct campaign *c = malloc(sizeof(*c));
	struct testdb t;
	int64_t id, first;

	(void)state;
	assert_true(campaign_mark_final(MARK_VISITED) && campaign_mark_final(MARK_DECLINED) && campaign_mark_final(MARK_EMPTY));
	assert_false(campaign_mark_final(MARK_ABSENT));
	assert_int_equal(testdb_open(&t, "campaign-final"), 0);
	id = campaign_over_building(&t);
	first = count(t.db, "SELECT MIN(household_id) FROM campaign_household WHERE campaign_id = ?", id);
	for (int64_t h = 0; h < 12; h++)
		assert_int_equal(mark(t.db, id, first + h, h == 5 ? MARK_ABSENT : MARK_VISITED), CAMPAIGN_OK);
	assert_int_equal(campaign_get(t.db, id, c), CAMPAIGN_OK);
	assert_int_equal(c->tally.households, 12);
	assert_int_equal(c->tally.todo, 0);
	assert_int_equal(c->tally.marked[MARK_ABSENT], 1);
	assert_int_equal(c->tally.marked[MARK_VISITED], 11);
	assert_int_equal(mark(t.db, id, first + 5, MARK_DECLINED), CAMPAIGN_OK);
	assert_int_equal(campaign_get(t.db, id, c), CAMPAIGN_OK);
	assert_int_equal(c->tally.marked[MARK_ABSENT] + c->tally.todo, 0);
	assert_int_equal(c->tally.marked[MARK_DECLINED], 1);
	/* a household of no stretch of this campaign, and a closed campaign: refused, nothing moved */
	assert_int_equal(mark(t.db, id, first + 100, MARK_VISITED), CAMPAIGN_NOT_FOUND);
	assert_int_equal(campaign_close(t.db, &staff, id), CAMPAIGN_OK);
	assert_int_equal(mark(t.db, id, first, MARK_EMPTY), CAMPAIGN_BAD_STATE);
	assert_int_equal(count(t.db, "SELECT COUNT(*) FROM campaign_mark WHERE campaign_id = ?", id), 13);
	free(c);
	assert_int_equal(testdb_close(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_follow_every_mark),
		cmocka_unit_test(only_final_marks_complete_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
