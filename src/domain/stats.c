/* stats.c: workbench numbers read from the tallies the triggers keep, never by counting files */
#include "domain/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/listing.h"

const char *const stats_states[STATS_STATES] = { "approved", "pending", "rejected", "withdrawn", "left",
						 "transferred" };

int stats_rate(const struct stats_files *s)
{
	int64_t done = s->by_state[0], all = s->by_state[0] + s->by_state[1];

	return all ? (int)(done * 1000 / all) : 0;
}

static void add_state(struct stats_files *f, const char *state, int64_t files, int64_t without)
{
	for (int i = 0; i < STATS_STATES; i++)
		if (!strcmp(state, stats_states[i]))
			f->by_state[i] += files;
	if (!strcmp(state, "approved") || !strcmp(state, "pending"))
		f->without_account += without;
}

int stats_files(struct db *db, const char *path, struct stats_files *out)
{
	/* The node's own tally rows: one per state, at the depth of its code's prefix. */
	struct db_stmt *st = db_prepare(db, "SELECT state, files, without_account FROM member_tally WHERE depth = ? AND "
					    "prefix = ?");
	char lo[24], hi[26];
	int rc;

	memset(out, 0, sizeof(*out));
	listing_code_range(path, lo, hi);
	db_bind_int(st, 1, (int64_t)strlen(lo));
	db_bind_text(st, 2, lo);
	while ((rc = db_step(st)) == DB_ROW)
		add_state(out, db_col_text(st, 0), db_col_int(st, 1), db_col_int(st, 2));
	db_done(st);
	if (rc != DB_DONE)
		return -1;
	st = db_prepare(db, "SELECT COALESCE(SUM(pending), 0) FROM registration_tally WHERE depth = ? AND prefix = ?");
	db_bind_int(st, 1, (int64_t)strlen(lo));
	db_bind_text(st, 2, lo);
	rc = db_step(st);
	if (rc == DB_ROW)
		out->queue = db_col_int(st, 0);
	db_done(st);
	return rc == DB_ROW ? 0 : -1;
}

static int child_cmp(const void *key, const void *item)
{
	return strcmp(key, ((const struct stats_region *)item)->region.code);
}

/* The code prefix of the level below one whose prefix has n digits: 2 → 4 → 6 → 9 → 12. */
static size_t child_prefix(size_t n)
{
	return n < 6 ? n + 2 : n < 12 ? n + 3 : n;
}

int stats_children(struct db *db, const struct region *parent, struct stats_region **items, size_t *n)
{
	struct db_stmt *st;
	char lo[24], hi[26];
	size_t cap = 0, len;
	int rc;

	*items = NULL;
	*n = 0;
	listing_code_range(parent->path, lo, hi);
	len = child_prefix(strlen(lo));
	st = db_prepare(db, "SELECT code, name, level FROM region WHERE parent = ? ORDER BY code");
	db_bind_text(st, 1, parent->code);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		memset(&(*items)[*n], 0, sizeof(**items));
		str_copy((*items)[*n].region.code, sizeof((*items)[0].region.code), db_col_text(st, 0));
		str_copy((*items)[*n].region.name, sizeof((*items)[0].region.name), db_col_text(st, 1));
		str_copy((*items)[*n].region.level, sizeof((*items)[0].region.level), db_col_text(st, 2));
		(*n)++;
	}
	db_done(st);
	if (rc != DB_DONE)
		goto fail;
	/*
	 * The tally rows of the children's depth under the parent's prefix: a child's code is its
	 * prefix and zeros (440111002 → 440111002000). Children are in code order: found by bsearch.
	 */
	for (int pass = 0; pass < 2; pass++) {
		st = db_prepare(db, pass == 0 ? "SELECT prefix, state, files, without_account FROM member_tally WHERE "
						"depth = ? AND prefix >= ? AND prefix < ?"
					      : "SELECT prefix, '', pending, 0 FROM registration_tally WHERE depth = ? AND "
						"prefix >= ? AND prefix < ?");
		db_bind_int(st, 1, (int64_t)len);
		db_bind_text(st, 2, lo);
		db_bind_text(st, 3, hi);
		while ((rc = db_step(st)) == DB_ROW) {
			char code[24] = "000000000000";
			const char *prefix = db_col_text(st, 0);
			struct stats_region *child;

			memcpy(code, prefix, strlen(prefix) < 12 ? strlen(prefix) : 12);
			if (!(child = bsearch(code, *items, *n, sizeof(**items), child_cmp)))
				continue;
			if (pass == 0)
				add_state(&child->files, db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
			else
				child->files.queue += db_col_int(st, 2);
		}
		db_done(st);
		if (rc != DB_DONE)
			goto fail;
	}
	return 0;
fail:
	free(*items);
	*items = NULL;
	*n = 0;
	return -1;
}

struct rank {
	const char *by;
	int ascending;
};

static int64_t rank_key(const struct stats_region *r, const char *by)
{
	if (!strcmp(by, "approved"))
		return r->files.by_state[0];
	if (!strcmp(by, "queue"))
		return r->files.queue;
	if (!strcmp(by, "rate"))
		return stats_rate(&r->files);
	return 0;
}

static int rank_cmp(const void *a, const void *b, void *arg)
{
	const struct rank *k = arg;
	const struct stats_region *x = a, *y = b;
	int64_t kx = rank_key(x, k->by), ky = rank_key(y, k->by);

	if (kx != ky)
		return (kx < ky) == (k->ascending != 0) ? -1 : 1;
	return strcmp(x->region.code, y->region.code);
}

void stats_rank(struct stats_region *items, size_t n, const char *by, int ascending)
{
	struct rank k = { by, ascending };

	qsort_r(items, n, sizeof(*items), rank_cmp, &k);
}

static void read_unit(struct db_stmt *st, struct stats_unit *u)
{
	u->unit_id = db_col_int(st, 0);
	str_copy(u->name, sizeof(u->name), db_col_text(st, 1));
	u->roster = db_col_int(st, 2);
	u->reported = db_col_int(st, 3);
	u->pending = db_col_int(st, 4);
	u->here = db_col_int(st, 5);
}

#define UNIT_COLUMNS "u.id, u.name, COALESCE(t.roster, 0), COALESCE(t.reported, 0), COALESCE(t.pending, 0)"

int stats_unit(struct db *db, int64_t unit_id, struct stats_unit *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " UNIT_COLUMNS ", 0 FROM unit u LEFT JOIN unit_tally t ON "
					    "t.unit_id = u.id WHERE u.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, unit_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_unit(st, out);
	db_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Reads every row of st into *items (caller frees). */
static int read_units(struct db_stmt *st, struct stats_unit **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		read_unit(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc == DB_DONE)
		return 0;
	free(*items);
	*items = NULL;
	*n = 0;
	return -1;
}

int stats_units_under(struct db *db, const char *path, int ascending, int64_t offset, int64_t limit,
		      struct stats_unit **items, size_t *n, int64_t *total)
{
	char lo[24], hi[26], sql[768];
	struct db_stmt *st;
	int rc;

	listing_code_range(path, lo, hi);
	st = db_prepare(db, "SELECT COUNT(*) FROM unit WHERE region_code >= ? AND region_code < ?");
	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		return -1;
	/* Read in rank order from unit_tally's index, each unit checked against the place: no sort. */
	snprintf(sql, sizeof(sql), "SELECT " UNIT_COLUMNS ", 0 FROM unit_tally t JOIN unit u ON u.id = t.unit_id WHERE "
		 "+u.region_code >= ? AND +u.region_code < ? ORDER BY %s LIMIT ? OFFSET ?",
		 ascending ? "t.rank_low, t.unit_id" : "t.rank_high DESC, t.unit_id DESC");
	st = db_prepare(db, sql);
	db_bind_text(st, 1, lo);
	db_bind_text(st, 2, hi);
	db_bind_int(st, 3, limit);
	db_bind_int(st, 4, offset);
	return read_units(st, items, n);
}

int stats_units_living(struct db *db, const char *community, struct stats_unit **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " UNIT_COLUMNS ", h.here FROM (SELECT unit_id, "
					    "SUM(CASE WHEN state = 'approved' THEN 1 ELSE 0 END) AS here FROM member WHERE community_code = ? AND "
					    "unit_id IS NOT NULL GROUP BY unit_id) h JOIN unit u ON u.id = h.unit_id "
					    "JOIN unit_tally t ON t.unit_id = u.id ORDER BY t.rank_low, u.name, u.id");

	db_bind_text(st, 1, community);
	return read_units(st, items, n);
}
