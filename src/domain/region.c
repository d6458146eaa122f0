/* region.c: reading the region tree and editing the grids and buildings of a community */
#include "domain/region.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "domain/listing.h"

#define COLUMNS "r.code, COALESCE(r.parent, ''), r.level, r.name, r.full_name, r.path, " \
		"EXISTS (SELECT 1 FROM region c WHERE c.parent = r.code)"

static void read_row(struct db_stmt *st, struct region *out)
{
	str_copy(out->code, sizeof(out->code), db_col_text(st, 0));
	str_copy(out->parent, sizeof(out->parent), db_col_text(st, 1));
	str_copy(out->level, sizeof(out->level), db_col_text(st, 2));
	str_copy(out->name, sizeof(out->name), db_col_text(st, 3));
	str_copy(out->full_name, sizeof(out->full_name), db_col_text(st, 4));
	str_copy(out->path, sizeof(out->path), db_col_text(st, 5));
	out->has_children = db_col_int(st, 6) != 0;
}

int region_get(struct db *db, const char *code, struct region *out)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM region r WHERE r.code = ?");
	int rc;

	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, out);
	db_done(st);
	return rc == DB_ROW ? REGION_OK : rc == DB_DONE ? REGION_NOT_FOUND : REGION_ERROR;
}

/* Runs st (already bound) and collects every row; st is done afterwards. */
static int collect(struct db_stmt *st, struct region **items, size_t *n)
{
	size_t cap = 0;
	int rc;

	*items = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		read_row(st, &(*items)[(*n)++]);
	}
	db_done(st);
	if (rc != DB_DONE) {
		free(*items);
		*items = NULL;
		*n = 0;
		return REGION_ERROR;
	}
	return REGION_OK;
}

int region_roots(struct db *db, struct region **items, size_t *n)
{
	return collect(db_prepare(db, "SELECT " COLUMNS " FROM region r WHERE r.parent IS NULL ORDER BY r.code"),
		       items, n);
}

int region_children(struct db *db, const char *code, struct region **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM region r WHERE r.parent = ? ORDER BY r.code");

	db_bind_text(st, 1, code);
	return collect(st, items, n);
}

int region_ancestors(struct db *db, const struct region *node, struct region **items, size_t *n)
{
	/* The path "/A/B/C/" names every ancestor: look each up by its key, city first. */
	char code[24];
	const char *p = node->path;
	size_t cap = 0;

	*items = NULL;
	*n = 0;
	while (*p == '/' && p[1]) {
		size_t len = strcspn(p + 1, "/");

		if (len >= sizeof(code))
			break;
		memcpy(code, p + 1, len);
		code[len] = '\0';
		p += len + 1;
		if (!strcmp(code, node->code))
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xrealloc(*items, cap * sizeof(**items));
		}
		if (region_get(db, code, &(*items)[*n]) != REGION_OK) {
			free(*items);
			*items = NULL;
			*n = 0;
			return REGION_ERROR;
		}
		(*n)++;
	}
	return REGION_OK;
}

/* One node's name and level, from the connection's memo while the database is unchanged. */
static int region_brief_get(struct db *db, struct region_brief *b)
{
	struct db_stmt *st;
	char key[DB_MEMO_KEY_MAX];
	int rc;

	snprintf(key, sizeof(key), "region:%s", b->code);
	if (db_memo_get(db, key, b, sizeof(*b)))
		return REGION_OK;
	st = db_prepare(db, "SELECT name, level FROM region WHERE code = ?");
	db_bind_text(st, 1, b->code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		str_copy(b->name, sizeof(b->name), db_col_text(st, 0));
		str_copy(b->level, sizeof(b->level), db_col_text(st, 1));
	}
	db_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? REGION_NOT_FOUND : REGION_ERROR;
	db_memo_put(db, key, b, sizeof(*b));
	return REGION_OK;
}

int region_lineage(struct db *db, const char *path, struct region_brief out[LINEAGE_MAX], size_t *n)
{
	const char *p = path;

	*n = 0;
	while (*p == '/' && p[1] && *n < LINEAGE_MAX) {
		size_t len = strcspn(p + 1, "/");
		struct region_brief *b = &out[*n];
		int rc;

		if (len >= sizeof(b->code))
			return REGION_NOT_FOUND;
		memset(b, 0, sizeof(*b));
		memcpy(b->code, p + 1, len);
		p += len + 1;
		if ((rc = region_brief_get(db, b)) != REGION_OK)
			return rc;
		(*n)++;
	}
	return REGION_OK;
}

int region_search(struct db *db, const char *q, const char *level, int limit, struct region **items, size_t *n)
{
	struct db_stmt *st = db_prepare(db, "SELECT " COLUMNS " FROM region r WHERE (r.name LIKE ? ESCAPE '\\' "
					    "OR r.code LIKE ? ESCAPE '\\') AND (? IS NULL OR r.level = ?) "
					    "ORDER BY length(r.path), r.code LIMIT ?");
	struct buf like = BUF_INIT, prefix = BUF_INIT;
	int rc;

	/* The text is the user's: LIKE's wildcards in it match themselves. */
	listing_like(&like, q, 0);
	listing_like(&prefix, q, 1);
	db_bind_text(st, 1, buf_str(&like));
	db_bind_text(st, 2, buf_str(&prefix));
	db_bind_text(st, 3, level);
	db_bind_text(st, 4, level);
	db_bind_int(st, 5, limit);
	rc = collect(st, items, n);
	buf_release(&like);
	buf_release(&prefix);
	return rc;
}

static const char *child_level(const char *level)
{
	if (!strcmp(level, "community"))
		return "grid";
	if (!strcmp(level, "grid"))
		return "building";
	return NULL;
}

static int editable(const struct region *node)
{
	return !strcmp(node->level, "grid") || !strcmp(node->level, "building");
}

/* The next free 3-digit suffix under parent, or -1. */
static int next_suffix(struct db *db, const struct region *parent)
{
	struct db_stmt *st = db_prepare(db, "SELECT MAX(code) FROM region WHERE parent = ?");
	size_t plen = strlen(parent->code);
	long long last = 0;
	int rc;

	db_bind_text(st, 1, parent->code);
	rc = db_step(st);
	if (rc == DB_ROW && !db_col_null(st, 0)) {
		const char *code = db_col_text(st, 0);

		if (strlen(code) == plen + 3 && str_to_ll(code + plen, 0, 999, &last) < 0)
			last = 999;
	}
	db_done(st);
	return rc == DB_ROW ? (int)last + 1 : -1;
}

static int finish(struct db *db, const struct actor *who, const char *action, const struct region *node, int rc)
{
	if (rc != DB_DONE) {
		db_rollback(db);
		return rc == DB_UNIQUE ? REGION_DUPLICATE : rc == DB_FOREIGN ? REGION_IN_USE : REGION_ERROR;
	}
	if (audit_append(db, who, action, "region", node->code, node->path, "ok") < 0 || db_commit(db) < 0) {
		db_rollback(db);
		return REGION_ERROR;
	}
	return REGION_OK;
}

int region_create_child(struct db *db, const struct actor *who, const struct region *parent, const char *name,
			struct region *out)
{
	const char *level = child_level(parent->level);
	struct db_stmt *st;
	int suffix, rc;

	if (!level)
		return REGION_BAD_LEVEL;
	if (db_begin(db) < 0)
		return REGION_ERROR;
	suffix = next_suffix(db, parent);
	if (suffix < 0 || suffix > 999) {
		db_rollback(db);
		return suffix < 0 ? REGION_ERROR : REGION_FULL;
	}
	memset(out, 0, sizeof(*out));
	if ((size_t)snprintf(out->code, sizeof(out->code), "%s%03d", parent->code, suffix) >= sizeof(out->code)) {
		db_rollback(db);
		return REGION_BAD_LEVEL;
	}
	str_copy(out->parent, sizeof(out->parent), parent->code);
	str_copy(out->level, sizeof(out->level), level);
	str_copy(out->name, sizeof(out->name), name);
	str_copy(out->full_name, sizeof(out->full_name), name);
	if ((size_t)snprintf(out->path, sizeof(out->path), "%s%s/", parent->path, out->code) >= sizeof(out->path)) {
		db_rollback(db);
		return REGION_BAD_LEVEL;
	}
	st = db_prepare(db, "INSERT INTO region (code, parent, level, name, full_name, path, created_at) "
			    "VALUES (?, ?, ?, ?, ?, ?, ?)");
	db_bind_text(st, 1, out->code);
	db_bind_text(st, 2, out->parent);
	db_bind_text(st, 3, out->level);
	db_bind_text(st, 4, out->name);
	db_bind_text(st, 5, out->full_name);
	db_bind_text(st, 6, out->path);
	db_bind_int(st, 7, clock_now());
	rc = db_step(st);
	db_done(st);
	return finish(db, who, "region.create", out, rc);
}

int region_rename(struct db *db, const struct actor *who, const struct region *node, const char *name,
		  struct region *out)
{
	struct db_stmt *st;
	int rc;

	if (!editable(node))
		return REGION_BAD_LEVEL;
	if (db_begin(db) < 0)
		return REGION_ERROR;
	st = db_prepare(db, "UPDATE region SET name = ?, full_name = ? WHERE code = ?");
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, node->code);
	rc = db_step(st);
	db_done(st);
	*out = *node;
	str_copy(out->name, sizeof(out->name), name);
	str_copy(out->full_name, sizeof(out->full_name), name);
	return finish(db, who, "region.rename", out, rc);
}

int region_delete(struct db *db, const struct actor *who, const struct region *node)
{
	struct db_stmt *st;
	int rc;

	if (!editable(node))
		return REGION_BAD_LEVEL;
	if (node->has_children)
		return REGION_IN_USE;
	if (db_begin(db) < 0)
		return REGION_ERROR;
	/* Whatever refers to the node (a child, a grant, later households) makes the foreign key refuse. */
	st = db_prepare(db, "DELETE FROM region WHERE code = ?");
	db_bind_text(st, 1, node->code);
	rc = db_step(st);
	db_done(st);
	return finish(db, who, "region.delete", node, rc);
}
