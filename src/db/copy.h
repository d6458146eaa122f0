/* copy.h: copies every table of a SQLite database into a PostgreSQL database of the same schema */
#ifndef DB_COPY_H
#define DB_COPY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

/* One table to copy, read from the source's catalogue. */
struct copy_table {
	char *name;
	char **cols; /* the stored columns in order (generated ones are left out: the target computes them) */
	size_t ncols;
	int rowid; /* 0 for a WITHOUT ROWID table */
	int64_t rows; /* in the source's snapshot */
};

/* Every table but schema_version (migrate.c makes it), parents before the tables that refer to them. */
struct copy_plan {
	struct copy_table *tables;
	size_t n;
	int64_t rows; /* their sum */
};

/*
 * Reads the plan from src (a SQLite connection, inside its read transaction:
 * the counts are the snapshot's). The order is computed from the foreign keys;
 * a cycle between tables is refused. Returns 0, or -1 with err filled. Caller
 * releases with copy_plan_release.
 */
int copy_plan_read(struct db *src, struct copy_plan *p, char *err, size_t errlen);
void copy_plan_release(struct copy_plan *p);

/*
 * Checks that dst (PostgreSQL, migrated to the same version) has the plan's
 * tables with the same columns in the same order, no other table, and no row
 * but those its migrations seed: each table holds exactly the rows a freshly
 * migrated database holds (compared with one made in memory from the
 * embedded SQLite migrations, value by value). Returns 0, or -1 with err
 * saying what is there.
 */
int copy_check_target(struct db *dst, const struct copy_plan *p, char *err, size_t errlen);

/* Called after each batch: the table, its rows copied so far and its total. */
typedef void copy_progress_fn(const char *table, int64_t done, int64_t total);

/*
 * Inside dst's write transaction (the caller begins and commits it) and
 * src's read transaction: disables the user triggers of every table (the
 * tallies are copied as rows, not recounted), deletes the seeded rows,
 * copies every table in plan order, batch rows per INSERT (1 to 1000; fewer
 * when a table's columns would pass PostgreSQL's parameter limit), enables
 * the triggers again, sets every identity sequence past the copied ids and
 * checks that each table holds as many rows as in the source. A BLOB or REAL
 * value is refused (no column holds one; they would not come through as
 * text). Returns 0, or -1 with err filled (the caller rolls back).
 */
int copy_run(struct db *src, struct db *dst, const struct copy_plan *p, int batch, copy_progress_fn *progress,
	     char *err, size_t errlen);

#endif
