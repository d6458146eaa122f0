/* db.c: db.h's functions: db_open picks the engine by the address's prefix, the rest forward to its driver */
#include "db/db.h"

#include <string.h>

#include "db/db_driver.h"

static bool is_pg(const char *path)
{
	return !strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13);
}

void db_init(void)
{
	db_sqlite_init();
}

int db_open(const char *path, struct db **out, char *err, size_t errlen)
{
	return is_pg(path) ? db_pg_open(path, out, err, errlen) : db_sqlite_open(path, out, err, errlen);
}

enum db_engine db_engine_of(const char *path)
{
	return is_pg(path) ? DB_POSTGRES : DB_SQLITE;
}

enum db_engine db_engine(const struct db *db)
{
	return db->ops->engine;
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

struct db_stmt *db_prepare(struct db *db, const char *sql) { return db->ops->prepare(db, sql); }
void db_bind_int(struct db_stmt *st, int idx, int64_t v) { st->ops->bind_int(st, idx, v); }
void db_bind_text(struct db_stmt *st, int idx, const char *s) { st->ops->bind_text(st, idx, s); }
void db_bind_null(struct db_stmt *st, int idx) { st->ops->bind_null(st, idx); }
int db_step(struct db_stmt *st) { return st->ops->step(st); }
int64_t db_col_int(struct db_stmt *st, int col) { return st->ops->col_int(st, col); }
const char *db_col_text(struct db_stmt *st, int col) { return st->ops->col_text(st, col); }
bool db_col_null(struct db_stmt *st, int col) { return st->ops->col_null(st, col); }
void db_done(struct db_stmt *st) { st->ops->done(st); }
int db_run(struct db *db, const char *sql) { return db->ops->run(db, sql); }
int db_begin(struct db *db) { return db->ops->begin(db); }
int db_begin_read(struct db *db) { return db->ops->begin_read(db); }
int db_commit(struct db *db) { return db->ops->commit(db); }
void db_rollback(struct db *db) { db->ops->rollback(db); }
bool db_in_write(struct db *db) { return db->ops->in_write(db); }
void db_lazy(struct db *db, bool on) { db->ops->lazy(db, on); }
int64_t db_changes(struct db *db) { return db->ops->changes(db); }
int db_checkpoint(struct db *db) { return db->ops->checkpoint(db); }

int db_exec_script(struct db *db, const char *sql, char *err, size_t errlen)
{
	return db->ops->exec_script(db, sql, err, errlen);
}

bool db_memo_get(struct db *db, const char *key, void *value, size_t len)
{
	return db->ops->memo_get(db, key, value, len);
}

void db_memo_put(struct db *db, const char *key, const void *value, size_t len)
{
	db->ops->memo_put(db, key, value, len);
}

int db_backup(struct db *db, const char *path, char *err, size_t errlen)
{
	return db->ops->backup(db, path, err, errlen);
}

void db_checkpoint_elsewhere(struct db *db, void (*poke)(void *arg), void *arg)
{
	db->ops->checkpoint_elsewhere(db, poke, arg);
}

int db_unavailable(struct db *db)
{
	return db->ops->unavailable ? db->ops->unavailable(db) : 0;
}

int db_outage(struct db *db)
{
	return db->ops->outage ? db->ops->outage(db) : 0;
}
