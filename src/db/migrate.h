/* migrate.h: numbered schema migrations embedded in the binary */
#ifndef DB_MIGRATE_H
#define DB_MIGRATE_H

#include <stddef.h>

#include "db/db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/*
 * Generated from sql/sqlite/ and sql/postgres/ at build time
 * (build/gen/sql_embed.c), each ordered by version.
 */
extern const struct migration migrations_sqlite[];
extern const size_t migrations_sqlite_count;
extern const struct migration migrations_postgres[];
extern const size_t migrations_postgres_count;

/* The schema version this binary writes (on SQLite; PostgreSQL's set is numbered the same). */
int migrate_latest(void);
/* The version recorded in db (0 for a new database), or -1 on error. */
int migrate_current(struct db *db);
/*
 * Applies every pending migration, each in its own transaction. Refuses a
 * database written by a newer version. Each transaction reads the version
 * again under the write lock, so that servers of one database started
 * together apply each migration once. Returns the number applied (by this
 * call), or -1 with err filled.
 */
int migrate_apply(struct db *db, char *err, size_t errlen);

#endif
