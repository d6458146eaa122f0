/* listing.h: shared pieces of list queries: scope filters and paging bounds */
#ifndef DOMAIN_LISTING_H
#define DOMAIN_LISTING_H

#include "base/buf.h"
#include "db/db.h"
#include "domain/authz.h"

#define PAGE_SIZE_MAX 100

/*
 * Appends " AND (...)" restricting rows to scope: path_col must start with one
 * of the scope's paths, or unit_col (may be NULL) be one of its units. Nothing
 * is appended for an unlimited scope; an empty scope matches no row.
 */
void listing_scope_sql(struct buf *sql, const struct scope *scope, const char *path_col, const char *unit_col);
/* Binds what listing_scope_sql added (with_units: a unit_col was given), from index i; returns the next index. */
int listing_scope_bind(struct db_stmt *st, const struct scope *scope, int with_units, int i);

#endif
