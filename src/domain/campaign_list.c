/* campaign_list.c: reading campaigns: the list of a place, the stretches with their coverage, suggestions, the export */
#include "domain/campaign.h"
#include "domain/campaign_row.h"

#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/listing.h"

void campaign_stretch_row(struct db_stmt *st, struct campaign_stretch *s)
{
	memset(s, 0, sizeof(*s));
	s->id = db_col_int(st, 0);
	s->campaign_id = db_col_int(st, 1);
	str_copy(s->building_code, sizeof(s->building_code), db_col_text(st, 2));
	str_copy(s->building_name, sizeof(s->building_name), db_col_text(st, 3));
	str_copy(s->grid_name, sizeof(s->grid_name), db_col_text(st, 4));
	str_copy(s->unit_no, sizeof(s->unit_no), db_col_text(st, 5));
	s->member_id = db_col_int(st, 6);
	str_copy(s->member_name, sizeof(s->member_name), db_col_text(st, 7));
	s->record_id = db_col_int(st, 8);
	s->updated_at = db_col_int(st, 9);
	campaign_tally_add(&s->tally, st, 10);
	str_copy(s->campaign_title, sizeof(s->campaign_title), db_col_text(st, 16));
	str_copy(s->campaign_state, sizeof(s->campaign_state), db_col_text(st, 17));
	str_copy(s->community_name, sizeof(s->community_name), db_col_text(st, 18));
	s->item_id = db_col_int(st, 19);
}

int campaign_stretches(struct db *db, int64_t campaign_id, struct campaign_stretch **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " STRETCH_COLUMNS STRETCH_FROM " WHERE s.campaign_id = ? ORDER BY "
					    "b.path, s.unit_no");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, campaign_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		campaign_stretch_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CAMPAIGN_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CAMPAIGN_ERROR;
}

int campaign_stretch_get(struct db *db, int64_t stretch_id, struct campaign_stretch *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " STRETCH_COLUMNS STRETCH_FROM " WHERE s.id = ?");
	int rc;

	db_bind_int(st, 1, stretch_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		campaign_stretch_row(st, out);
	db_done(st);
	return rc == DB_ROW ? CAMPAIGN_OK : rc == DB_DONE ? CAMPAIGN_NOT_FOUND : CAMPAIGN_ERROR;
}


struct list_query {
	const struct scope *scope;
	const char *region, *state;
};

static void list_filters(struct buf *sql, const void *arg)
{
	const struct list_query *q = arg;

	buf_addstr(sql, " FROM campaign c JOIN region r ON r.code = c.region_code LEFT JOIN (SELECT campaign_id, "
			"COUNT(*) AS n, COUNT(member_id) AS a, SUM(households) AS households, SUM(todo) AS todo, "
			"SUM(visited) AS visited, SUM(absent) AS absent, SUM(declined) AS declined, SUM(empty) AS empty "
			"FROM campaign_stretch GROUP BY campaign_id) s ON s.campaign_id = c.id WHERE 1=1");
	listing_scope_sql(sql, q->scope, "r.path", NULL);
	if (q->region)
		buf_addstr(sql, " AND c.region_code = ?");
	if (q->state)
		buf_addstr(sql, " AND c.state = ?");
}

static int list_bind(struct db_stmt *st, const void *arg)
{
	const struct list_query *q = arg;
	int i = listing_scope_bind(st, q->scope, 0, 1);

	if (q->region)
		db_bind_text(st, i++, q->region);
	if (q->state)
		db_bind_text(st, i++, q->state);
	return i;
}

static void list_read(struct db_stmt *st, void *item, const void *arg)
{
	struct campaign_row *c = item;

	(void)arg;
	memset(c, 0, sizeof(*c));
	c->id = db_col_int(st, 0);
	str_copy(c->region_code, sizeof(c->region_code), db_col_text(st, 1));
	str_copy(c->region_name, sizeof(c->region_name), db_col_text(st, 2));
	str_copy(c->title, sizeof(c->title), db_col_text(st, 3));
	str_copy(c->state, sizeof(c->state), db_col_text(st, 4));
	str_copy(c->starts_on, sizeof(c->starts_on), db_col_text(st, 5));
	str_copy(c->ends_on, sizeof(c->ends_on), db_col_text(st, 6));
	c->created_at = db_col_int(st, 7);
	c->stretches = db_col_int(st, 8);
	c->assigned = db_col_int(st, 9);
	campaign_tally_add(&c->tally, st, 10);
}

int campaign_list(struct db *db, const struct scope *scope, const char *region, const char *state, int64_t page,
		  int64_t per_page, struct campaign_row **items, size_t *n, int64_t *total)
{
	static const struct listing l = {
		"c.id, c.region_code, r.name, c.title, c.state, c.starts_on, c.ends_on, c.created_at, COALESCE(s.n, 0), "
		"COALESCE(s.a, 0), COALESCE(s.households, 0), COALESCE(s.todo, 0), COALESCE(s.visited, 0), "
		"COALESCE(s.absent, 0), COALESCE(s.declined, 0), COALESCE(s.empty, 0)",
		list_filters, list_bind, " ORDER BY c.id DESC", sizeof(struct campaign_row), list_read
	};
	struct list_query q = { scope, region, state };

	return listing_page(db, &l, &q, page, per_page, (void **)items, n, total);
}

/* The rows of a stretch query binding one id, read whole. */
static int stretches_where(struct db *db, const char *where, int64_t id, struct campaign_stretch **items, size_t *n)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	buf_addf(&sql, "SELECT " STRETCH_COLUMNS STRETCH_FROM " %s", where);
	st = db_prepare(db, buf_str(&sql));
	buf_release(&sql);
	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		campaign_stretch_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return CAMPAIGN_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return CAMPAIGN_ERROR;
}

int campaign_member_stretches(struct db *db, int64_t member_id, struct campaign_stretch **items, size_t *n)
{
	return stretches_where(db, "WHERE s.member_id = ? AND c.state = 'active' ORDER BY c.id DESC, b.path, s.unit_no",
			       member_id, items, n);
}

int campaign_suggest(struct db *db, int64_t stretch_id, struct campaign_suggestion *out, size_t *n)
{
	/* near: 0 the building, 1 its grid, 2 the community; then who walks fewer stretches of this campaign. */
	struct db_stmt *st = db_prepare(
		db, "SELECT m.id, m.name, CASE WHEN m.building_code = s.building_code THEN 0 WHEN mb.parent = b.parent "
		    "AND g.level = 'grid' THEN 1 ELSE 2 END AS near, (SELECT COUNT(*) FROM campaign_stretch o WHERE "
		    "o.campaign_id = s.campaign_id AND o.member_id = m.id) AS walking FROM campaign_stretch s JOIN "
		    "region b ON b.code = s.building_code JOIN region g ON g.code = b.parent JOIN member m ON "
		    "m.community_code = (CASE WHEN g.level = 'grid' THEN g.parent ELSE g.code END) AND m.state = "
		    "'approved' LEFT JOIN region mb ON mb.code = m.building_code WHERE s.id = ? ORDER BY near, walking, "
		    "m.name, m.id LIMIT 10");
	static const char *const nears[] = { "building", "grid", "community" };
	int rc;

	*n = 0;
	db_bind_int(st, 1, stretch_id);
	while ((rc = db_step(st)) == DB_ROW && *n < CAMPAIGN_SUGGEST_MAX) {
		struct campaign_suggestion *g = &out[(*n)++];
		int64_t near = db_col_int(st, 2);

		g->member_id = db_col_int(st, 0);
		str_copy(g->name, sizeof(g->name), db_col_text(st, 1));
		str_copy(g->near, sizeof(g->near), nears[near >= 0 && near <= 2 ? near : 2]);
		g->walking = db_col_int(st, 3);
	}
	db_done(st);
	return rc == DB_DONE || rc == DB_ROW ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

/* One answer of a campaign's latest visits: (mark, position) → value. */
struct answer {
	int64_t mark_id, position;
	char *value;
};

static int answers_of(struct db *db, int64_t id, struct answer **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT a.mark_id, a.position, a.value FROM campaign_answer a JOIN "
					    "campaign_mark m ON m.id = a.mark_id WHERE m.campaign_id = ? ORDER BY "
					    "a.mark_id, a.position");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		(*items)[*n] = (struct answer){ db_col_int(st, 0), db_col_int(st, 1), xstrdup(db_col_text(st, 2)) };
		(*n)++;
	}
	db_done(st);
	return rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}

/* The answers of mark_id into r->answers (sorted items: a binary search, then the run). */
static void fill_answers(const struct answer *items, size_t n, int64_t mark_id, struct campaign_export_row *r)
{
	size_t lo = 0, hi = n;

	for (size_t i = 0; i < CATALOG_FIELDS_MAX; i++)
		r->answers[i] = "";
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (items[mid].mark_id < mark_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && items[lo].mark_id == mark_id; lo++)
		if (items[lo].position >= 1 && items[lo].position <= CATALOG_FIELDS_MAX)
			r->answers[items[lo].position - 1] = items[lo].value;
}

int campaign_export(struct db *db, int64_t id, int (*each)(const struct campaign_export_row *r, void *arg), void *arg)
{
	struct answer *answers;
	size_t na;
	struct db_stmt *st;
	int rc, stop = 0;

	if (answers_of(db, id, &answers, &na) != CAMPAIGN_OK)
		return CAMPAIGN_ERROR;
	st = db_prepare(db, "SELECT b.name, CASE WHEN g.level = 'grid' THEN g.name ELSE '' END, h.unit_no, h.room, "
			    "h.floor, ch.state, ch.marks, ch.updated_at, COALESCE(m.name, ''), (SELECT MAX(k.id) FROM "
			    "campaign_mark k WHERE k.campaign_id = ch.campaign_id AND k.household_id = ch.household_id "
			    "AND k.mark = 'visited') FROM campaign_household ch JOIN household h ON h.id = "
			    "ch.household_id JOIN campaign_stretch s ON s.id = ch.stretch_id JOIN region b ON b.code = "
			    "s.building_code JOIN region g ON g.code = b.parent LEFT JOIN member m ON m.id = s.member_id "
			    "WHERE ch.campaign_id = ? ORDER BY b.path, h.unit_no, h.floor, h.room, h.id");
	db_bind_int(st, 1, id);
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		struct campaign_export_row r = { db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2),
						 db_col_text(st, 3), db_col_text(st, 5), db_col_text(st, 8),
						 !db_col_null(st, 4), db_col_int(st, 4), db_col_int(st, 6),
						 db_col_int(st, 7), { 0 } };

		fill_answers(answers, na, db_col_null(st, 9) ? 0 : db_col_int(st, 9), &r);
		stop = each(&r, arg);
	}
	db_done(st);
	for (size_t i = 0; i < na; i++)
		free(answers[i].value);
	free(answers);
	return stop || rc == DB_DONE ? CAMPAIGN_OK : CAMPAIGN_ERROR;
}
