/* project_list.c: reading projects: one, the lists of a scope, its links and its notes */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "domain/listing.h"
#include "domain/project.h"

#define COLUMNS                                                                                                     \
	"p.id, p.community_code, c.name, c.path, p.name, p.goal, p.starts_on, p.ends_on, p.state, p.state_reason, " \
	"p.created_at, p.updated_at"
#define FROM " FROM project p JOIN region c ON c.code = p.community_code"

static void read_row(struct db_stmt *st, struct project *out)
{
	memset(out, 0, sizeof(*out));
	out->id = db_col_int(st, 0);
	str_copy(out->community_code, sizeof(out->community_code), db_col_text(st, 1));
	str_copy(out->community_name, sizeof(out->community_name), db_col_text(st, 2));
	str_copy(out->community_path, sizeof(out->community_path), db_col_text(st, 3));
	str_copy(out->name, sizeof(out->name), db_col_text(st, 4));
	str_copy(out->goal, sizeof(out->goal), db_col_text(st, 5));
	str_copy(out->starts_on, sizeof(out->starts_on), db_col_text(st, 6));
	str_copy(out->ends_on, sizeof(out->ends_on), db_col_text(st, 7));
	str_copy(out->state, sizeof(out->state), db_col_text(st, 8));
	str_copy(out->state_reason, sizeof(out->state_reason), db_col_text(st, 9));
	out->created_at = db_col_int(st, 10);
	out->updated_at = db_col_int(st, 11);
}

int project_get(struct db *db, int64_t id, struct project *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS FROM " WHERE p.id = ?");
	int rc;

	memset(out, 0, sizeof(*out));
	db_bind_int(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? PROJECT_OK : rc == DB_DONE ? PROJECT_NOT_FOUND : PROJECT_ERROR;
}

static void filters(struct buf *sql, const void *arg)
{
	const struct project_filter *f = arg;

	buf_addstr(sql, FROM " WHERE 1 = 1");
	listing_codes_sql(sql, f->scope, "p.community_code", NULL, false);
	if (f->community)
		buf_addstr(sql, " AND p.community_code = ?");
	if (f->state)
		buf_addstr(sql, " AND p.state = ?");
}

static int bind(struct db_stmt *st, const void *arg)
{
	const struct project_filter *f = arg;
	int i = listing_codes_bind(st, f->scope, 0, 1);

	if (f->community)
		db_bind_text(st, i++, f->community);
	if (f->state)
		db_bind_text(st, i++, f->state);
	return i;
}

static void read_item(struct db_stmt *st, void *item, const void *arg)
{
	(void)arg;
	read_row(st, item);
}

int project_list(struct db *db, const struct project_filter *f, struct project **items, size_t *n)
{
	static const struct listing l = { COLUMNS, filters, bind, " ORDER BY p.id DESC", sizeof(struct project), read_item };
	void *out = NULL;
	int64_t total;

	if (listing_page(db, &l, f, 1, PROJECT_LIST_MAX, &out, n, &total) < 0)
		return PROJECT_ERROR;
	*items = out;
	return PROJECT_OK;
}

int project_links(struct db *db, int64_t id, struct project_link **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, kind, ref_id FROM project_link WHERE project_id = ? ORDER BY id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		(*items)[*n].id = db_col_int(st, 0);
		str_copy((*items)[*n].kind, sizeof((*items)[*n].kind), db_col_text(st, 1));
		(*items)[(*n)++].ref_id = db_col_int(st, 2);
	}
	db_done(st);
	if (rc == DB_DONE)
		return PROJECT_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return PROJECT_ERROR;
}

int project_notes(struct db *db, int64_t id, struct project_note **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT n.id, n.on_date, n.body, COALESCE(a.name, ''), n.created_at FROM "
					    "project_note n LEFT JOIN account a ON a.id = n.created_by WHERE n.project_id = ? "
					    "ORDER BY n.on_date, n.id");
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct project_note *o;

		if (*n == cap)
			*items = xrealloc(*items, (cap = cap ? cap * 2 : 16) * sizeof(**items));
		o = &(*items)[(*n)++];
		o->id = db_col_int(st, 0);
		str_copy(o->on_date, sizeof(o->on_date), db_col_text(st, 1));
		str_copy(o->body, sizeof(o->body), db_col_text(st, 2));
		str_copy(o->by, sizeof(o->by), db_col_text(st, 3));
		o->created_at = db_col_int(st, 4);
	}
	db_done(st);
	if (rc == DB_DONE)
		return PROJECT_OK;
	free(*items);
	*items = NULL;
	*n = 0;
	return PROJECT_ERROR;
}
