/* test_timebank.c: gifts of hours (zero-sum, never below zero, never to oneself) and the rewards shelf's redemptions on a real database, by case and at random */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/earning.h"
#include "domain/record.h"
#include "domain/shelf.h"
#include "domain/timebank.h"
#include "testdb.h"

static const struct actor staff = { 0, "test" };
static const struct actor chen = { 7, "test" }; /* the member's own account */
#define FEIE "440111002001" /* 飞鹅新村社区: another community of the street */

static int setup(void **state)
{
	struct testdb *t = calloc(1, sizeof(*t));

	if (!t || testdb_open(t, "timebank") < 0)
		return -1;
	/* The member's account has their phone; 张阿姨 is a resident with an account; 飞鹅新村 has a shelf of its own. */
	if (db_run(t->db, "UPDATE account SET phone = '13800001011' WHERE id = 7") != DB_OK ||
	    db_run(t->db, "INSERT INTO account (id, login, name, phone, password_hash, password_changed_at, created_at) "
			  "VALUES (8, 'zhang', '张阿姨', '13800000006', 'x', 0, 0), "
			  "(9, 'staffer', '李社工', '13800000003', 'x', 0, 0)") != DB_OK ||
	    db_run(t->db, "INSERT INTO role_grant (account_id, role, region_code, created_at) VALUES "
			  "(8, 'resident', '" TESTDB_COMMUNITY "', 0), (7, 'member', '" TESTDB_COMMUNITY "', 0), "
			  "(9, 'staff', '" TESTDB_COMMUNITY "', 0)") != DB_OK ||
	    db_run(t->db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES ('" FEIE
			  "', '440111002000', 'community', '飞鹅新村社区', '飞鹅新村社区', "
			  "'/440100000000/440111000000/440111002000/" FEIE "/', 0)") != DB_OK)
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

/* A confirmed staff entry of 义务理发 days ago at 8:00 + offset minutes: its minutes, and points (1 + 2 an hour, at most 10). */
static void served_on(struct testdb *t, int64_t days, int64_t offset, int64_t minutes)
{
	int64_t morning = (clock_now() + 8 * 3600) / 86400 * 86400;
	struct record_input in = { .member_id = t->member,
				   .item_id = scalar(t->db, "SELECT id FROM catalog_item WHERE code = 'G07'"),
				   .source = SOURCE_STAFF, .started_at = morning - days * 86400 + offset * 60, .minutes = minutes,
				   .place = "社区", .content = "理发" };
	struct field_errors errs = { 0 };
	int64_t id;

	assert_int_equal(record_create(t->db, &staff, &in, true, &errs, &id), RECORD_OK);
}

/* The same yesterday. */
static void served(struct testdb *t, int64_t offset, int64_t minutes)
{
	served_on(t, 1, offset, minutes);
}

static void sound(struct db *db)
{
	struct ledger_check c;

	assert_int_equal(ledger_verify(db, &c), 0);
	assert_int_equal(c.unbalanced, 0);
	assert_int_equal(c.wrong_balances, 0);
}

static int64_t balance(struct db *db, enum book book, enum ledger_kind kind, int64_t id, const char *region)
{
	struct ledger_owner o = { kind, id, region };
	int64_t b;

	assert_int_equal(ledger_balance(db, book, &o, &b), 0);
	return b;
}

static bool has_error(const struct field_errors *e, const char *field, const char *code)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->items[i].field, field) && !strcmp(e->items[i].code, code))
			return true;
	return false;
}

/* The member's standing this half-year: what they earned. */
static struct standing earned(struct testdb *t)
{
	char day[11], half[PERIOD_LEN], year[PERIOD_LEN];
	struct standing s;

	clock_date(clock_now() - 86400, day);
	period_of(day, half, year);
	assert_int_equal(standing_get(t->db, t->member, half, &s), STANDING_OK);
	return s;
}

static int give(struct testdb *t, const char *phone, const char *name, int64_t minutes, struct field_errors *errs)
{
	struct gift_input in = { phone, name, minutes, "给张阿姨" };
	int64_t id;

	memset(errs, 0, sizeof(*errs));
	return timebank_give(t->db, &chen, t->member, &in, errs, &id);
}

static void gifts_are_zero_sum_and_never_below_zero(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs;
	struct timebank_balances b;
	struct gift *g;
	size_t n;
	int64_t movements;

	served(t, 0, 90);
	assert_int_equal(give(t, "13800000006", "张阿姨", 30, &errs), TIMEBANK_OK);
	assert_int_equal(balance(t->db, BOOK_HOURS, KIND_MEMBER, t->member, NULL), 60);
	assert_int_equal(balance(t->db, BOOK_HOURS, KIND_PERSON, 8, NULL), 30);
	/* Nothing made or lost: the community issued 90, the member and 张阿姨 hold 90 between them. */
	assert_int_equal(scalar(t->db, "SELECT sum(balance) FROM ledger_account WHERE book = 'hours'"), 0);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement WHERE source = 'gift' AND member_id IS NULL"), 1);
	sound(t->db);
	/* More than the balance is refused, and nothing moves. */
	movements = scalar(t->db, "SELECT count(*) FROM ledger_movement");
	assert_int_equal(give(t, "13800000006", "张阿姨", 61, &errs), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "minutes", "too_large"));
	assert_int_equal(give(t, "13800000006", "张阿姨", 0, &errs), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "minutes", "too_small"));
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM ledger_movement"), movements);
	/* The whole balance may go, to zero and not past it. */
	assert_int_equal(give(t, "13800000006", "张阿姨", 60, &errs), TIMEBANK_OK);
	assert_int_equal(balance(t->db, BOOK_HOURS, KIND_MEMBER, t->member, NULL), 0);
	assert_int_equal(give(t, "13800000006", "张阿姨", 1, &errs), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "minutes", "too_large"));
	assert_int_equal(balance(t->db, BOOK_HOURS, KIND_PERSON, 8, NULL), 90);
	sound(t->db);
	/* Gifts move no standing: the member earned 90 minutes, and still has. */
	assert_int_equal(earned(t).minutes, 90);
	/* 张阿姨 sees what she received; the member what they gave, newest first. */
	assert_int_equal(timebank_balances(t->db, 8, &b), TIMEBANK_OK);
	assert_int_equal(b.member_id, 0);
	assert_int_equal(b.received_minutes, 90);
	assert_int_equal(timebank_gifts(t->db, 8, 0, 0, 10, &g, &n), TIMEBANK_OK);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].minutes, 60);
	assert_false(g[0].given);
	assert_string_equal(g[0].from_name, "陈建国");
	free(g);
	assert_int_equal(timebank_gifts(t->db, 7, t->member, 0, 1, &g, &n), TIMEBANK_OK);
	assert_int_equal(n, 1);
	assert_true(g[0].given);
	assert_string_equal(g[0].to_phone, "138****0006");
	free(g);
}

static void a_gift_finds_its_recipient_by_phone_and_name_and_never_the_giver(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs, other;

	served(t, 0, 60);
	/* The member's own account: refused. */
	assert_int_equal(give(t, "13800001011", "陈建国", 10, &errs), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "phone", "self"));
	/* A known phone with another name and an unknown phone get one answer, word for word. */
	assert_int_equal(give(t, "13800000006", "张阿婆", 10, &errs), TIMEBANK_INVALID);
	assert_int_equal(give(t, "13900000000", "张阿姨", 10, &other), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "phone", "not_found"));
	assert_int_equal(errs.n, 1);
	assert_int_equal(other.n, 1);
	assert_string_equal(errs.items[0].code, other.items[0].code);
	assert_string_equal(errs.items[0].message, other.items[0].message);
	/* Staff are neither residents nor members: not a recipient. */
	assert_int_equal(give(t, "13800000003", "李社工", 10, &errs), TIMEBANK_INVALID);
	assert_true(has_error(&errs, "phone", "not_found"));
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM gift"), 0);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log WHERE action = 'gift.create'"), 0);
	sound(t->db);
}

static int64_t shelf_item(struct testdb *t, const char *community, const char *name, int64_t price, int64_t stock,
			  int64_t limit)
{
	struct shelf_input in = { community, name, "", price, stock, limit };
	struct field_errors errs = { 0 };
	int64_t id;

	assert_int_equal(shelf_item_create(t->db, &staff, &in, &errs, &id), SHELF_OK);
	return id;
}

static int64_t stock_of(struct db *db, int64_t item)
{
	char sql[80];

	snprintf(sql, sizeof(sql), "SELECT stock FROM shelf_item WHERE id = %lld", (long long)item);
	return scalar(db, sql);
}

static void a_redemption_spends_points_never_hours_and_the_last_one_goes_once(void **state)
{
	struct testdb *t = *state;
	struct field_errors errs = { 0 };
	struct shelf_input dup = { TESTDB_COMMUNITY, "大米 5kg", "", 1, 1, 0 };
	int64_t rice, id, other, points;

	served(t, 0, 600); /* 10 points, 600 minutes */
	rice = shelf_item(t, TESTDB_COMMUNITY, "大米 5kg", 4, 1, 0);
	assert_int_equal(shelf_item_create(t->db, &staff, &dup, &errs, &id), SHELF_INVALID);
	assert_true(has_error(&errs, "name", "taken"));
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, rice, &id), SHELF_OK);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), 6);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_SHELF, 0, TESTDB_COMMUNITY), 4);
	assert_int_equal(balance(t->db, BOOK_HOURS, KIND_MEMBER, t->member, NULL), 600);
	assert_int_equal(stock_of(t->db, rice), 0);
	/* The ranking counts what was earned: 10 points still. */
	assert_int_equal(earned(t).points, 10);
	sound(t->db);
	/* The last one is gone: refused, nothing spent. */
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, rice, &other), SHELF_OUT_OF_STOCK);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), 6);
	assert_int_equal(stock_of(t->db, rice), 0);
	/* More than the points held, another community's shelf, an item off the shelf: refused. */
	points = shelf_item(t, TESTDB_COMMUNITY, "食用油", 7, 5, 0);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, points, &other), SHELF_POINTS);
	assert_int_equal(stock_of(t->db, points), 5);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, shelf_item(t, FEIE, "洗衣液", 1, 5, 0), &other),
			 SHELF_NOT_MEMBER);
	assert_int_equal(shelf_item_retire(t->db, &staff, points), SHELF_OK);
	assert_int_equal(shelf_item_retire(t->db, &staff, points), SHELF_RETIRED);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, points, &other), SHELF_RETIRED);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, 9999, &other), SHELF_NOT_FOUND);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM redemption"), 1);
	sound(t->db);
}

static void a_monthly_limit_counts_what_was_not_cancelled(void **state)
{
	struct testdb *t = *state;
	int64_t oil, first, second;

	served(t, 0, 600); /* 10 points */
	oil = shelf_item(t, TESTDB_COMMUNITY, "食用油", 2, 5, 1);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, oil, &first), SHELF_OK);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, oil, &second), SHELF_LIMIT);
	assert_int_equal(stock_of(t->db, oil), 4);
	/* Cancelled, it no longer counts: the member may redeem it again this month. */
	assert_int_equal(redemption_cancel(t->db, &chen, first, true, ""), SHELF_OK);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, oil, &second), SHELF_OK);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), 8);
	sound(t->db);
}

static void a_cancellation_reverses_the_movement_and_puts_the_item_back(void **state)
{
	struct testdb *t = *state;
	const struct actor staffer = { 9, "test" };
	struct redemption d;
	int64_t soap, id, handed;

	served(t, 0, 600); /* 10 points */
	soap = shelf_item(t, TESTDB_COMMUNITY, "洗衣液", 3, 2, 0);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, soap, &id), SHELF_OK);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), 7);
	/* Staff never hand over their own; the member's own account is refused as staff. */
	assert_int_equal(redemption_hand_over(t->db, &chen, id), SHELF_OWN);
	assert_int_equal(redemption_cancel(t->db, &chen, id, false, "本人代办"), SHELF_OWN);
	assert_int_equal(redemption_cancel(t->db, &staffer, id, false, "物品受潮，无法发放"), SHELF_OK);
	assert_int_equal(redemption_get(t->db, id, &d), SHELF_OK);
	assert_string_equal(d.state, "cancelled");
	assert_string_equal(d.cancel_reason, "物品受潮，无法发放");
	assert_string_equal(d.cancelled_by, "李社工");
	assert_false(d.cancelled_by_member);
	/* The points came back by a correction naming the redemption's movement; the shelf holds none of them. */
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), 10);
	assert_int_equal(balance(t->db, BOOK_POINTS, KIND_SHELF, 0, TESTDB_COMMUNITY), 0);
	assert_int_equal(scalar(t->db, "SELECT corrects_id FROM ledger_movement WHERE source = 'correction'"), d.movement_id);
	assert_int_equal(d.cancel_movement_id, scalar(t->db, "SELECT id FROM ledger_movement WHERE source = 'correction'"));
	assert_int_equal(stock_of(t->db, soap), 2);
	assert_int_equal(earned(t).points, 10);
	sound(t->db);
	/* Once decided, never again: cancelled stays cancelled, handed over stays handed over. */
	assert_int_equal(redemption_cancel(t->db, &chen, id, true, ""), SHELF_BAD_STATE);
	assert_int_equal(redemption_hand_over(t->db, &staffer, id), SHELF_BAD_STATE);
	assert_int_equal(shelf_redeem(t->db, &chen, t->member, soap, &handed), SHELF_OK);
	assert_int_equal(redemption_hand_over(t->db, &staffer, handed), SHELF_OK);
	assert_int_equal(redemption_cancel(t->db, &chen, handed, true, ""), SHELF_BAD_STATE);
	assert_int_equal(redemption_get(t->db, handed, &d), SHELF_OK);
	assert_string_equal(d.state, "handed_over");
	assert_string_equal(d.handed_over_by, "李社工");
	assert_int_equal(stock_of(t->db, soap), 1);
	assert_int_equal(scalar(t->db, "SELECT count(*) FROM audit_log WHERE action LIKE 'redemption.%'"), 4);
	/* The member's history shows the spending and the refund beside what was earned. */
	{
		struct ledger_line *l;
		size_t n;

		assert_int_equal(ledger_history(t->db, BOOK_POINTS, t->member, 0, 10, &l, &n), 0);
		assert_int_equal(n, 4);
		assert_string_equal(l[0].source, "redemption");
		assert_int_equal(l[0].amount, -3);
		assert_string_equal(l[0].note, "兑换：洗衣液");
		assert_string_equal(l[1].source, "correction");
		assert_int_equal(l[1].amount, 3);
		assert_string_equal(l[3].source, "record");
		free(l);
	}
	sound(t->db);
}

/* The model of what the shelf and the banks should hold, against which a random run is checked. */
struct model {
	int64_t points, minutes, received, shelf; /* balances */
	int64_t stock[3], used[3], price[3], limit[3], ids[3];
	int64_t awaiting[400], nawaiting, item_of[400];
};

static uint32_t next_random(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* What a redemption of item i should answer, by the rules in their order. */
static int expected(const struct model *m, int i)
{
	if (!m->stock[i])
		return SHELF_OUT_OF_STOCK;
	if (m->limit[i] && m->used[i] >= m->limit[i])
		return SHELF_LIMIT;
	return m->points < m->price[i] ? SHELF_POINTS : SHELF_OK;
}

/*
 * 300 random steps (fixed seed) of services, gifts (some beyond the balance), redemptions of three items (each
 * of the four answers comes up: taken, out of stock, monthly limit, short of points), cancellations and
 * handovers: after each step every balance and stock is the model's, none below zero; the ledger is sound.
 */
static void random_operations_keep_the_books(void **state)
{
	struct testdb *t = *state;
	struct model m = { .price = { 2, 8, 12 }, .stock = { 25, 5, 4 }, .limit = { 0, 2, 0 } };
	struct field_errors errs;
	uint32_t x = 2463534242u;
	int64_t earns = 0, id, earned_points;

	for (int i = 0; i < 3; i++) {
		char name[24];

		snprintf(name, sizeof(name), "物品%d", i);
		m.ids[i] = shelf_item(t, TESTDB_COMMUNITY, name, m.price[i], m.stock[i], m.limit[i]);
	}
	for (int step = 0; step < 300; step++) {
		uint32_t r = next_random(&x);

		switch (r % 6) {
		case 0: /* four services a day, two hours apart, each up to two hours: no overlap, within the daily cap */
			served_on(t, 1 + earns / 4, (earns % 4) * 120, 30 + (int64_t)(r >> 8) % 91);
			earns++;
			m.points = balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL);
			m.minutes = balance(t->db, BOOK_HOURS, KIND_MEMBER, t->member, NULL);
			break;
		case 2: { /* a gift of up to ten minutes more than there is */
			int64_t want = 1 + (int64_t)(r >> 8) % (m.minutes + 10);
			int rc = give(t, "13800000006", "张阿姨", want, &errs);

			assert_int_equal(rc, want <= m.minutes ? TIMEBANK_OK : TIMEBANK_INVALID);
			if (rc == TIMEBANK_OK) {
				m.minutes -= want;
				m.received += want;
			}
			break;
		}
		case 1:
		case 3: { /* a redemption, answered as the rules say */
			int i = (int)((r >> 8) % 3), rc = shelf_redeem(t->db, &chen, t->member, m.ids[i], &id);

			assert_int_equal(rc, expected(&m, i));
			if (rc == SHELF_OK) {
				m.stock[i]--, m.used[i]++, m.points -= m.price[i], m.shelf += m.price[i];
				m.item_of[m.nawaiting] = i;
				m.awaiting[m.nawaiting++] = id;
			}
			break;
		}
		default: { /* one waiting is cancelled by the member (4) or handed over (5) */
			int64_t k = m.nawaiting ? (int64_t)(r >> 8) % m.nawaiting : -1;
			int i;

			if (k < 0)
				break;
			i = (int)m.item_of[k];
			if (r % 6 == 4) {
				assert_int_equal(redemption_cancel(t->db, &chen, m.awaiting[k], true, ""), SHELF_OK);
				m.stock[i]++, m.used[i]--, m.points += m.price[i], m.shelf -= m.price[i];
			} else {
				assert_int_equal(redemption_hand_over(t->db, &staff, m.awaiting[k]), SHELF_OK);
			}
			m.item_of[k] = m.item_of[m.nawaiting - 1];
			m.awaiting[k] = m.awaiting[--m.nawaiting];
		}
		}
		/* Every balance is the model's, none below zero, and every stock. */
		assert_int_equal(balance(t->db, BOOK_POINTS, KIND_MEMBER, t->member, NULL), m.points);
		assert_int_equal(balance(t->db, BOOK_HOURS, KIND_MEMBER, t->member, NULL), m.minutes);
		assert_int_equal(balance(t->db, BOOK_HOURS, KIND_PERSON, 8, NULL), m.received);
		assert_int_equal(balance(t->db, BOOK_POINTS, KIND_SHELF, 0, TESTDB_COMMUNITY), m.shelf);
		assert_true(m.points >= 0 && m.minutes >= 0);
		for (int i = 0; i < 3; i++)
			assert_int_equal(stock_of(t->db, m.ids[i]), m.stock[i]);
		if (step % 50 == 49)
			sound(t->db);
	}
	sound(t->db);
	/* The standings hold what was earned: every point the records moved, none of what was spent. */
	earned_points = scalar(t->db, "SELECT COALESCE(sum(points), 0) FROM standing WHERE period LIKE '%H%'");
	assert_int_equal(earned_points, m.points + m.shelf);
	assert_true(scalar(t->db, "SELECT count(*) FROM redemption") > 0);
	assert_true(scalar(t->db, "SELECT count(*) FROM gift") > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(gifts_are_zero_sum_and_never_below_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(a_gift_finds_its_recipient_by_phone_and_name_and_never_the_giver, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_redemption_spends_points_never_hours_and_the_last_one_goes_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_monthly_limit_counts_what_was_not_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(a_cancellation_reverses_the_movement_and_puts_the_item_back, setup, teardown),
		cmocka_unit_test_setup_teardown(random_operations_keep_the_books, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
