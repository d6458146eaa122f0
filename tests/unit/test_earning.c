/* test_earning.c: pricing, caps, tiers and stars; confirmed records into the ledgers and standings on a real database */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/earning.h"
#include "domain/record.h"
#include "testdb.h"

static const struct actor staff = { 0, "test" };

/* The default rule: every service 1 point, welfare 2 points an hour, at most 10 a record and 20 a day. */
static struct rule_terms terms(void)
{
	struct rule_terms t = { .per_service = { 1, 1, 1, 1 }, .per_hour = { 2, 1, 2, 1 }, .cap_record = 10,
				.cap_day = 20, .tier_points = { 6, 20, 40 }, .tier_services = { 1, 3, 6 },
				.year_min_services = 2, .star_mode = STARS_SHARES, .stars = { 10, 20, 30, 30, 10 }, .quiet_days = 90 };

	return t;
}

static void pricing_and_caps(void **state)
{
	struct rule_terms t = terms();

	(void)state;
	assert_int_equal(rule_category("welfare"), 0);
	assert_int_equal(rule_category("affairs"), 3);
	assert_int_equal(rule_category("other"), -1);
	assert_int_equal(rule_price(&t, 0, 90), 1 + 3); /* an hour and a half at 2 an hour */
	assert_int_equal(rule_price(&t, 1, 90), 1 + 1); /* a post's half hour is rounded down */
	assert_int_equal(rule_price(&t, 0, 29), 1 + 0);
	assert_int_equal(rule_price(&t, 0, 0), 0); /* no service, not even its point */
	assert_int_equal(rule_price(&t, 0, -30), 0);
	assert_int_equal(rule_capped(&t, 21, 0), 10); /* the record's cap */
	assert_int_equal(rule_capped(&t, 8, 15), 5); /* the day's room */
	assert_int_equal(rule_capped(&t, 8, 20), 0);
	assert_int_equal(rule_capped(&t, 8, 25), 0);
	t.cap_record = t.cap_day = 0;
	assert_int_equal(rule_capped(&t, 500, 1000), 500); /* 0: no cap */
}

static void tiers_and_what_is_missing(void **state)
{
	struct rule_terms t = terms();
	int64_t p, s;

	(void)state;
	assert_int_equal(rule_tier(&t, 5, 9), TIER_NONE);
	assert_int_equal(rule_tier(&t, 6, 1), TIER_QUALIFIED);
	assert_int_equal(rule_tier(&t, 100, 2), TIER_QUALIFIED); /* points alone do not make 优秀 */
	assert_int_equal(rule_tier(&t, 20, 3), TIER_EXCELLENT);
	assert_int_equal(rule_tier(&t, 40, 6), TIER_PIONEER);
	/* "再服务 1 次、积 6 分可达优秀" */
	assert_int_equal(rule_next_tier(&t, 14, 2, &p, &s), TIER_EXCELLENT);
	assert_int_equal(p, 6);
	assert_int_equal(s, 1);
	assert_int_equal(rule_next_tier(&t, 0, 0, &p, &s), TIER_QUALIFIED);
	assert_int_equal(p, 6);
	assert_int_equal(s, 1);
	assert_int_equal(rule_next_tier(&t, 50, 2, &p, &s), TIER_EXCELLENT);
	assert_int_equal(p, 0); /* enough points, one service short */
	assert_int_equal(s, 1);
	assert_int_equal(rule_next_tier(&t, 40, 6, &p, &s), TIER_NONE);
}

static void stars_by_thresholds_and_by_shares(void **state)
{
	struct rule_terms t = terms();

	(void)state;
	/* Shares 10/30/30/20/10 % from the top (stored 1★ first), of 10 ranked. */
	assert_int_equal(rule_stars(&t, 90, 1, 10), 5);
	assert_int_equal(rule_stars(&t, 80, 2, 10), 4);
	assert_int_equal(rule_stars(&t, 50, 4, 10), 4);
	assert_int_equal(rule_stars(&t, 40, 5, 10), 3);
	assert_int_equal(rule_stars(&t, 30, 8, 10), 2);
	assert_int_equal(rule_stars(&t, 10, 10, 10), 1);
	/* Ties keep together: three share rank 1 of 10, all 5 stars though 10 % is one member. */
	assert_int_equal(rule_stars(&t, 90, 1, 10), 5);
	/* The one after them has three above: 30 %, past 5 stars and into 4. */
	assert_int_equal(rule_stars(&t, 80, 4, 10), 4);
	assert_int_equal(rule_stars(&t, 0, 1, 1), 0); /* nothing earned, no star */
	t.star_mode = STARS_THRESHOLDS;
	t.stars[0] = 10, t.stars[1] = 20, t.stars[2] = 40, t.stars[3] = 60, t.stars[4] = 100;
	assert_int_equal(rule_stars(&t, 9, 0, 0), 0);
	assert_int_equal(rule_stars(&t, 10, 0, 0), 1);
	assert_int_equal(rule_stars(&t, 59, 0, 0), 3);
	assert_int_equal(rule_stars(&t, 100, 0, 0), 5);
}

static bool has_error(const struct field_errors *e, const char *field, const char *code)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field) && !strcmp(e->items[i].code, code))
			return true;
	return false;
}

static void rules_are_checked(void **state)
{
	struct rule_terms t = terms();
	struct field_errors e = { 0 };

	(void)state;
	assert_int_equal(rule_check(&t, &e), RULE_OK);
	t.per_hour[2] = -1;
	t.cap_day = RULE_VALUE_MAX + 1;
	t.tier_points[1] = 5; /* 优秀 below 合格 */
	t.tier_services[2] = 2; /* 先锋 fewer services than 优秀 */
	t.stars[4] = 11; /* shares of 101 % */
	t.quiet_days = RULE_QUIET_MIN - 1;
	assert_int_equal(rule_check(&t, &e), RULE_INVALID);
	assert_true(has_error(&e, "quiet_days", "too_small"));
	assert_true(has_error(&e, "activity_per_hour", "out_of_range"));
	assert_true(has_error(&e, "cap_day", "out_of_range"));
	assert_true(has_error(&e, "excellent_points", "order"));
	assert_true(has_error(&e, "pioneer_services", "order"));
	assert_true(has_error(&e, "star5", "sum"));
	t = terms();
	t.star_mode = STARS_THRESHOLDS;
	memset(&e, 0, sizeof(e));
	assert_int_equal(rule_check(&t, &e), RULE_INVALID); /* 10, 20, 30, 30, 10 do not rise */
	assert_true(has_error(&e, "star4", "order"));
	assert_true(has_error(&e, "star5", "order"));
}

static void periods(void **state)
{
	char half[PERIOD_LEN], year[PERIOD_LEN], first[11], last[11];

	(void)state;
	period_of("2026-06-30", half, year);
	assert_string_equal(half, "2026H1");
	assert_string_equal(year, "2026");
	period_of("2026-07-01", half, year);
	assert_string_equal(half, "2026H2");
	period_bounds("2026H1", first, last);
	assert_string_equal(first, "2026-01-01");
	assert_string_equal(last, "2026-06-30");
	period_bounds("2026", first, last);
	assert_string_equal(first, "2026-01-01");
	assert_string_equal(last, "2026-12-31");
	assert_true(period_valid("2026H2"));
	assert_true(period_valid("2026"));
	assert_false(period_valid("2026H3"));
	assert_false(period_valid("26H1"));
	assert_false(period_valid("2026H"));
	assert_false(period_valid("2026H1 "));
}

static int setup(void **state)
{
	struct testdb *t = calloc(1, sizeof(*t));

	if (!t || testdb_open(t, "earning") < 0)
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

/* A staff entry of 义务理发 (a welfare item with no extra fields) day days ago at 8:00 + offset minutes, confirmed or pending. */
static int64_t entry(struct testdb *t, int64_t days, int64_t offset, int64_t minutes, bool confirm)
{
	int64_t morning = (clock_now() + 8 * 3600) / 86400 * 86400 - 8 * 3600 + 8 * 3600;
	struct record_input in = { .member_id = t->member, .item_id = item(t->db, "G07"), .source = SOURCE_STAFF,
				   .started_at = morning - days * 86400 + offset * 60, .minutes = minutes,
				   .place = "社区", .content = "劝导" };
	struct field_errors errs = { 0 };
	int64_t id;

	assert_int_equal(record_create(t->db, &staff, &in, confirm, &errs, &id), RECORD_OK);
	return id;
}

static int64_t served(struct testdb *t, int64_t days, int64_t offset, int64_t minutes)
{
	return entry(t, days, offset, minutes, true);
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

static void sound(struct db *db)
{
	struct ledger_check c;

	assert_int_equal(ledger_verify(db, &c), 0);
	assert_int_equal(c.unbalanced, 0);
	assert_int_equal(c.wrong_balances, 0);
}

/* The tier counts kept with the standings are what the standings hold, at every level. */
#define COUNTED "SELECT period, region_code, tier, members FROM standing_count WHERE members <> 0"
#define HELD \
	"SELECT period, community_code, tier, count(*) FROM standing GROUP BY 1, 2, 3 UNION " \
	"SELECT period, street_code, tier, count(*) FROM standing GROUP BY 1, 2, 3 UNION " \
	"SELECT period, district_code, tier, count(*) FROM standing GROUP BY 1, 2, 3 UNION " \
	"SELECT period, city_code, tier, count(*) FROM standing GROUP BY 1, 2, 3"
static void counts_hold(struct db *db)
{
	/* Compound selects group from the left: each side is a subquery of its own. */
	assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM (" COUNTED ") EXCEPT SELECT * FROM (" HELD "))"), 0);
	assert_int_equal(scalar(db, "SELECT count(*) FROM (SELECT * FROM (" HELD ") EXCEPT SELECT * FROM (" COUNTED "))"), 0);
	assert_true(scalar(db, "SELECT count(*) FROM standing_count") > 0);
}

static struct standing half_of(struct testdb *t, int64_t days)
{
	char day[11], half[PERIOD_LEN], year[PERIOD_LEN];
	struct standing s;

	clock_date(clock_now() - days * 86400, day);
	period_of(day, half, year);
	assert_int_equal(standing_get(t->db, t->member, half, &s), STANDING_OK);
	return s;
}

static void a_confirmation_moves_points_hours_and_standings(void **state)
{
	struct testdb *t = *state;
	struct ledger_owner me = { KIND_MEMBER, t->member, NULL };
	int64_t points, minutes;
	struct standing s;

	served(t, 2, 0, 90); /* 1 + 90 × 2 / 60 = 4 points */
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &points), 0);
	assert_int_equal(ledger_balance(t->db, BOOK_HOURS, &me, &minutes), 0);
	assert_int_equal(points, 4);
	assert_int_equal(minutes, 90);
	s = half_of(t, 2);
	assert_int_equal(s.points, 4);
	assert_int_equal(s.minutes, 90);
	assert_int_equal(s.services, 1);
	assert_int_equal(s.tier, TIER_NONE); /* 合格 asks 6 */
	assert_string_equal(s.community_code, TESTDB_COMMUNITY);
	assert_string_equal(s.district_code, "440111000000");
	/* Each movement is its own pair: the member's gain is the community's issue. */
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement"), 2);
	assert_int_equal(scalar(t->db, "SELECT balance FROM ledger_account WHERE kind = 'issue' AND book = 'points'"), -4);
	served(t, 2, 120, 60); /* 3 more: 7, 合格 */
	assert_int_equal(half_of(t, 2).tier, TIER_QUALIFIED);
	sound(t->db);
}

static void a_correction_moves_the_difference_and_a_reversal_everything(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs = { 0 };
	int64_t a = served(t, 3, 0, 90), fix, first;
	struct standing s;

	first = scalar(t->db, "SELECT max(id) FROM ledger_movement WHERE book = 'points'");
	assert_int_equal(record_correct(t->db, &staff, a, 150, "少记了一小时", &errs, &fix), RECORD_OK);
	s = half_of(t, 3);
	assert_int_equal(s.points, 1 + 5); /* 150 minutes at 2 an hour */
	assert_int_equal(s.minutes, 150);
	assert_int_equal(s.services, 1); /* still one service */
	/* The correction names the movement it corrects, and only adds the difference. */
	assert_int_equal(scalar(t->db, "SELECT corrects_id FROM ledger_movement WHERE book = 'points' AND "
				       "source = 'correction'"),
			 first);
	assert_int_equal(scalar(t->db, "SELECT e.amount FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id "
				       "WHERE a.kind = 'member' AND e.movement_id = (SELECT max(id) FROM ledger_movement "
				       "WHERE book = 'points')"),
			 2);
	assert_int_equal(record_correct(t->db, &staff, a, 0, "当天未到场", &errs, &fix), RECORD_OK);
	s = half_of(t, 3);
	assert_int_equal(s.points, 0);
	assert_int_equal(s.minutes, 0);
	assert_int_equal(s.services, 0); /* reversed: it no longer counts as a service */
	assert_int_equal(record_correct(t->db, &staff, a, 60, "核实后到场一小时", &errs, &fix), RECORD_OK);
	s = half_of(t, 3);
	assert_int_equal(s.points, 3);
	assert_int_equal(s.services, 1);
	sound(t->db);
}

static void caps_hold_per_record_and_per_day(void **state)
{
	struct testdb *t = *state;
	struct ledger_owner me = { KIND_MEMBER, t->member, NULL };
	int64_t points, a, fix;
	struct field_errors errs = { 0 };

	a = served(t, 4, 0, 600); /* 1 + 20 = 21, at most 10 a record */
	served(t, 4, 600, 600); /* 10 more: 20 that day */
	served(t, 4, -120, 60); /* the day is full: 0 points, the hour still counts */
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &points), 0);
	assert_int_equal(points, 20);
	assert_int_equal(half_of(t, 4).minutes, 1260);
	assert_int_equal(half_of(t, 4).services, 3);
	/* Shortening the first frees room only down to what it earns itself. */
	assert_int_equal(record_correct(t->db, &staff, a, 120, "只有两小时", &errs, &fix), RECORD_OK);
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &points), 0);
	assert_int_equal(points, 10 + 5);
	served(t, 5, 0, 60); /* another day has its own room */
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &points), 0);
	assert_int_equal(points, 15 + 3);
	sound(t->db);
}

static struct rule_terms stricter(void)
{
	struct rule_terms t = terms();

	t.tier_points[0] = 1;
	t.per_service[0] = 5;
	return t;
}

static void rules_by_region_and_date(void **state)
{
	struct testdb *t = *state;
	struct rule_terms x = stricter();
	struct field_errors errs = { 0 };
	char today[11], tomorrow[11];
	int64_t id, changed = 0;
	struct rule r;

	clock_date(clock_now(), today);
	clock_date(clock_now() + 86400, tomorrow);
	assert_int_equal(rule_for(t->db, TESTDB_PATH, today, &r), RULE_OK);
	assert_string_equal(r.region_code, ""); /* the default */
	assert_int_equal(earning_rule_add(t->db, &staff, "440111000000", "/440100000000/440111000000/", today, &x, "",
					  &errs, &id, &changed),
			 EARNING_INVALID); /* never from today: it would re-price today's services */
	assert_true(has_error(&errs, "effective_on", "too_small"));
	served(t, 1, 0, 30); /* 2 points: below 合格 (6) */
	assert_int_equal(half_of(t, 1).tier, TIER_NONE);
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(earning_rule_add(t->db, &staff, "440111000000", "/440100000000/440111000000/", tomorrow, &x,
					  "白云区新规", &errs, &id, &changed),
			 EARNING_OK);
	assert_int_equal(rule_for(t->db, TESTDB_PATH, tomorrow, &r), RULE_OK);
	assert_int_equal(r.id, id);
	assert_string_equal(r.region_name, "白云区");
	assert_int_equal(rule_for(t->db, TESTDB_PATH, today, &r), RULE_OK);
	assert_string_equal(r.region_code, ""); /* today is still priced by the default */
	assert_int_equal(rule_for(t->db, "/440100000000/440112000000/x/y/", tomorrow, &r), RULE_OK);
	assert_string_equal(r.region_code, ""); /* another district keeps the default */
	/* The half-year's tier is the rule's on its last day: the new threshold of 1 point applies already, unless
	 * tomorrow starts another half-year. */
	if (strncmp(today + 5, "06-30", 5) && strncmp(today + 5, "12-31", 5)) {
		assert_int_equal(changed, 1);
		assert_int_equal(half_of(t, 1).tier, TIER_QUALIFIED);
	}
	/* The past stays priced as it was: the service of yesterday earned 2, not 5 + 1. */
	assert_int_equal(half_of(t, 1).points, 2);
	counts_hold(t->db);
}

static void a_preview_writes_nothing(void **state)
{
	struct testdb *t = *state;
	struct rule_terms x = stricter();
	struct field_errors errs = { 0 };
	struct rule_preview p;
	char tomorrow[11];
	int64_t audits, rules;

	clock_date(clock_now() + 86400, tomorrow);
	served(t, 1, 0, 30);
	audits = scalar(t->db, "SELECT count(*) FROM audit_log");
	rules = scalar(t->db, "SELECT count(*) FROM rule_version");
	assert_int_equal(earning_rule_preview(t->db, &staff, "440111000000", "/440100000000/440111000000/", tomorrow, &x,
					      &errs, &p),
			 EARNING_OK);
	/* Unless tomorrow starts another half-year, yesterday's service is in the one previewed. */
	if (!strcmp(p.period, half_of(t, 1).period)) {
		assert_int_equal(p.total, 1);
		assert_int_equal(p.before[TIER_NONE], 1);
		assert_int_equal(p.after[TIER_QUALIFIED], 1);
		assert_int_equal(p.changed, 1);
	}
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log"), audits);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM rule_version"), rules);
	assert_int_equal(half_of(t, 1).tier, TIER_NONE);
}

static void the_ledger_is_append_only(void **state)
{
	struct testdb *t = *state;

	served(t, 1, 0, 60);
	assert_int_equal(db_run(t->db, "UPDATE ledger_entry SET amount = 100"), DB_ERROR);
	assert_int_equal(db_run(t->db, "DELETE FROM ledger_entry"), DB_ERROR);
	assert_int_equal(db_run(t->db, "UPDATE ledger_movement SET note = 'x'"), DB_ERROR);
	assert_int_equal(db_run(t->db, "DELETE FROM ledger_movement"), DB_ERROR);
	sound(t->db);
	/* A balance set behind the ledger's back is found. */
	assert_int_equal(db_run(t->db, "UPDATE ledger_account SET balance = balance + 1 WHERE kind = 'member' AND book = 'points'"), DB_OK);
	{
		struct ledger_check c;

		assert_int_equal(ledger_verify(t->db, &c), 1);
		assert_int_equal(c.wrong_balances, 1);
		assert_true(c.first_account > 0);
	}
}

/* Thousands of random confirmations and corrections; then every balance equals its replayed entries and the
 * year's standing equals the member's balances. */
static void random_operations_keep_the_books(void **state)
{
	struct testdb *t = *state;
	struct ledger_owner me = { KIND_MEMBER, t->member, NULL };
	int64_t ids[400], n = 0, points, minutes, fix;
	struct field_errors errs;
	unsigned seed = 20261202;

	for (int i = 0; i < 1200; i++) {
		unsigned r = (unsigned)rand_r(&seed);

		if (n < 10 || r % 3) {
			/* Days 10..70 ago, one slot of up to 4 hours each, never overlapping. */
			if (n < (int64_t)(sizeof(ids) / sizeof(ids[0])))
				ids[n] = served(t, 10 + n / 6, (n % 6) * 240, 1 + (int64_t)(r % 240)), n++;
		} else {
			memset(&errs, 0, sizeof(errs));
			(void)record_correct(t->db, &staff, ids[r % n], (int64_t)((r >> 8) % 241), "核对", &errs, &fix);
		}
	}
	sound(t->db);
	counts_hold(t->db);
	assert_int_equal(ledger_balance(t->db, BOOK_POINTS, &me, &points), 0);
	assert_int_equal(ledger_balance(t->db, BOOK_HOURS, &me, &minutes), 0);
	assert_int_equal(scalar(t->db, "SELECT sum(points) FROM standing WHERE length(period) = 4"), points);
	assert_int_equal(scalar(t->db, "SELECT sum(minutes) FROM standing WHERE length(period) = 4"), minutes);
	assert_int_equal(scalar(t->db, "SELECT sum(minutes) FROM standing WHERE length(period) = 6"), minutes);
	/* Hours are the records' own minutes; points never pass a day's cap. */
	assert_int_equal(scalar(t->db, "SELECT sum(minutes) FROM record WHERE state = 'confirmed'"), minutes);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM earning_day WHERE points > 20 OR points < 0"), 0);
	assert_int_equal(scalar(t->db, "SELECT sum(points) FROM earning_day"), points);
	assert_int_equal(scalar(t->db, "SELECT sum(services) FROM standing WHERE length(period) = 4"),
			 scalar(t->db, "SELECT count(*) FROM record g WHERE g.corrects_id IS NULL AND g.minutes + "
				       "COALESCE((SELECT sum(c.minutes) FROM record c WHERE c.corrects_id = g.id), 0) > 0"));
}

/* Rows of sql (two integer columns and text ones joined) as one text, to compare two databases. */
static void rows_text(struct db *db, const char *sql, char *out, size_t size)
{
	struct db_stmt *st = db_prepare(db, sql);
	size_t len = 0;

	out[0] = '\0';
	while (db_step(st) == DB_ROW && len < size)
		len += (size_t)snprintf(out + len, size - len, "%s|%" PRId64 "|%" PRId64 ";", db_col_text(st, 0),
					db_col_int(st, 1), db_col_int(st, 2));
	db_done(st);
}

/*
 * The same services confirmed one by one in one database and in one bulk call in another: the same balances,
 * standings (points, minutes, services, tiers), day caps and tier counts, though the bulk call prices them together.
 */
static void bulk_confirmation_moves_what_one_by_one_moves(void **state)
{
	static const char *const compared[] = {
		"SELECT period || ' ' || tier, points * 1000000 + minutes, services FROM standing ORDER BY period",
		"SELECT day, points, 0 FROM earning_day ORDER BY day",
		"SELECT period || ' ' || region_code || ' ' || tier, members, 0 FROM standing_count WHERE members <> 0 "
		"ORDER BY 1",
		"SELECT kind || ' ' || book, balance, 0 FROM ledger_account ORDER BY kind, book",
	};
	const struct principal admin = { .account_id = 1, .ngrants = 1, .grants = { { .role = ROLE_ADMIN } } };
	struct testdb *one = *state, many;
	int64_t ids[60];
	enum record_outcome out[60];
	char a[8192], b[8192];
	size_t n = 0;

	assert_int_equal(testdb_open(&many, "earning-bulk"), 0);
	/* Over two half-years, several a day (so the day's cap bites), enough to climb the tiers. */
	for (int64_t day = 0; day < 15; day++)
		for (int64_t k = 0; k < 4; k++, n++) {
			int64_t minutes = 30 + (day * 7 + k * 45) % 200, at = 200 - day * 12;

			ids[n] = entry(one, at, k * 240, minutes, false);
			assert_int_equal(entry(&many, at, k * 240, minutes, false), ids[n]);
		}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(record_decide(one->db, &staff, ids[i], true, NULL), RECORD_OK);
	assert_int_equal(record_confirm_many(many.db, &staff, &admin, ids, n, out), RECORD_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(out[i], OUTCOME_CONFIRMED);
	for (size_t q = 0; q < sizeof(compared) / sizeof(compared[0]); q++) {
		rows_text(one->db, compared[q], a, sizeof(a));
		rows_text(many.db, compared[q], b, sizeof(b));
		assert_true(a[0]);
		assert_string_equal(a, b);
	}
	assert_true(scalar(many.db, "SELECT count(*) FROM earning_day WHERE points = 20") > 0); /* a cap was reached */
	assert_true(scalar(many.db, "SELECT count(*) FROM standing WHERE tier <> 'none'") > 0); /* a tier was reached */
	sound(many.db);
	counts_hold(many.db);
	assert_int_equal(testdb_close(&many), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pricing_and_caps),
		cmocka_unit_test(tiers_and_what_is_missing),
		cmocka_unit_test(stars_by_thresholds_and_by_shares),
		cmocka_unit_test(rules_are_checked),
		cmocka_unit_test(periods),
		cmocka_unit_test_setup_teardown(a_confirmation_moves_points_hours_and_standings, setup, teardown),
		cmocka_unit_test_setup_teardown(a_correction_moves_the_difference_and_a_reversal_everything, setup,
						teardown),
		cmocka_unit_test_setup_teardown(caps_hold_per_record_and_per_day, setup, teardown),
		cmocka_unit_test_setup_teardown(rules_by_region_and_date, setup, teardown),
		cmocka_unit_test_setup_teardown(a_preview_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(the_ledger_is_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(random_operations_keep_the_books, setup, teardown),
		cmocka_unit_test_setup_teardown(bulk_confirmation_moves_what_one_by_one_moves, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
