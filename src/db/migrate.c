/* migrate.c: applies the embedded migrations and records them in schema_version */
#include "db/migrate.h"

#include <stdio.h>

#include "base/clock.h"

/* The engine's own set: their SQL differs, their numbers do not. */
static const struct migration *set(struct db *db, size_t *count)
{
	if (db_engine(db) == DB_POSTGRES) {
		*count = migrations_postgres_count;
		return migrations_postgres;
	}
	*count = migrations_sqlite_count;
	return migrations_sqlite;
}

static int latest(const struct migration *m, size_t count)
{
	return count ? m[count - 1].version : 0;
}

int migrate_latest(void)
{
	return latest(migrations_sqlite, migrations_sqlite_count);
}

static int ensure_table(struct db *db)
{
	return db_run(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			  "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)") == DB_OK
		       ? 0
		       : -1;
}

int migrate_current(struct db *db)
{
	struct db_stmt *st;
	int v = -1;

	if (ensure_table(db) < 0)
		return -1;
	st = db_prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
	if (db_step(st) == DB_ROW)
		v = (int)db_col_int(st, 0);
	db_done(st);
	return v;
}

int migrate_apply(struct db *db, char *err, size_t errlen)
{
	size_t count;
	const struct migration *migrations = set(db, &count);
	int current = migrate_current(db), applied = 0, newest = latest(migrations, count);

	if (current < 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return -1;
	}
	if (current > newest) {
		snprintf(err, errlen,
			 "database schema version %d was written by a newer baodao (this one knows up to %d); "
			 "upgrade baodao instead",
			 current, newest);
		return -1;
	}
	for (size_t i = 0; i < count; i++) {
		const struct migration *m = &migrations[i];
		struct db_stmt *st;
		char msg[512];
		int rc, now;

		if (m->version <= current)
			continue;
		if (db_begin(db) < 0) {
			snprintf(err, errlen, "cannot start migration %s", m->name);
			return -1;
		}
		/* Another server of the database, started at the same time, may have applied it while this one waited. */
		if ((now = migrate_current(db)) < 0 || now >= m->version) {
			db_rollback(db);
			if (now < 0) {
				snprintf(err, errlen, "cannot read the schema version");
				return -1;
			}
			continue;
		}
		if (db_exec_script(db, m->sql, msg, sizeof(msg)) < 0) {
			db_rollback(db);
			snprintf(err, errlen, "migration %s failed: %s", m->name, msg);
			return -1;
		}
		st = db_prepare(db, "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->name);
		db_bind_int(st, 3, clock_now());
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE || db_commit(db) < 0) {
			db_rollback(db);
			snprintf(err, errlen, "cannot record migration %s", m->name);
			return -1;
		}
		applied++;
	}
	return applied;
}
