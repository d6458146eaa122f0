/* listing.c: scope filters for list queries, as SQL with placeholders only */
#include "domain/listing.h"

#include <stdio.h>

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
