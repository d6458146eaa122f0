/* db_driver.h: what a storage driver fills in (a table of functions) so that db.c can forward db.h's calls to it */
#ifndef DB_DB_DRIVER_H
#define DB_DB_DRIVER_H

#include "db/db.h"

/* One entry per db.h function that takes a connection or a statement. */
struct db_ops {
	enum db_engine engine;
	void (*close)(struct db *db);
	struct db_stmt *(*prepare)(struct db *db, const char *sql);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *s);
	void (*bind_null)(struct db_stmt *st, int idx);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col);
	bool (*col_null)(struct db_stmt *st, int col);
	void (*done)(struct db_stmt *st);
	int (*run)(struct db *db, const char *sql);
	int (*exec_script)(struct db *db, const char *sql, char *err, size_t errlen);
	int (*begin)(struct db *db);
	int (*begin_read)(struct db *db);
	int (*commit)(struct db *db);
	void (*rollback)(struct db *db);
	bool (*in_write)(struct db *db);
	void (*lazy)(struct db *db, bool on);
	int64_t (*changes)(struct db *db);
	bool (*memo_get)(struct db *db, const char *key, void *value, size_t len);
	void (*memo_put)(struct db *db, const char *key, const void *value, size_t len);
	int (*backup)(struct db *db, const char *path, char *err, size_t errlen);
	void (*checkpoint_elsewhere)(struct db *db, void (*poke)(void *arg), void *arg);
	int (*checkpoint)(struct db *db);
	/* NULL: the engine never loses its connection (SQLite), and db.c answers 0 without a call. */
	int (*unavailable)(struct db *db);
	int (*outage)(struct db *db);
};

/* Every driver's connection begins with this, and every statement with its table. */
struct db {
	const struct db_ops *ops;
};
struct db_stmt {
	const struct db_ops *ops;
};

void db_sqlite_init(void);
int db_sqlite_open(const char *path, struct db **out, char *err, size_t errlen);
int db_pg_open(const char *url, struct db **out, char *err, size_t errlen);
/*
 * sql with SQLite's placeholders made PostgreSQL's: ?NNN is $NNN, a bare ?
 * one more than the largest number so far; never inside '…', "…" or
 * comments. A unary + (SQLite's hint to keep an index out of a plan; PostgreSQL
 * has no unary + for text) is dropped. *nparams: the largest number. Caller frees.
 */
char *db_pg_translate(const char *sql, int *nparams);

#endif
