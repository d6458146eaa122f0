/* standing.c: standings kept as movements land, tiers set under the rule, ranks counted on the ranking indexes */
#include "domain/standing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

const char *const rank_levels[] = { "community", "street", "district", "city", NULL };
/* The standing column of each level: a ranking walks its index. */
static const char *const level_columns[] = { "community_code", "street_code", "district_code", "city_code" };

void period_of(const char *day, char half[PERIOD_LEN], char year[PERIOD_LEN])
{
	snprintf(year, PERIOD_LEN, "%.4s", day);
	snprintf(half, PERIOD_LEN, "%.4sH%c", day, strncmp(day + 5, "07", 2) < 0 ? '1' : '2');
}

bool period_valid(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < 4; i++)
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
	if (s[0] < '1' || s[0] > '2')
		return false;
	return n == 4 || (n == 6 && s[4] == 'H' && (s[5] == '1' || s[5] == '2'));
}

void period_bounds(const char *period, char first[11], char last[11])
{
	bool half = strlen(period) == 6;

	snprintf(first, 11, "%.4s-%s", period, half && period[5] == '2' ? "07-01" : "01-01");
	snprintf(last, 11, "%.4s-%s", period, half && period[5] == '1' ? "06-30" : "12-31");
}

/* The codes on path "/city/district/street/community/", city first: 0, or -1 when it holds fewer than four. */
static int path_codes(const char *path, char codes[4][24])
{
	const char *p = path;

	for (int i = 0; i < 4; i++) {
		const char *end;

		if (*p != '/' || !(end = strchr(p + 1, '/')) || end - p - 1 <= 0 || end - p - 1 >= 24)
			return -1;
		memcpy(codes[i], p + 1, (size_t)(end - p - 1));
		codes[i][end - p - 1] = '\0';
		p = end;
	}
	return 0;
}

/* The tier points and services give in period under the rule in force at path on its last day. */
static int tier_for(struct db *db, struct rule_cache *rules, const char *path, const char *period,
		    int64_t points, int64_t services, enum tier *out)
{
	char first[11], last[11];
	struct rule r;

	period_bounds(period, first, last);
	if (rule_for_cached(db, rules, path, last, &r) != RULE_OK)
		return -1;
	*out = rule_tier(&r.t, points, services);
	return 0;
}

/* Moves the count of members holding tier in period at region by delta. */
static int count_write(struct db *db, const char *period, const char *region, const char *tier, int64_t delta)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO standing_count (period, region_code, tier, members) "
					    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (period, region_code, tier) "
					    "DO UPDATE SET members = standing_count.members + ?4");
	int rc;

	db_bind_text(st, 1, period);
	db_bind_text(st, 2, region);
	db_bind_text(st, 3, tier);
	db_bind_int(st, 4, delta);
	rc = db_step(st);
	db_done(st);
	return rc == DB_DONE ? STANDING_OK : STANDING_ERROR;
}

/* A count a batch will move: (period, region, tier) by delta (0 too: the row is made as one by one would). */
struct standing_delta {
	char period[PERIOD_LEN], region[24], tier[12];
	int64_t delta;
};

static void count_note(struct standing_batch *b, const char *period, const char *region, const char *tier,
		       int64_t delta)
{
	struct standing_delta *d;

	for (size_t i = 0; i < b->n; i++) {
		d = &b->deltas[i];
		if (!strcmp(d->region, region) && !strcmp(d->tier, tier) && !strcmp(d->period, period)) {
			d->delta += delta;
			return;
		}
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->deltas = xrealloc(b->deltas, b->cap * sizeof(*b->deltas));
	}
	d = &b->deltas[b->n++];
	str_copy(d->period, sizeof(d->period), period);
	str_copy(d->region, sizeof(d->region), region);
	str_copy(d->tier, sizeof(d->tier), tier);
	d->delta = delta;
}

/* Moves the count of members holding tier in period at each of the four regions by delta (in b: later). */
static int count_move(struct db *db, struct standing_batch *b, const char *period, char codes[4][24],
		      const char *tier, int64_t delta)
{
	for (int i = 0; i < 4; i++) {
		if (b)
			count_note(b, period, codes[i], tier, delta);
		else if (count_write(db, period, codes[i], tier, delta) != STANDING_OK)
			return STANDING_ERROR;
	}
	return STANDING_OK;
}


static int move_one(struct db *db, struct standing_batch *b, int64_t member_id, const char *path, char codes[4][24],
		    const char *period, int64_t points, int64_t minutes, int64_t services, bool tiered)
{
	struct db_stmt *st = db_prepare(db, "SELECT community_code, street_code, district_code, city_code, points, "
					    "services, tier FROM standing WHERE period = ? AND member_id = ?");
	char was[4][24] = { "" }, old_tier[12] = "";
	int64_t total_points = points, total_services = services;
	bool existed, moved = false;
	enum tier tier = TIER_NONE;
	int rc;

	db_bind_text(st, 1, period);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	existed = rc == DB_ROW;
	if (existed) {
		for (int i = 0; i < 4; i++)
			str_copy(was[i], sizeof(was[i]), db_col_text(st, 3 - i));
		total_points += db_col_int(st, 4);
		total_services += db_col_int(st, 5);
		str_copy(old_tier, sizeof(old_tier), db_col_text(st, 6));
	}
	db_done(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return STANDING_ERROR;
	if (tiered && tier_for(db, b ? &b->rules : NULL, path, period, total_points, total_services, &tier) < 0)
		return STANDING_ERROR;
	st = db_prepare(db, "INSERT INTO standing (period, member_id, community_code, street_code, district_code, "
			    "city_code, points, minutes, services, tier, updated_at) "
			    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
			    "ON CONFLICT (period, member_id) DO UPDATE SET community_code = ?3, street_code = ?4, "
			    "district_code = ?5, city_code = ?6, points = standing.points + ?7, "
			    "minutes = standing.minutes + ?8, services = standing.services + ?9, tier = ?10, "
			    "updated_at = ?11");
	db_bind_text(st, 1, period);
	db_bind_int(st, 2, member_id);
	db_bind_text(st, 3, codes[3]);
	db_bind_text(st, 4, codes[2]);
	db_bind_text(st, 5, codes[1]);
	db_bind_text(st, 6, codes[0]);
	db_bind_int(st, 7, points);
	db_bind_int(st, 8, minutes);
	db_bind_int(st, 9, services);
	db_bind_text(st, 10, tier_names[tier]);
	db_bind_int(st, 11, clock_now());
	rc = db_step(st);
	db_done(st);
	if (rc != DB_DONE)
		return STANDING_ERROR;
	/* The counts move only when the member's tier or place did (a new standing counts once). */
	for (int i = 0; i < 4; i++)
		moved = moved || strcmp(was[i], codes[i]);
	if (existed && !moved && !strcmp(old_tier, tier_names[tier]))
		return STANDING_OK;
	if (existed && count_move(db, b, period, was, old_tier, -1) != STANDING_OK)
		return STANDING_ERROR;
	return count_move(db, b, period, codes, tier_names[tier], 1);
}

int standing_add(struct db *db, int64_t member_id, const char *community_path, const char *day, int64_t points,
		 int64_t minutes, int64_t services)
{
	return standing_add_in(db, NULL, member_id, community_path, day, points, minutes, services);
}

/* A move of a member's standing of a period a batch will make; merged: summed into an earlier one of the same. */
struct standing_move {
	char period[PERIOD_LEN], path[PATH_MAX_LEN];
	int64_t member_id, points, minutes, services;
	size_t seq;
	bool tiered, merged;
};

static void move_note(struct standing_batch *b, int64_t member_id, const char *path, const char *period,
		      int64_t points, int64_t minutes, int64_t services, bool tiered)
{
	struct standing_move *m;

	if (b->nmoves == b->capmoves) {
		b->capmoves = b->capmoves ? b->capmoves * 2 : 8;
		b->moves = xrealloc(b->moves, b->capmoves * sizeof(*b->moves));
	}
	m = &b->moves[b->nmoves];
	str_copy(m->period, sizeof(m->period), period);
	str_copy(m->path, sizeof(m->path), path);
	m->member_id = member_id;
	m->points = points;
	m->minutes = minutes;
	m->services = services;
	m->seq = b->nmoves++;
	m->tiered = tiered;
	m->merged = false;
}

int standing_add_in(struct db *db, struct standing_batch *b, int64_t member_id, const char *community_path,
		    const char *day, int64_t points, int64_t minutes, int64_t services)
{
	char codes[4][24], half[PERIOD_LEN], year[PERIOD_LEN];

	if (path_codes(community_path, codes) < 0)
		return STANDING_ERROR;
	period_of(day, half, year);
	if (b) {
		move_note(b, member_id, community_path, half, points, minutes, services, true);
		move_note(b, member_id, community_path, year, points, minutes, services, false);
		return STANDING_OK;
	}
	if (move_one(db, b, member_id, community_path, codes, half, points, minutes, services, true) != STANDING_OK)
		return STANDING_ERROR;
	return move_one(db, b, member_id, community_path, codes, year, points, minutes, services, false);
}

/* Member, then period, then the order they were noted in. */
static int move_order(const void *a, const void *b)
{
	const struct standing_move *x = *(const struct standing_move *const *)a, *y = *(const struct standing_move *const *)b;
	int c = x->member_id < y->member_id ? -1 : x->member_id > y->member_id;

	if (!c)
		c = strcmp(x->period, y->period);
	return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sums each member's moves of a period into the first of them, which takes the place of the last. */
static void moves_merge(struct standing_batch *b)
{
	struct standing_move **order = xcalloc(b->nmoves, sizeof(*order));

	for (size_t i = 0; i < b->nmoves; i++)
		order[i] = &b->moves[i];
	qsort(order, b->nmoves, sizeof(*order), move_order);
	for (size_t i = 0, j; i < b->nmoves; i = j) {
		struct standing_move *first = order[i];

		for (j = i + 1; j < b->nmoves && order[j]->member_id == first->member_id &&
				!strcmp(order[j]->period, first->period);
		     j++) {
			first->points += order[j]->points;
			first->minutes += order[j]->minutes;
			first->services += order[j]->services;
			str_copy(first->path, sizeof(first->path), order[j]->path);
			order[j]->merged = true;
		}
	}
	free(order);
}

int standing_batch_flush(struct db *db, struct standing_batch *b)
{
	int rc = STANDING_OK;

	moves_merge(b);
	/* In the order first noted: new standings are made in the order one by one makes them. */
	for (size_t i = 0; i < b->nmoves && rc == STANDING_OK; i++) {
		struct standing_move *m = &b->moves[i];
		char codes[4][24];

		if (m->merged)
			continue;
		rc = path_codes(m->path, codes) < 0 ? STANDING_ERROR
						    : move_one(db, b, m->member_id, m->path, codes, m->period, m->points,
							       m->minutes, m->services, m->tiered);
	}
	b->nmoves = 0;
	for (size_t i = 0; i < b->n && rc == STANDING_OK; i++)
		rc = count_write(db, b->deltas[i].period, b->deltas[i].region, b->deltas[i].tier, b->deltas[i].delta);
	b->n = 0;
	return rc;
}

void standing_batch_release(struct standing_batch *b)
{
	rule_cache_release(&b->rules);
	free(b->deltas);
	free(b->moves);
	b->deltas = NULL;
	b->moves = NULL;
	b->n = b->cap = b->nmoves = b->capmoves = 0;
}

/* Counts period's tiers again at every region, from its standings (after tiers moved in bulk). */
static int recount(struct db *db, const char *period)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM standing_count WHERE period = ?");
	int rc;

	db_bind_text(st, 1, period);
	rc = db_step(st);
	db_done(st);
	for (int l = 0; rc == DB_DONE && l < 4; l++) {
		char sql[256];

		snprintf(sql, sizeof(sql), "INSERT INTO standing_count (period, region_code, tier, members) SELECT period, "
			 "%s, tier, count(*) FROM standing WHERE period = ? GROUP BY period, %s, tier", level_columns[l],
			 level_columns[l]);
		st = db_prepare(db, sql);
		db_bind_text(st, 1, period);
		rc = db_step(st);
		db_done(st);
	}
	return rc == DB_DONE ? STANDING_OK : STANDING_ERROR;
}

int standing_retier(struct db *db, const char *path, const char *period, int64_t *changed)
{
	struct db_stmt *st = db_prepare(db, "SELECT code, path FROM region WHERE level = 'community' AND "
					    "substr(path, 1, length(?1)) = ?1 ORDER BY path");
	char first[11], last[11];
	struct region_brief *c = NULL;
	char (*paths)[PATH_MAX_LEN] = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*changed = 0;
	period_bounds(period, first, last);
	db_bind_text(st, 1, path);
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			c = xrealloc(c, cap * sizeof(*c));
			paths = xrealloc(paths, cap * sizeof(*paths));
		}
		str_copy(c[n].code, sizeof(c[n].code), db_col_text(st, 0));
		str_copy(paths[n], sizeof(paths[n]), db_col_text(st, 1));
		n++;
	}
	db_done(st);
	for (size_t i = 0; i < n && rc == DB_DONE; i++) {
		struct rule r;

		if (rule_for(db, paths[i], last, &r) != RULE_OK) {
			rc = DB_ERROR;
			break;
		}
		st = db_prepare(db, "UPDATE standing SET tier = CASE "
				    "WHEN points >= ?1 AND services >= ?2 THEN 'pioneer' "
				    "WHEN points >= ?3 AND services >= ?4 THEN 'excellent' "
				    "WHEN points >= ?5 AND services >= ?6 THEN 'qualified' ELSE '' END "
				    "WHERE period = ?7 AND community_code = ?8 AND tier <> CASE "
				    "WHEN points >= ?1 AND services >= ?2 THEN 'pioneer' "
				    "WHEN points >= ?3 AND services >= ?4 THEN 'excellent' "
				    "WHEN points >= ?5 AND services >= ?6 THEN 'qualified' ELSE '' END");
		for (int t = 2, k = 1; t >= 0; t--) {
			db_bind_int(st, k++, r.t.tier_points[t]);
			db_bind_int(st, k++, r.t.tier_services[t]);
		}
		db_bind_text(st, 7, period);
		db_bind_text(st, 8, c[i].code);
		rc = db_step(st);
		db_done(st);
		*changed += db_changes(db);
	}
	free(c);
	free(paths);
	if (rc != DB_DONE)
		return STANDING_ERROR;
	return *changed ? recount(db, period) : STANDING_OK;
}

static enum tier tier_parse(const char *s)
{
	for (int i = 1; tier_names[i]; i++)
		if (!strcmp(s, tier_names[i]))
			return (enum tier)i;
	return TIER_NONE;
}

#define STANDING_COLUMNS \
	"s.period, s.member_id, m.name, COALESCE(u.name, ''), s.community_code, s.street_code, s.district_code, " \
	"s.city_code, COALESCE(c.name, ''), s.points, s.minutes, s.services, s.tier " \
	"FROM standing s JOIN member m ON m.id = s.member_id LEFT JOIN unit u ON u.id = m.unit_id " \
	"LEFT JOIN region c ON c.code = s.community_code "

static void read_standing(struct db_stmt *st, struct standing *out)
{
	memset(out, 0, sizeof(*out));
	str_copy(out->period, sizeof(out->period), db_col_text(st, 0));
	out->member_id = db_col_int(st, 1);
	str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 2));
	str_copy(out->unit_name, sizeof(out->unit_name), db_col_text(st, 3));
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 4));
	str_copy(out->street_code, sizeof(out->street_code), db_col_text(st, 5));
	str_copy(out->district_code, sizeof(out->district_code), db_col_text(st, 6));
	str_copy(out->city_code, sizeof(out->city_code), db_col_text(st, 7));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 8));
	out->points = db_col_int(st, 9);
	out->minutes = db_col_int(st, 10);
	out->services = db_col_int(st, 11);
	out->tier = tier_parse(db_col_text(st, 12));
}

int standing_get(struct db *db, int64_t member_id, const char *period, struct standing *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " STANDING_COLUMNS "WHERE s.period = ? AND s.member_id = ?");
	int rc;

	db_bind_text(st, 1, period);
	db_bind_int(st, 2, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_standing(st, out);
	db_done(st);
	return rc == DB_ROW ? STANDING_OK : rc == DB_DONE ? STANDING_NOT_FOUND : STANDING_ERROR;
}

static const char *level_code(const struct standing *s, enum rank_level level)
{
	switch (level) {
	case RANK_COMMUNITY:
		return s->community_code;
	case RANK_STREET:
		return s->street_code;
	case RANK_DISTRICT:
		return s->district_code;
	default:
		return s->city_code;
	}
}

/* How many of period at the level's code have points more than (op ">") or equal to ("=") points. */
static int count_at(struct db *db, const char *period, enum rank_level level, const char *code, const char *op,
		    int64_t points, int64_t below_member, int64_t *out)
{
	char sql[256];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM standing WHERE period = ? AND %s = ? AND points %s ? AND "
		 "(? = 0 OR member_id < ?)", level_columns[level], op);
	st = db_prepare(db, sql);
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, code);
	db_bind_int(st, 3, points);
	db_bind_int(st, 4, below_member);
	db_bind_int(st, 5, below_member);
	rc = db_step(st);
	if (rc == DB_ROW)
		*out = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

int standing_rank(struct db *db, const struct standing *s, enum rank_level level, int64_t *rank, int64_t *of)
{
	const char *code = level_code(s, level);

	int64_t by_tier[4];

	if (count_at(db, s->period, level, code, ">", s->points, 0, rank) < 0 ||
	    standing_tiers(db, s->period, level, code, by_tier, of) != STANDING_OK)
		return STANDING_ERROR;
	(*rank)++;
	return STANDING_OK;
}

int rank_level_of(const char *region_level)
{
	for (int i = 0; rank_levels[i]; i++)
		if (!strcmp(region_level, rank_levels[i]))
			return i;
	return -1;
}

int standing_list(struct db *db, const char *period, enum rank_level level, const char *code, int64_t after_points,
		  int64_t after_member, size_t max, struct standing **items, size_t *n)
{
	char sql[768];
	struct db_stmt *st;
	int64_t above = 0, ties = 0;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT " STANDING_COLUMNS "WHERE s.period = ?1 AND s.%s = ?2 AND "
		 "(?4 = 0 OR s.points < ?3 OR (s.points = ?3 AND s.member_id > ?4)) "
		 "ORDER BY s.points DESC, s.member_id LIMIT ?5",
		 level_columns[level]);
	*items = xcalloc(max ? max : 1, sizeof(**items));
	*n = 0;
	st = db_prepare(db, sql);
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, code);
	db_bind_int(st, 3, after_points);
	db_bind_int(st, 4, after_member);
	db_bind_int(st, 5, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		read_standing(st, &(*items)[(*n)++]);
	db_done(st);
	if (rc != DB_DONE && rc != DB_ROW)
		return STANDING_ERROR;
	if (!*n)
		return STANDING_OK;
	/* Ranks: those above the page's first row, and its equals that came before it, then down the page. */
	if (count_at(db, period, level, code, ">", (*items)[0].points, 0, &above) < 0 ||
	    count_at(db, period, level, code, "=", (*items)[0].points, (*items)[0].member_id, &ties) < 0)
		return STANDING_ERROR;
	for (size_t i = 0; i < *n; i++) {
		struct standing *s = &(*items)[i];

		s->rank = i && s->points == s[-1].points ? s[-1].rank : above + ties + (int64_t)i + 1;
		if (i == 0)
			s->rank = above + 1;
	}
	return STANDING_OK;
}

int standing_tiers(struct db *db, const char *period, enum rank_level level, const char *code, int64_t by_tier[4],
		   int64_t *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT tier, members FROM standing_count WHERE period = ? AND region_code = ?");
	int rc;

	(void)level; /* a region's code names its level */
	memset(by_tier, 0, 4 * sizeof(*by_tier));
	*total = 0;
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, code);
	while ((rc = db_step(st)) == DB_ROW) {
		by_tier[tier_parse(db_col_text(st, 0))] += db_col_int(st, 1);
		*total += db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? STANDING_OK : STANDING_ERROR;
}
