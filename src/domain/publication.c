/* publication.c: 公示: names masked, a half-year's ranking frozen and published again as versions, rows read, checked against the ledger */
#include "domain/publication.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/mask.h"
#include "base/valid.h"
#include "domain/listing.h"

/* Ranking rows read from the standings at a time while freezing. */
enum { FREEZE_BATCH = 500 };

#define PUBLICATION_COLUMNS \
	"p.id, p.region_code, r.level, r.path, r.name, p.period, p.title, p.days, p.opened_at, p.closes_at, " \
	"p.version, p.ledger_mark, v.rows, COALESCE(p.created_by, 0), p.created_at, " \
	"(SELECT count(*) FROM objection o WHERE o.publication_id = p.id), " \
	"(SELECT count(*) FROM objection o WHERE o.publication_id = p.id AND o.state = 'asked'), " \
	"(SELECT count(*) FROM objection o WHERE o.publication_id = p.id AND o.outcome = 'upheld'), " \
	"(SELECT count(*) FROM objection o WHERE o.publication_id = p.id AND o.movement_id > p.ledger_mark) "
#define PUBLICATION_FROM \
	" FROM publication p JOIN region r ON r.code = p.region_code " \
	"JOIN publication_version v ON v.publication_id = p.id AND v.version = p.version"

static void read_publication(struct db_stmt *st, struct publication *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	str_copy(out->region_code, sizeof(out->region_code), db_col_text(st, 1));
	str_copy(out->region_level, sizeof(out->region_level), db_col_text(st, 2));
	str_copy(out->region_path, sizeof(out->region_path), db_col_text(st, 3));
	str_copy(out->region_name, sizeof(out->region_name), db_col_text(st, 4));
	str_copy(out->period, sizeof(out->period), db_col_text(st, 5));
	str_copy(out->title, sizeof(out->title), db_col_text(st, 6));
	out->days = db_col_int(st, 7);
	out->opened_at = db_col_int(st, 8);
	out->closes_at = db_col_int(st, 9);
	out->version = db_col_int(st, 10);
	out->ledger_mark = db_col_int(st, 11);
	out->rows = db_col_int(st, 12);
	out->created_by = db_col_int(st, 13);
	out->created_at = db_col_int(st, 14);
	out->objections = db_col_int(st, 15);
	out->objections_waiting = db_col_int(st, 16);
	out->objections_upheld = db_col_int(st, 17);
	out->open = clock_now() < out->closes_at;
	/* After the window, only a correction that no version shows yet is a reason to publish again. */
	out->republishable = out->open || db_col_int(st, 18) > 0;
}

int publication_get(struct db *db, int64_t id, struct publication *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " PUBLICATION_COLUMNS PUBLICATION_FROM " WHERE p.id = ?");
	int rc;

	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_publication(st, out);
	db_done(st);
	return rc == DB_ROW ? PUB_OK : rc == DB_DONE ? PUB_NOT_FOUND : PUB_ERROR;
}

static void list_filters(struct buf *sql, const void *arg)
{
	const struct publication_filter *f = arg;

	buf_addstr(sql, PUBLICATION_FROM " WHERE 1=1");
	listing_scope_sql(sql, f->scope, "r.path", NULL);
	if (f->region_path)
		buf_addstr(sql, " AND substr(r.path, 1, length(?)) = ?");
	if (f->period)
		buf_addstr(sql, " AND p.period = ?");
}

static int list_bind(struct db_stmt *st, const void *arg)
{
	const struct publication_filter *f = arg;
	int i = listing_scope_bind(st, f->scope, 0, 1);

	if (f->region_path) {
		db_bind_text(st, i++, f->region_path);
		db_bind_text(st, i++, f->region_path);
	}
	if (f->period)
		db_bind_text(st, i++, f->period);
	return i;
}

static void list_read(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	read_publication(st, item);
}

int publication_list(struct db *db, const struct publication_filter *f, struct publication **items, size_t *n,
		     int64_t *total)
{
	static const struct listing l = { PUBLICATION_COLUMNS, list_filters, list_bind, " ORDER BY p.id DESC",
					  sizeof(struct publication), list_read };

	return listing_page(db, &l, f, f->page, f->per_page, (void **)items, n, total) < 0 ? PUB_ERROR : PUB_OK;
}

/* The ledger's last movement as this transaction sees it: the standings it reads are the sums up to it. */
static int last_movement(struct db *db, int64_t *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM ledger_movement");
	int rc = db_step(st);

	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

/* Copies the ranking of the publication's period and region as version (rows after the version before). */
static int snapshot(struct db *db, const struct publication *p, int64_t version, int64_t *rows)
{
	int level = rank_level_of(p->region_level);
	int64_t after_points = 0, after_member = 0;
	struct standing *items;
	size_t n;

	*rows = 0;
	if (level < 0)
		return PUB_ERROR;
	do {
		if (standing_list(db, p->period, (enum rank_level)level, p->region_code, after_points, after_member,
				  FREEZE_BATCH, &items, &n) != STANDING_OK) {
			free(items);
			return PUB_ERROR;
		}
		for (size_t i = 0; i < n; i++) {
			const struct standing *s = &items[i];
			struct db_stmt *st = db_prepare(
				db, "INSERT INTO publication_row (publication_id, version, pos, member_id, masked_name, "
				    "unit_name, community_code, community_name, points, minutes, services, tier, rank, "
				    "prev_points, prev_tier) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
				    "x.points, x.tier FROM (SELECT 1) AS one LEFT JOIN publication_row x ON x.publication_id = ?1 "
				    "AND x.version = ?2 - 1 AND x.member_id = ?4");
			char masked[TEXT_BYTES(MEMBER_NAME_MAX)];
			int rc;

			mask_name(s->member_name, masked, sizeof(masked));
			db_bind_int(st, 1, p->id);
			db_bind_int(st, 2, version);
			db_bind_int(st, 3, ++*rows);
			db_bind_int(st, 4, s->member_id);
			db_bind_text(st, 5, masked);
			db_bind_text(st, 6, s->unit_name);
			db_bind_text(st, 7, s->community_code);
			db_bind_text(st, 8, s->community_name);
			db_bind_int(st, 9, s->points);
			db_bind_int(st, 10, s->minutes);
			db_bind_int(st, 11, s->services);
			db_bind_text(st, 12, tier_names[s->tier]);
			db_bind_int(st, 13, s->rank);
			rc = db_step(st);
			db_done(st);
			if (rc != DB_DONE) {
				free(items);
				return PUB_ERROR;
			}
		}
		if (n) {
			after_points = items[n - 1].points;
			after_member = items[n - 1].member_id;
		}
		free(items);
	} while (n == FREEZE_BATCH);
	return PUB_OK;
}

/* Records version of p: its ledger mark, its rows, who made it and why. */
static int add_version(struct db *db, const struct actor *who, struct publication *p, int64_t version,
		       const char *note)
{
	struct db_stmt *st;
	int64_t rows;
	int rc;

	if (snapshot(db, p, version, &rows) != PUB_OK)
		return PUB_ERROR;
	st = db_prepare(db, "INSERT INTO publication_version (publication_id, version, ledger_mark, rows, note, "
			    "created_by, created_at) VALUES (?, ?, ?, ?, ?, NULLIF(?, 0), ?)");
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, version);
	db_bind_int(st, 3, p->ledger_mark);
	db_bind_int(st, 4, rows);
	db_bind_text(st, 5, note ? note : "");
	db_bind_int(st, 6, who->account_id);
	db_bind_int(st, 7, clock_now());
	rc = db_step(st);
	db_done(st);
	p->rows = rows;
	return rc == DB_DONE ? PUB_OK : PUB_ERROR;
}

static int audit(struct db *db, const struct actor *who, const char *action, const struct publication *p,
		 const char *detail)
{
	char idt[24];

	snprintf(idt, sizeof(idt), "%" PRId64, p->id);
	return audit_append_detail(db, who, action, "publication", idt, p->region_path, "ok", detail) < 0 ? PUB_ERROR
													    : PUB_OK;
}

static int finish(struct db *db, int rc)
{
	if (rc != PUB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db) < 0 ? PUB_ERROR : PUB_OK;
}

/* Checks what a freeze is given; faults in errs. */
static int freeze_check(const char *period, const char *title, int64_t days, struct field_errors *errs)
{
	char today[11], first[11], last[11];
	size_t before = errs->n;

	clock_date(clock_now(), today);
	if (!period_valid(period) || strlen(period) != 6)
		field_errors_add(errs, "period", "format", "应为半年，如 2026H2");
	else if (period_bounds(period, first, last), strcmp(first, today) > 0)
		field_errors_add(errs, "period", "future", "该半年尚未开始");
	if (days < 1 || days > PUBLICATION_DAYS_MAX)
		field_errors_add(errs, "days", "out_of_range", "公示天数应为 1 到 30 天");
	if (!valid_utf8_text(title, strlen(title)) || utf8_chars(title) > PUBLICATION_TITLE_MAX)
		field_errors_add(errs, "title", "too_long", "标题最多 60 个字");
	return errs->n > before ? PUB_INVALID : PUB_OK;
}

int publication_freeze(struct db *db, const struct actor *who, const struct region *region, const char *period,
		       const char *title, int64_t days, struct field_errors *errs, int64_t *id)
{
	struct publication p = { 0 };
	struct db_stmt *st;
	int64_t now = clock_now(), open;
	char detail[64];
	int rc = freeze_check(period, title, days, errs);

	if (rc == PUB_OK && rank_level_of(region->level) < 0) {
		field_errors_add(errs, "region_code", "level", "公示按社区、街道或区进行");
		rc = PUB_INVALID;
	}
	if (rc != PUB_OK)
		return rc;
	if (db_begin(db) < 0)
		return PUB_ERROR;
	st = db_prepare(db, "SELECT count(*) FROM publication WHERE region_code = ? AND period = ? AND closes_at > ?");
	db_bind_text(st, 1, region->code);
	db_bind_text(st, 2, period);
	db_bind_int(st, 3, now);
	rc = db_step(st);
	open = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return finish(db, PUB_ERROR);
	if (open)
		return finish(db, PUB_OPEN);
	if (last_movement(db, &p.ledger_mark) < 0)
		return finish(db, PUB_ERROR);
	if (*title)
		str_copy(p.title, sizeof(p.title), title);
	else
		snprintf(p.title, sizeof(p.title), "%s%.4s年%s在职党员积分公示", region->name, period,
			 period[5] == '1' ? "上半年" : "下半年");
	st = db_prepare(db, "INSERT INTO publication (region_code, period, title, days, opened_at, closes_at, version, "
			    "ledger_mark, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, NULLIF(?, 0), ?) "
			    "RETURNING id");
	db_bind_text(st, 1, region->code);
	db_bind_text(st, 2, period);
	db_bind_text(st, 3, p.title);
	db_bind_int(st, 4, days);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now + days * 86400);
	db_bind_int(st, 7, p.ledger_mark);
	db_bind_int(st, 8, who->account_id);
	db_bind_int(st, 9, now);
	rc = db_step(st);
	if (rc == DB_ROW)
		p.id = *id = db_col_int(st, 0);
	db_done(st);
	if (rc != DB_ROW)
		return finish(db, PUB_ERROR);
	str_copy(p.region_code, sizeof(p.region_code), region->code);
	str_copy(p.region_level, sizeof(p.region_level), region->level);
	str_copy(p.region_path, sizeof(p.region_path), region->path);
	str_copy(p.period, sizeof(p.period), period);
	rc = add_version(db, who, &p, 1, NULL);
	snprintf(detail, sizeof(detail), "%s, %" PRId64 " rows, %" PRId64 " days", period, p.rows, days);
	if (rc == PUB_OK)
		rc = audit(db, who, "publication.freeze", &p, detail);
	return finish(db, rc);
}

int publication_republish(struct db *db, const struct actor *who, int64_t id, const char *note, int64_t *version)
{
	struct publication p;
	struct db_stmt *st;
	char detail[64];
	int rc;

	if (db_begin(db) < 0)
		return PUB_ERROR;
	rc = publication_get(db, id, &p);
	if (rc == PUB_OK && !p.republishable)
		rc = PUB_CLOSED;
	if (rc == PUB_OK && last_movement(db, &p.ledger_mark) < 0)
		rc = PUB_ERROR;
	if (rc != PUB_OK)
		return finish(db, rc);
	*version = p.version + 1;
	st = db_prepare(db, "UPDATE publication SET version = ?, ledger_mark = ? WHERE id = ?");
	db_bind_int(st, 1, *version);
	db_bind_int(st, 2, p.ledger_mark);
	db_bind_int(st, 3, id);
	rc = db_step(st) == DB_DONE ? PUB_OK : PUB_ERROR;
	db_done(st);
	if (rc == PUB_OK)
		rc = add_version(db, who, &p, *version, note);
	snprintf(detail, sizeof(detail), "version %" PRId64 ", %" PRId64 " rows", *version, p.rows);
	if (rc == PUB_OK)
		rc = audit(db, who, "publication.republish", &p, detail);
	return finish(db, rc);
}

static enum tier tier_of(const char *s)
{
	for (int i = 1; tier_names[i]; i++)
		if (!strcmp(s, tier_names[i]))
			return (enum tier)i;
	return TIER_NONE;
}

#define ROW_COLUMNS \
	"x.pos, x.member_id, m.name, x.masked_name, x.unit_name, x.community_code, COALESCE(c.path, ''), " \
	"x.community_name, x.points, x.minutes, x.services, x.rank, x.tier, x.prev_points IS NOT NULL, " \
	"COALESCE(x.prev_points, 0), COALESCE(x.prev_tier, '') FROM publication_row x " \
	"JOIN member m ON m.id = x.member_id LEFT JOIN region c ON c.code = x.community_code "

static void read_row(struct db_stmt *st, struct publication_row *out)
{
	memset(out, 0, sizeof(*out));
	out->pos = db_col_int(st, 0);
	out->member_id = db_col_int(st, 1);
	str_copy(out->member_name, sizeof(out->member_name), db_col_text(st, 2));
	str_copy(out->masked_name, sizeof(out->masked_name), db_col_text(st, 3));
	str_copy(out->unit_name, sizeof(out->unit_name), db_col_text(st, 4));
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 5));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 6));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 7));
	out->points = db_col_int(st, 8);
	out->minutes = db_col_int(st, 9);
	out->services = db_col_int(st, 10);
	out->rank = db_col_int(st, 11);
	out->tier = tier_of(db_col_text(st, 12));
	out->has_prev = db_col_int(st, 13) != 0;
	out->prev_points = db_col_int(st, 14);
	out->prev_tier = tier_of(db_col_text(st, 15));
}

int publication_rows(struct db *db, const struct publication *p, int64_t version, int64_t after, size_t max,
		     struct publication_row **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ROW_COLUMNS "WHERE x.publication_id = ? AND x.version = ? AND "
					    "x.pos > ? ORDER BY x.pos LIMIT ?");
	int rc;

	*items = xcalloc(max ? max : 1, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, version ? version : p->version);
	db_bind_int(st, 3, after);
	db_bind_int(st, 4, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		read_row(st, &(*items)[(*n)++]);
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? PUB_OK : PUB_ERROR;
}

int publication_row_of(struct db *db, const struct publication *p, int64_t member_id, struct publication_row *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ROW_COLUMNS "WHERE x.publication_id = ? AND x.version = ? AND "
					    "x.member_id = ?");
	int rc;

	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, p->version);
	db_bind_int(st, 3, member_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? PUB_OK : rc == DB_DONE ? PUB_NOT_LISTED : PUB_ERROR;
}

int publication_versions(struct db *db, int64_t id, struct publication_version **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT version, ledger_mark, rows, created_at, note FROM publication_version "
					    "WHERE publication_id = ? ORDER BY version");
	size_t cap = 4;
	int rc;

	*items = xcalloc(cap, sizeof(**items));
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct publication_version *v;

		if (*n == cap) {
			cap *= 2;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		v = &(*items)[(*n)++];
		v->version = db_col_int(st, 0);
		v->ledger_mark = db_col_int(st, 1);
		v->rows = db_col_int(st, 2);
		v->created_at = db_col_int(st, 3);
		str_copy(v->note, sizeof(v->note), db_col_text(st, 4));
	}
	db_done(st);
	return rc == DB_DONE ? PUB_OK : PUB_ERROR;
}

/* Each row's member: the entries of their points account (found by the account index's own expressions), up
 * to the mark, on the half-year's days, of what counts in standings. */
#define VERIFY_SQL \
	"SELECT x.pos, x.member_id, x.masked_name, x.points, COALESCE((SELECT SUM(e.amount) " \
	"FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id AND e.movement_id <= ?3 " \
	"JOIN ledger_movement m ON m.id = e.movement_id AND m.day BETWEEN ?4 AND ?5 AND " \
	"m.source IN ('record', 'bonus', 'correction') WHERE a.book = 'points' AND a.kind = 'member' AND " \
	"COALESCE(a.member_id, 0) = x.member_id AND COALESCE(a.account_id, 0) = 0 AND " \
	"COALESCE(a.region_code, '') = ''), 0) FROM publication_row x " \
	"WHERE x.publication_id = ?1 AND x.version = ?2 ORDER BY x.pos"

int publication_verify(struct db *db, const struct publication *p, int64_t version, struct publication_check *out)
{
	struct db_stmt *st;
	char first[11], last[11];
	int rc;

	memset(out, 0, sizeof(*out));
	out->version = version ? version : p->version;
	if (out->version < 1 || out->version > p->version)
		return PUB_NOT_FOUND;
	st = db_prepare(db, "SELECT ledger_mark FROM publication_version WHERE publication_id = ? AND version = ?");
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, out->version);
	rc = db_step(st);
	out->ledger_mark = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return PUB_ERROR;
	period_bounds(p->period, first, last);
	st = db_prepare(db, VERIFY_SQL);
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, out->version);
	db_bind_int(st, 3, out->ledger_mark);
	db_bind_text(st, 4, first);
	db_bind_text(st, 5, last);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t published = db_col_int(st, 3), ledger = db_col_int(st, 4);

		out->rows++;
		if (published == ledger)
			continue;
		if (out->mismatches++ < PUBLICATION_MISMATCH_MAX) {
			struct publication_mismatch *m = &out->items[out->n++];

			m->pos = db_col_int(st, 0);
			m->member_id = db_col_int(st, 1);
			str_copy(m->masked_name, sizeof(m->masked_name), db_col_text(st, 2));
			m->published = published;
			m->ledger = ledger;
		}
	}
	db_done(st);
	return rc == DB_DONE ? PUB_OK : PUB_ERROR;
}
