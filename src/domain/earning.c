/* earning.c: confirmed service priced into the ledgers and standings; rule versions added and previewed; a member's summary */
#include "domain/earning.h"

#include <string.h>

#include "base/clock.h"

/* What pricing needs of a confirmed record. */
struct credited {
	int64_t member_id, minutes, started_at, origin; /* origin: the service (the record, or the one it corrects) */
	bool correction;
	char category[12], community[24], path[PATH_MAX_LEN];
};

static int load(struct db *db, int64_t id, struct credited *c)
{
	struct db_stmt *st = db_prepare(db, "SELECT g.member_id, g.minutes, g.started_at, COALESCE(g.corrects_id, 0), "
					    "i.category, g.community_code, r.path FROM record g "
					    "JOIN catalog_item i ON i.id = g.item_id JOIN region r ON r.code = g.community_code "
					    "WHERE g.id = ? AND g.state = 'confirmed'");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		c->member_id = db_col_int(st, 0);
		c->minutes = db_col_int(st, 1);
		c->started_at = db_col_int(st, 2);
		c->origin = db_col_int(st, 3);
		c->correction = c->origin != 0;
		if (!c->origin)
			c->origin = id;
		str_copy(c->category, sizeof(c->category), db_col_text(st, 4));
		str_copy(c->community, sizeof(c->community), db_col_text(st, 5));
		str_copy(c->path, sizeof(c->path), db_col_text(st, 6));
	}
	db_done(st);
	return rc == DB_ROW ? EARNING_OK : rc == DB_DONE ? EARNING_NOT_FOUND : EARNING_ERROR;
}

/* One integer from sql bound to ?1 a, ?2 b and ?3 text (0 when no row). */
static int scalar(struct db *db, const char *sql, int64_t a, int64_t b, const char *text, int64_t *out)
{
	struct db_stmt *st = db_prepare(db, sql);
	int rc;

	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (text)
		db_bind_text(st, 3, text);
	rc = db_step(st);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* The records of a service: the first and its corrections. */
#define CHAIN "SELECT id FROM record WHERE id = ?1 OR corrects_id = ?1"

/* What the service had earned in book before record id, and the latest movement that priced it. */
static int earned_before(struct db *db, enum book book, const struct credited *c, int64_t *amount, int64_t *latest)
{
	const char *b = book_names[book];

	return scalar(db,
		      "SELECT COALESCE(SUM(e.amount), 0) FROM ledger_movement m JOIN ledger_entry e ON e.movement_id = m.id "
		      "JOIN ledger_account a ON a.id = e.account_id AND a.kind = 'member' "
		      "WHERE m.record_id IN (" CHAIN ") AND m.book = ?3",
		      c->origin, 0, b, amount) < 0 ||
			       scalar(db,
				      "SELECT COALESCE(MAX(m.id), 0) FROM ledger_movement m WHERE m.record_id IN (" CHAIN
				      ") AND m.book = ?3",
				      c->origin, 0, b, latest) < 0
		       ? -1
		       : 0;
}

int earning_account(struct db *db, struct earning_batch *b, enum book book, const struct ledger_owner *owner,
		    int64_t *id)
{
	bool member = owner->kind == KIND_MEMBER, issue = owner->kind == KIND_ISSUE;

	for (size_t i = 0; b && issue && i < b->nissuers; i++)
		if (b->issuers[i].book == book && !strcmp(b->issuers[i].community, owner->region_code)) {
			*id = b->issuers[i].account_id;
			return 0;
		}
	if (b && member && b->member_id == owner->id && b->member_accounts[book]) {
		*id = b->member_accounts[book];
		return 0;
	}
	if (ledger_account(db, book, owner, id) < 0)
		return -1;
	if (b && issue && b->nissuers < EARNING_ISSUERS_MAX) {
		struct earning_issuer *k = &b->issuers[b->nissuers++];

		k->book = book;
		str_copy(k->community, sizeof(k->community), owner->region_code);
		k->account_id = *id;
	}
	if (b && member) {
		if (b->member_id != owner->id)
			b->member_accounts[BOOK_POINTS] = b->member_accounts[BOOK_HOURS] = 0;
		b->member_id = owner->id;
		b->member_accounts[book] = *id;
	}
	return 0;
}

/* Moves amount of book from the community's issue account to the member's. */
static int move(struct db *db, const struct actor *who, struct earning_batch *b, enum book book,
		const struct credited *c, int64_t record_id, int64_t rule_id, int64_t corrects, const char *day,
		int64_t amount)
{
	struct ledger_owner member = { KIND_MEMBER, c->member_id, NULL }, issue = { KIND_ISSUE, 0, c->community };
	struct movement m = { .book = book, .source = c->correction ? MOVE_CORRECTION : MOVE_RECORD,
			      .member_id = c->member_id, .record_id = record_id, .rule_id = rule_id,
			      .corrects_id = corrects, .nentries = 2 };
	int64_t id;

	if (!amount)
		return 0;
	str_copy(m.day, sizeof(m.day), day);
	if (earning_account(db, b, book, &member, &m.entries[0].account_id) < 0 ||
	    earning_account(db, b, book, &issue, &m.entries[1].account_id) < 0)
		return -1;
	m.entries[0].amount = amount;
	m.entries[1].amount = -amount;
	return ledger_post(db, who, &m, &id);
}

int earning_credit(struct db *db, const struct actor *who, int64_t record_id)
{
	return earning_credit_in(db, who, record_id, NULL);
}

int earning_batch_flush(struct db *db, struct earning_batch *b)
{
	return standing_batch_flush(db, &b->standing) == STANDING_OK ? EARNING_OK : EARNING_ERROR;
}

void earning_batch_release(struct earning_batch *b)
{
	standing_batch_release(&b->standing);
	b->nissuers = 0;
	b->member_id = b->member_accounts[BOOK_POINTS] = b->member_accounts[BOOK_HOURS] = 0;
}

int earning_credit_in(struct db *db, const struct actor *who, int64_t record_id, struct earning_batch *b)
{
	struct credited c;
	struct rule r;
	char day[11];
	int64_t total_before = 0, points_before = 0, day_points = 0, latest_points = 0, minutes_before = 0,
		latest_minutes = 0, total_after, points, services;
	int rc = load(db, record_id, &c);

	if (rc != EARNING_OK)
		return rc;
	clock_date(c.started_at, day);
	if (rule_for_cached(db, b ? &b->standing.rules : NULL, c.path, day, &r) != RULE_OK)
		return EARNING_ERROR;
	if (c.correction &&
	    scalar(db,
		   "SELECT g.minutes + COALESCE((SELECT SUM(x.minutes) FROM record x WHERE x.corrects_id = g.id AND "
		   "x.state = 'confirmed' AND x.id <> ?2), 0) FROM record g WHERE g.id = ?1",
		   c.origin, record_id, NULL, &total_before) < 0)
		return EARNING_ERROR;
	/* A first confirmation has earned nothing before; a correction looks up what its service earned. */
	if ((c.correction && (earned_before(db, BOOK_POINTS, &c, &points_before, &latest_points) < 0 ||
			      earned_before(db, BOOK_HOURS, &c, &minutes_before, &latest_minutes) < 0)) ||
	    scalar(db, "SELECT points FROM earning_day WHERE member_id = ?1 AND day = ?3", c.member_id, 0, day,
		   &day_points) < 0)
		return EARNING_ERROR;
	/* What the service earns now, in its day's room beside the member's other services that day. */
	total_after = total_before + c.minutes;
	points = total_after > 0 ? rule_capped(&r.t, rule_price(&r.t, rule_category(c.category), total_after),
					       day_points - points_before)
				 : 0;
	points -= points_before;
	services = total_before <= 0 && total_after > 0 ? 1 : total_before > 0 && total_after <= 0 ? -1 : 0;
	if (move(db, who, b, BOOK_POINTS, &c, record_id, r.id, c.correction ? latest_points : 0, day, points) < 0 ||
	    move(db, who, b, BOOK_HOURS, &c, record_id, r.id, c.correction ? latest_minutes : 0, day, c.minutes) < 0)
		return EARNING_ERROR;
	if (points) {
		struct db_stmt *st = db_prepare(db, "INSERT INTO earning_day (member_id, day, points) VALUES (?1, ?2, ?3) "
						    "ON CONFLICT (member_id, day) DO UPDATE SET points = earning_day.points + ?3");

		db_bind_int(st, 1, c.member_id);
		db_bind_text(st, 2, day);
		db_bind_int(st, 3, points);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			return EARNING_ERROR;
	}
	return standing_add_in(db, b ? &b->standing : NULL, c.member_id, c.path, day, points, c.minutes, services) ==
			       STANDING_OK
		       ? EARNING_OK
		       : EARNING_ERROR;
}

/* rule_insert and the re-tiering of its half-year, inside the caller's transaction. */
static int add_in(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
		  const char *effective_on, const struct rule_terms *t, const char *note, struct field_errors *errs,
		  int64_t *id, char half[PERIOD_LEN], int64_t *changed)
{
	char year[PERIOD_LEN];
	int rc = rule_insert(db, who, region_code, region_path, effective_on, t, note, errs, id);

	if (rc != RULE_OK)
		return rc == RULE_INVALID ? EARNING_INVALID : EARNING_ERROR;
	period_of(effective_on, half, year);
	return standing_retier(db, region_path && *region_path ? region_path : "/", half, changed) == STANDING_OK
		       ? EARNING_OK
		       : EARNING_ERROR;
}

static int finish(struct db *db, int rc)
{
	if (rc != EARNING_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? EARNING_ERROR : EARNING_OK;
}

int earning_rule_add(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
		     const char *effective_on, const struct rule_terms *t, const char *note,
		     struct field_errors *errs, int64_t *id, int64_t *changed)
{
	char half[PERIOD_LEN];

	if (db_begin(db) < 0)
		return EARNING_ERROR;
	return finish(db, add_in(db, who, region_code, region_path, effective_on, t, note, errs, id, half, changed));
}

/* The tiers of period under path. */
static int tiers_under(struct db *db, const char *path, const char *period, int64_t out[4], int64_t *total)
{
	struct db_stmt *st = db_prepare(db, "SELECT s.tier, count(*) FROM standing s JOIN region c ON c.code = s.community_code "
					    "WHERE s.period = ?1 AND substr(c.path, 1, length(?2)) = ?2 GROUP BY s.tier");
	int rc;

	memset(out, 0, 4 * sizeof(*out));
	*total = 0;
	db_bind_text(st, 1, period);
	db_bind_text(st, 2, path);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *tier = db_col_text(st, 0);

		for (int i = 0; tier_names[i]; i++)
			if (!strcmp(tier, tier_names[i]))
				out[i] += db_col_int(st, 1);
		*total += db_col_int(st, 1);
	}
	db_done(st);
	return rc == DB_DONE ? 0 : -1;
}

int earning_rule_preview(struct db *db, const struct actor *who, const char *region_code, const char *region_path,
			 const char *effective_on, const struct rule_terms *t, struct field_errors *errs,
			 struct rule_preview *out)
{
	const char *path = region_path && *region_path ? region_path : "/";
	int64_t id, total;
	int rc;

	memset(out, 0, sizeof(*out));
	if (db_begin(db) < 0)
		return EARNING_ERROR;
	rc = add_in(db, who, region_code, region_path, effective_on, t, NULL, errs, &id, out->period, &out->changed);
	if (rc == EARNING_OK && tiers_under(db, path, out->period, out->after, &out->total) < 0)
		rc = EARNING_ERROR;
	db_rollback(db);
	if (rc == EARNING_OK && tiers_under(db, path, out->period, out->before, &total) < 0)
		rc = EARNING_ERROR;
	return rc;
}

int earning_summary(struct db *db, int64_t member_id, const char *community_path, struct earning_summary *out)
{
	struct ledger_owner me = { KIND_MEMBER, member_id, NULL };
	char today[11], half[PERIOD_LEN], year[PERIOD_LEN];
	int rc;

	memset(out, 0, sizeof(*out));
	clock_date(clock_now(), today);
	period_of(today, half, year);
	if (ledger_balance(db, BOOK_POINTS, &me, &out->points_balance) < 0 ||
	    ledger_balance(db, BOOK_HOURS, &me, &out->minutes_balance) < 0 ||
	    rule_for(db, community_path, today, &out->rule) != RULE_OK)
		return EARNING_ERROR;
	rc = standing_get(db, member_id, half, &out->half);
	if (rc == STANDING_ERROR)
		return EARNING_ERROR;
	out->has_half = rc == STANDING_OK;
	for (int l = RANK_COMMUNITY; out->has_half && l <= RANK_DISTRICT; l++)
		if (standing_rank(db, &out->half, (enum rank_level)l, &out->rank[l], &out->of[l]) != STANDING_OK)
			return EARNING_ERROR;
	out->next_tier = rule_next_tier(&out->rule.t, out->half.points, out->half.services, &out->need_points,
					&out->need_services);
	rc = standing_get(db, member_id, year, &out->year);
	if (rc == STANDING_ERROR)
		return EARNING_ERROR;
	out->has_year = rc == STANDING_OK;
	if (out->has_year &&
	    standing_rank(db, &out->year, RANK_DISTRICT, &out->year_rank, &out->year_of) != STANDING_OK)
		return EARNING_ERROR;
	out->stars = out->has_year ? rule_stars(&out->rule.t, out->year.points, out->year_rank, out->year_of) : 0;
	out->year_min_services = out->rule.t.year_min_services;
	return EARNING_OK;
}
