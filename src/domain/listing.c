/* listing.c: scope filters for list queries, as SQL with placeholders only */
#include "domain/listing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

void listing_scope_sql(struct buf *sql, const struct scope *scope, const char *path_col, const char *unit_col)
{
	if (scope->all)
		return;
	buf_addstr(sql, " AND (1=0");
	for (size_t i = 0; i < scope->npaths; i++)
		buf_addf(sql, " OR %s LIKE ?", path_col);
	for (size_t i = 0; unit_col && i < scope->nunits; i++)
		buf_addf(sql, " OR %s = ?", unit_col);
	buf_addch(sql, ')');
}

int listing_scope_bind(struct db_stmt *st, const struct scope *scope, int with_units, int i)
{
	if (scope->all)
		return i;
	for (size_t k = 0; k < scope->npaths; k++) {
		char pattern[PATH_MAX_LEN + 2];

		/* Paths hold only digits and '/', so they carry no LIKE wildcards of their own. */
		snprintf(pattern, sizeof(pattern), "%s%%", scope->paths[k]);
		db_bind_text(st, i++, pattern);
	}
	for (size_t k = 0; with_units && k < scope->nunits; k++)
		db_bind_int(st, i++, scope->units[k]);
	return i;
}

/* The code prefix a node's path gives its subtree: its code's 2, 4, 6, 9 or 12 digits before the zeros. */
static void code_prefix(const char *path, char out[24])
{
	static const size_t levels[] = { 2, 4, 6, 9, 12 };
	const char *end = path + strlen(path) - 1, *start = end;
	size_t n;

	while (start > path && start[-1] != '/')
		start--;
	n = (size_t)(end - start) < 23 ? (size_t)(end - start) : 23;
	memcpy(out, start, n);
	out[n] = '\0';
	if (n != 12)
		return;
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
		if (strspn(out + levels[i], "0") == 12 - levels[i]) {
			out[levels[i]] = '\0';
			return;
		}
}

void listing_codes_sql(struct buf *sql, const struct scope *scope, const char *code_col, const char *unit_col,
		       bool unary)
{
	const char *plus = unary ? "+" : "";
	size_t nunits = unit_col ? scope->nunits : 0;

	if (scope->all)
		return;
	if (!scope->npaths && !nunits) {
		buf_addstr(sql, " AND 1=0");
		return;
	}
	/* A plain OR of ranges, so that SQLite reads each through its index (MULTI-INDEX OR). */
	buf_addstr(sql, " AND (");
	for (size_t i = 0; i < scope->npaths; i++)
		buf_addf(sql, "%s(%s%s >= ? AND %s%s < ?)", i ? " OR " : "", plus, code_col, plus, code_col);
	for (size_t i = 0; i < nunits; i++)
		buf_addf(sql, "%s%s = ?", i || scope->npaths ? " OR " : "", unit_col);
	buf_addch(sql, ')');
}

void listing_code_range(const char *path, char lo[24], char hi[26])
{
	code_prefix(path, lo);
	snprintf(hi, 26, "%s:", lo); /* ':' follows '9': above every code under lo */
}

int listing_codes_bind(struct db_stmt *st, const struct scope *scope, int with_units, int i)
{
	if (scope->all)
		return i;
	for (size_t k = 0; k < scope->npaths; k++) {
		char lo[24], hi[26];

		listing_code_range(scope->paths[k], lo, hi);
		db_bind_text(st, i++, lo);
		db_bind_text(st, i++, hi);
	}
	for (size_t k = 0; with_units && k < scope->nunits; k++)
		db_bind_int(st, i++, scope->units[k]);
	return i;
}

bool listing_scope_wide(const struct scope *scope)
{
	if (scope->all)
		return true;
	for (size_t i = 0; i < scope->npaths; i++) {
		size_t slashes = 0;

		for (const char *p = scope->paths[i]; *p; p++)
			slashes += *p == '/';
		if (slashes <= 3) /* "/city/" or "/city/district/" */
			return true;
	}
	return false;
}

void listing_like(struct buf *b, const char *text, int prefix)
{
	if (!prefix)
		buf_addch(b, '%');
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *p);
	}
	buf_addch(b, '%');
}

int listing_page(struct db *db, const struct listing *l, const void *arg, int64_t page, int64_t per_page,
		 void **items, size_t *n, int64_t *total)
{
	struct buf sql = BUF_INIT;
	struct db_stmt *st;
	int rc, i;

	*items = NULL;
	*n = 0;
	buf_addstr(&sql, "SELECT COUNT(*)");
	l->filters(&sql, arg);
	st = db_prepare(db, sql.data);
	l->bind(st, arg);
	rc = db_step(st);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc != DB_ROW)
		goto out;
	buf_reset(&sql);
	buf_addf(&sql, "SELECT %s", l->columns);
	l->filters(&sql, arg);
	buf_addf(&sql, "%s LIMIT ? OFFSET ?", l->order);
	st = db_prepare(db, sql.data);
	i = l->bind(st, arg);
	db_bind_int(st, i++, per_page);
	db_bind_int(st, i, (page - 1) * per_page);
	*items = xcalloc((size_t)per_page, l->size);
	while ((rc = db_step(st)) == DB_ROW && *n < (size_t)per_page)
		l->read(st, (char *)*items + *n * l->size, arg), (*n)++;
	db_done(st);
out:
	buf_release(&sql);
	if (rc != DB_DONE && rc != DB_ROW) {
		free(*items);
		*items = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}
