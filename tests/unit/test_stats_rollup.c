/* test_stats_rollup.c: the monthly rollup against a brute-force recount of random data, and the month arithmetic */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/stats_rollup.h"
#include "testdb.h"

/* The tree: the test community's street gets a sister; a second district holds a community right under it. */
#define STREET_B "440111003000"
#define COMM_B1 "440111003001"
#define COMM_B2 "440111003002"
#define DISTRICT_C "440112000000"
#define COMM_C "440112000001"
#define CITY "440100000000"

static const char *const communities[] = { TESTDB_COMMUNITY, COMM_B1, COMM_B2, COMM_C };
enum { NCOMM = 4, NMEMBERS = 30, NUNITS = 3, NMONTHS = 5 };

/* The months counted: 2026-08 … 2026-12 ("now" is in December). */
static const char *const months[NMONTHS] = { "2026-08", "2026-09", "2026-10", "2026-11", "2026-12" };

struct expect {
	int64_t v[NCOMM][NMONTHS][STATS_METRICS];
	int64_t unit[NUNITS][NMONTHS][STATS_METRICS];
	bool active[NMEMBERS][NMONTHS]; /* a member counted active that month */
};

static uint64_t rnd_state;
static int64_t rnd(int64_t n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int64_t)((rnd_state >> 33) % (uint64_t)n);
}

static void run(struct db *db, const char *sql)
{
	if (db_run(db, sql) != DB_OK) {
		fprintf(stderr, "failed: %s\n", sql);
		assert(0);
	}
}

static void runf(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void runf(struct db *db, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	run(db, sql);
}

/* A moment in month k (of months[], or k = -1 for July, outside the span), anywhere in it, China time. */
static int64_t moment(int k)
{
	char m[STATS_MONTH_BYTES];

	stats_month_add(months[0], k, m);
	int64_t a = stats_month_start(m), b;

	stats_month_next(m, m);
	b = stats_month_start(m);
	/* The first and last second of a month are chosen often: the edges are where months go wrong. */
	switch (rnd(4)) {
	case 0: return a;
	case 1: return b - 1;
	default: return a + rnd(b - a);
	}
}

static int month_of(int64_t t)
{
	char m[STATS_MONTH_BYTES];

	stats_month_of(t, m);
	for (int k = 0; k < NMONTHS; k++)
		if (!strcmp(m, months[k]))
			return k;
	return -1;
}

static void tree(struct db *db)
{
	run(db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) VALUES "
		"('" STREET_B "', '440111000000', 'street', '乙街道', '乙街道', '/" CITY "/440111000000/" STREET_B "/', 0), "
		"('" COMM_B1 "', '" STREET_B "', 'community', '乙一社区', '乙一社区', '/" CITY "/440111000000/" STREET_B
		"/" COMM_B1 "/', 0), "
		"('" COMM_B2 "', '" STREET_B "', 'community', '乙二社区', '乙二社区', '/" CITY "/440111000000/" STREET_B
		"/" COMM_B2 "/', 0), "
		"('" DISTRICT_C "', '" CITY "', 'district', '丙区', '丙区', '/" CITY "/" DISTRICT_C "/', 0), "
		"('" COMM_C "', '" DISTRICT_C "', 'community', '丙社区', '丙社区', '/" CITY "/" DISTRICT_C "/" COMM_C
		"/', 0)");
	run(db, "INSERT INTO catalog_item (id, category, code, name, created_at) VALUES (9001, 'welfare', 'T99', '测试', 0)");
	for (int u = 0; u < NUNITS; u++)
		runf(db, "INSERT INTO unit (id, name, party_org_name, type, region_code, created_at, updated_at) "
			 "VALUES (%d, '单位%d', '支部', 'organ', '440111000000', 0, 0)", 100 + u, u);
}

/* Members 1000+i: living in community i % NCOMM (the last few nowhere), of unit i % (NUNITS + 1) (the last: none). */
static int member_comm(int i) { return i >= NMEMBERS - 2 ? -1 : i % NCOMM; }
static int member_unit(int i) { return i % (NUNITS + 1) == NUNITS ? -1 : i % (NUNITS + 1); }

static void members(struct db *db)
{
	for (int i = 0; i < NMEMBERS; i++) {
		int c = member_comm(i), u = member_unit(i);
		char comm[32], unit[16];

		snprintf(comm, sizeof(comm), c < 0 ? "NULL" : "'%s'", c < 0 ? "" : communities[c]);
		snprintf(unit, sizeof(unit), u < 0 ? "NULL" : "%d", 100 + u);
		runf(db, "INSERT INTO member (id, name, gender, birth_date, phone, id_number_sealed, id_number_hash, "
			 "id_number_masked, unit_id, community_code, state, created_at, updated_at) VALUES (%d, '党员%d', "
			 "'M', '1980-01-01', '1380000%04d', 's', 'h%d', 'm', %s, %s, 'approved', 0, 0)",
		     1000 + i, i, i, i, unit, comm);
	}
}

static void records(struct db *db, struct expect *e, int n)
{
	static const char *const states[] = { "confirmed", "confirmed", "confirmed", "pending", "rejected", "withdrawn" };

	for (int r = 0; r < n; r++) {
		int i = (int)rnd(NMEMBERS), c = (int)rnd(NCOMM), k = (int)rnd(NMONTHS + 1) - 1;
		const char *state = states[rnd(6)];
		bool correction = r > 0 && rnd(8) == 0;
		int64_t at = moment(k), minutes = correction ? rnd(61) - 30 : 1 + rnd(240);
		int mk = month_of(at);

		runf(db, "INSERT INTO record (id, member_id, community_code, item_id, source, corrects_id, started_at, "
			 "minutes, state, created_at) VALUES (%d, %d, '%s', 9001, '%s', %s, %lld, %lld, '%s', 0)",
		     r + 1, 1000 + i, communities[c], correction ? "correction" : "staff", correction ? "1" : "NULL",
		     (long long)at, (long long)minutes, state);
		if (mk < 0 || strcmp(state, "confirmed"))
			continue;
		e->v[c][mk][STATS_SERVICES] += !correction;
		e->v[c][mk][STATS_MINUTES] += minutes;
		if (member_unit(i) >= 0) {
			e->unit[member_unit(i)][mk][STATS_SERVICES] += !correction;
			e->unit[member_unit(i)][mk][STATS_MINUTES] += minutes;
		}
		if (!correction)
			e->active[i][mk] = true;
	}
	for (int i = 0; i < NMEMBERS; i++)
		for (int k = 0; k < NMONTHS; k++)
			if (e->active[i][k]) {
				if (member_comm(i) >= 0)
					e->v[member_comm(i)][k][STATS_ACTIVE]++;
				if (member_unit(i) >= 0)
					e->unit[member_unit(i)][k][STATS_ACTIVE]++;
			}
}

static void points(struct db *db, struct expect *e)
{
	for (int i = 0; i < NMEMBERS; i++)
		for (int d = 0; d < 12; d++) {
			char day[11];
			int64_t p = 1 + rnd(20), at = moment((int)rnd(NMONTHS + 1) - 1);
			int k;

			char sql[256];

			clock_date(at, day);

			snprintf(sql, sizeof(sql), "INSERT INTO earning_day (member_id, day, points) VALUES (%d, '%s', %lld)",
				 1000 + i, day, (long long)p);
			if (db_run(db, sql) == DB_UNIQUE)
				continue; /* that day was drawn twice */
			if ((k = month_of(at)) < 0)
				continue;
			if (member_comm(i) >= 0)
				e->v[member_comm(i)][k][STATS_POINTS] += p;
			if (member_unit(i) >= 0)
				e->unit[member_unit(i)][k][STATS_POINTS] += p;
		}
}

static void activities(struct db *db, struct expect *e)
{
	static const char *const states[] = { "published", "closed", "draft", "cancelled" };
	int signup = 1;

	for (int a = 1; a <= 20; a++) {
		int c = (int)rnd(NCOMM), k;
		const char *state = states[rnd(4)];
		int64_t at = moment((int)rnd(NMONTHS + 1) - 1);
		bool held = !strcmp(state, "published") || !strcmp(state, "closed");

		runf(db, "INSERT INTO activity (id, community_code, organiser, item_id, title, place, starts_at, ends_at, "
			 "signup_deadline, capacity, audience, minutes_cap, state, created_at, updated_at) VALUES (%d, '%s', "
			 "'community', 9001, '活动', '某处', %lld, %lld, %lld, 50, 'community', 120, '%s', 0, 0)",
		     a, communities[c], (long long)at, (long long)at + 3600, (long long)at, state);
		k = month_of(at);
		if (held && k >= 0)
			e->v[c][k][STATS_ACTIVITIES]++;
		for (int s = 0, n = (int)rnd(6); s < n; s++, signup++) {
			bool cancelled = rnd(5) == 0, in = rnd(2);

			runf(db, "INSERT INTO signup (id, activity_id, member_id, state, seq, checkin_at, created_at, "
				 "updated_at) VALUES (%d, %d, %d, '%s', %d, %s, 0, 0)",
			     signup, a, 1000 + s, cancelled ? "cancelled" : "signed", s, in ? "1" : "NULL");
			if (held && k >= 0 && !cancelled) {
				e->v[c][k][STATS_SIGNUPS]++;
				e->v[c][k][STATS_ATTENDED] += in;
			}
		}
	}
}

static void needs_and_wishes(struct db *db, struct expect *e)
{
	static const char *const need_states[] = { "done", "closed", "in_progress", "taken" };

	for (int i = 1; i <= 25; i++) {
		int c = (int)rnd(NCOMM), k;
		const char *state = need_states[rnd(4)];
		bool done = !strcmp(state, "done") || !strcmp(state, "closed");
		int64_t at = moment((int)rnd(NMONTHS + 1) - 1);
		char done_at[24];

		snprintf(done_at, sizeof(done_at), done ? "%lld" : "NULL", (long long)at);
		runf(db, "INSERT INTO need (id, community_code, item_id, description, urgency, contact_name, contact_phone, "
			 "channel, state, expires_at, done_at, created_at, updated_at) VALUES (%d, '%s', 9001, '求助', "
			 "'normal', '王', '13800000000', 'phone', '%s', 0, %s, 0, 0)",
		     i, communities[c], state, done_at);
		if (done && (k = month_of(at)) >= 0)
			e->v[c][k][STATS_NEEDS_DONE]++;
	}
	for (int i = 1; i <= 25; i++) {
		int c = (int)rnd(NCOMM), k;
		bool confirmed = rnd(2);
		int64_t at = moment((int)rnd(NMONTHS + 1) - 1);
		char confirmed_at[24];

		snprintf(confirmed_at, sizeof(confirmed_at), confirmed ? "%lld" : "NULL", (long long)at);
		runf(db, "INSERT INTO wish (id, community_code, beneficiary_name, consent, title, state, confirmed_at, "
			 "created_at, updated_at) VALUES (%d, '%s', '李', 1, '心愿', '%s', %s, 0, 0)",
		     i, communities[c], confirmed ? "closed" : "published", confirmed_at);
		if (confirmed && (k = month_of(at)) >= 0)
			e->v[c][k][STATS_WISHES_DONE]++;
	}
}

/* A region's expected row: the sum of the communities under it. */
static void expected_of(const struct expect *e, const char *code, int k, int64_t out[STATS_METRICS])
{
	static const char *const parent_of[NCOMM][3] = { { "440111002000", "440111000000", CITY },
							 { STREET_B, "440111000000", CITY },
							 { STREET_B, "440111000000", CITY },
							 { DISTRICT_C, CITY, NULL } };

	memset(out, 0, sizeof(int64_t) * STATS_METRICS);
	for (int c = 0; c < NCOMM; c++) {
		bool under = !strcmp(code, communities[c]);

		for (int l = 0; l < 3 && !under; l++)
			under = parent_of[c][l] && !strcmp(code, parent_of[c][l]);
		for (int m = 0; under && m < STATS_METRICS; m++)
			out[m] += e->v[c][k][m];
	}
}

static void check_regions(struct db *db, const struct expect *e)
{
	static const char *const codes[] = { TESTDB_COMMUNITY, COMM_B1, COMM_B2, COMM_C, "440111002000", STREET_B,
					     "440111000000", DISTRICT_C, CITY };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct stats_month_row *rows;
		size_t n;
		int64_t want[STATS_METRICS];

		assert(stats_region_months(db, codes[i], months[0], months[NMONTHS - 1], &rows, &n) == 0);
		assert(n == NMONTHS);
		for (int k = 0; k < NMONTHS; k++) {
			expected_of(e, codes[i], k, want);
			assert(!strcmp(rows[k].month, months[k]));
			for (int m = 0; m < STATS_METRICS; m++)
				if (rows[k].v[m] != want[m]) {
					fprintf(stderr, "%s %s %s: %lld, want %lld\n", codes[i], months[k], stats_metrics[m],
						(long long)rows[k].v[m], (long long)want[m]);
					assert(0);
				}
		}
		free(rows);
	}
	for (int u = 0; u < NUNITS; u++) {
		struct stats_month_row *rows;
		size_t n;

		assert(stats_unit_months(db, 100 + u, months[0], months[NMONTHS - 1], &rows, &n) == 0 && n == NMONTHS);
		for (int k = 0; k < NMONTHS; k++)
			for (int m = 0; m < STATS_METRICS; m++)
				assert(rows[k].v[m] == (m < STATS_UNIT_METRICS ? e->unit[u][k][m] : 0));
		free(rows);
	}
}

/* The street's children over the whole span: sums, but the active members of the last month. */
static void check_children(struct db *db, const struct expect *e)
{
	struct stats_child_row *rows;
	size_t n;
	int64_t want[STATS_METRICS], one[STATS_METRICS];

	assert(stats_children_months(db, "440111000000", months[0], months[NMONTHS - 1], &rows, &n) == 0);
	assert(n == 2 && !strcmp(rows[0].region.code, "440111002000") && !strcmp(rows[1].region.code, STREET_B));
	assert(!strcmp(rows[1].region.name, "乙街道") && !strcmp(rows[1].region.level, "street"));
	memset(want, 0, sizeof(want));
	for (int k = 0; k < NMONTHS; k++) {
		expected_of(e, STREET_B, k, one);
		for (int m = 0; m < STATS_METRICS; m++)
			want[m] += m == STATS_ACTIVE ? (k == NMONTHS - 1 ? one[m] : 0) : one[m];
	}
	for (int m = 0; m < STATS_METRICS; m++)
		assert(rows[1].v[m] == want[m]);
	free(rows);
}

static void brute_force(uint64_t seed)
{
	struct testdb t;
	struct stats_rollup_result res;
	static struct expect e;
	int64_t now = stats_month_start("2026-12") + 5 * 86400, ran;

	memset(&e, 0, sizeof(e));
	rnd_state = seed;
	assert(testdb_open(&t, "stats") == 0);
	tree(t.db);
	members(t.db);
	records(t.db, &e, 400);
	points(t.db, &e);
	activities(t.db, &e);
	needs_and_wishes(t.db, &e);

	assert(stats_last_run(t.db, &ran) == 0 && ran == 0);
	assert(stats_rollup(t.db, months[0], now, &res) == 0);
	assert(res.months == NMONTHS && res.communities > 0);
	assert(stats_last_run(t.db, &ran) == 0 && ran == now);
	check_regions(t.db, &e);
	check_children(t.db, &e);

	/* Again, over the last two months only: the same rows, the earlier months untouched. */
	assert(stats_rollup(t.db, months[NMONTHS - 2], now + 60, &res) == 0 && res.months == 2);
	check_regions(t.db, &e);
	assert(stats_last_run(t.db, &ran) == 0 && ran == now + 60);

	/* The records go: the rows stay as they were until the next run, which takes them away. */
	run(t.db, "DELETE FROM record WHERE corrects_id IS NOT NULL");
	run(t.db, "DELETE FROM record");
	check_regions(t.db, &e);
	assert(stats_rollup(t.db, months[0], now + 120, &res) == 0);
	for (int c = 0; c < NCOMM; c++)
		for (int k = 0; k < NMONTHS; k++)
			e.v[c][k][STATS_SERVICES] = e.v[c][k][STATS_MINUTES] = e.v[c][k][STATS_ACTIVE] = 0;
	for (int u = 0; u < NUNITS; u++)
		for (int k = 0; k < NMONTHS; k++)
			e.unit[u][k][STATS_SERVICES] = e.unit[u][k][STATS_MINUTES] = e.unit[u][k][STATS_ACTIVE] = 0;
	check_regions(t.db, &e);
	assert(testdb_close(&t) == 0);
}

static void month_arithmetic(void)
{
	char m[STATS_MONTH_BYTES];

	assert(stats_month_valid("2026-01") && stats_month_valid("2026-12"));
	assert(!stats_month_valid("2026-13") && !stats_month_valid("2026-00") && !stats_month_valid("2026-1") &&
	       !stats_month_valid("2026/01") && !stats_month_valid("20260-1") && !stats_month_valid("") &&
	       !stats_month_valid(NULL) && !stats_month_valid("2026-011") && !stats_month_valid("1999-12"));
	/* 2026-01-01 00:00 in China is 2025-12-31 16:00 UTC. */
	assert(stats_month_start("2026-01") == 1767196800);
	stats_month_of(1767196800, m);
	assert(!strcmp(m, "2026-01"));
	stats_month_of(1767196799, m);
	assert(!strcmp(m, "2025-12"));
	stats_month_next("2025-12", m);
	assert(!strcmp(m, "2026-01"));
	stats_month_add("2026-03", -14, m);
	assert(!strcmp(m, "2025-01"));
	assert(stats_month_start("2024-03") - stats_month_start("2024-02") == 29 * 86400); /* a leap year */
	assert(stats_month_start("2026-03") - stats_month_start("2026-02") == 28 * 86400);
	assert(stats_month_span("2025-11", "2026-02") == 4 && stats_month_span("2026-02", "2026-02") == 1 &&
	       stats_month_span("2026-03", "2026-02") == 0);
}

int main(void)
{
	month_arithmetic();
	for (uint64_t seed = 1; seed <= 3; seed++)
		brute_force(seed * 7919);
	puts("test_stats_rollup: ok");
	return 0;
}
