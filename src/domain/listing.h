/* listing.h: shared pieces of list queries: scope filters and paging bounds */
#ifndef DOMAIN_LISTING_H
#define DOMAIN_LISTING_H

#include <stdbool.h>

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

/*
 * The same by region code instead of path, for tables that keep a
 * community's code (member, registration): a node's 统计用区划代码 is the
 * prefix of every code under it (440111 白云区 → 440111002011 石榴桥社区),
 * so the test needs no look-up of the region and an index on the code
 * serves it. unary: the code may not choose the index ("+col"), for a wide
 * scope read in another index's order. An empty scope matches no row.
 */
void listing_codes_sql(struct buf *sql, const struct scope *scope, const char *code_col, const char *unit_col,
		       bool unary);
int listing_codes_bind(struct db_stmt *st, const struct scope *scope, int with_units, int i);
/*
 * The codes under the node at path lie in [lo, hi): lo its code's prefix (2, 4, 6, 9 or 12
 * digits before the zeros, the whole code for a grid or building), hi lo and ':'.
 */
void listing_code_range(const char *path, char lo[24], char hi[26]);
/* Whether a scope reaches past a street (a district, the city, everything): then read it in order, not sorted. */
bool listing_scope_wide(const struct scope *scope);

/* Appends %text% (or text% when prefix) with LIKE's wildcards escaped by '\\' (use ESCAPE '\\'). */
void listing_like(struct buf *b, const char *text, int prefix);

/* How one kind of row is listed: each module says its filters and how it reads a row. */
struct listing {
	const char *columns; /* the SELECT list */
	void (*filters)(struct buf *sql, const void *arg); /* appends " FROM … WHERE …" */
	int (*bind)(struct db_stmt *st, const void *arg); /* binds what filters added from 1; returns the next index */
	const char *order; /* " ORDER BY …" */
	size_t size; /* of one item */
	void (*read)(struct db_stmt *st, void *item, const void *arg);
};

/*
 * One page of a list: counts the matching rows into *total, then reads at
 * most per_page of them from page (from 1). *items (caller frees) holds *n
 * items of l->size bytes. Returns 0 or -1 (nothing allocated then).
 */
int listing_page(struct db *db, const struct listing *l, const void *arg, int64_t page, int64_t per_page,
		 void **items, size_t *n, int64_t *total);

#endif
