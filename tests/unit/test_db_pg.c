/* test_db_pg.c: the PostgreSQL driver against a real server: placeholders, types, errors, transactions, backup */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_driver.h"

/* The tests' server: BAODAO_PG_HOST's, else one started here (as tests/lib/pg.mjs does). */
static char dir[64], host[128], url[256], cluster_dir[64];

static int sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fprintf(stderr, "test_db_pg: failed (%d): %s\n", rc, cmd);
	return rc;
}

/* Runs a PostgreSQL program as the cluster's owner: postgres when we are root. */
static int pg(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/usr/lib/postgresql/15/bin/%s", getuid() == 0 ? "runuser -u postgres -- " : "",
		 args);
	return sh(cmd);
}

static int start_server(void)
{
	char cmd[1024];
	const char *env = getenv("BAODAO_PG_HOST");

	if (env && *env) {
		snprintf(host, sizeof(host), "%s", env);
		return 0;
	}
	snprintf(cluster_dir, sizeof(cluster_dir), "/tmp/baodao-pg-unit-XXXXXX");
	if (!mkdtemp(cluster_dir))
		return -1;
	if (getuid() == 0) {
		snprintf(cmd, sizeof(cmd), "chown postgres: %s", cluster_dir);
		if (sh(cmd))
			return -1;
	}
	snprintf(cmd, sizeof(cmd), "initdb -D %s/data -A trust -U baodao -E UTF8 --locale=C.UTF-8 >/dev/null",
		 cluster_dir);
	if (pg(cmd))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "pg_ctl -D %s/data -l %s/log -w -o \"-k %s -c listen_addresses=''\" start >/dev/null", cluster_dir,
		 cluster_dir, cluster_dir);
	if (pg(cmd))
		return -1;
	snprintf(host, sizeof(host), "%s", cluster_dir);
	return 0;
}

static void stop_server(void)
{
	char cmd[512];

	if (!cluster_dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "pg_ctl -D %s/data -m immediate -w stop >/dev/null", cluster_dir);
	pg(cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", cluster_dir);
	sh(cmd);
}

static struct db *connect_to(const char *u)
{
	char err[512];
	struct db *db = NULL;

	if (db_open(u, &db, err, sizeof(err)) < 0) {
		fprintf(stderr, "test_db_pg: %s\n", err);
		return NULL;
	}
	return db;
}

static struct db *connect(void)
{
	return connect_to(url);
}

static int group_setup(void **state)
{
	char admin[256], sql[128];
	struct db *db;

	(void)state;
	db_init();
	if (start_server() < 0)
		return -1;
	snprintf(admin, sizeof(admin), "postgres:///postgres?host=%s&user=baodao", host);
	snprintf(dir, sizeof(dir), "unit_%d", (int)getpid());
	snprintf(url, sizeof(url), "postgres:///%s?host=%s&user=baodao", dir, host);
	if (!(db = connect_to(admin)))
		return -1;
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", dir);
	if (db_run(db, sql) != DB_OK)
		return -1;
	db_close(db);
	if (!(db = connect()))
		return -1;
	if (db_run(db, "CREATE TABLE parent (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)") != DB_OK ||
	    db_run(db, "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT REFERENCES parent (id), "
		       "note TEXT, n BIGINT, flag BOOLEAN)") != DB_OK)
		return -1;
	db_close(db);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	stop_server();
	return 0;
}

static void clean(struct db *db)
{
	assert_int_equal(db_run(db, "DELETE FROM child"), DB_OK);
	assert_int_equal(db_run(db, "DELETE FROM parent"), DB_OK);
}

static void translated(const char *sql, const char *want, int want_n)
{
	int n = -1;
	char *out = db_pg_translate(sql, &n);

	assert_string_equal(out, want);
	assert_int_equal(n, want_n);
	free(out);
}

static void test_placeholders(void **state)
{
	(void)state;
	translated("SELECT 1", "SELECT 1", 0);
	translated("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2", 2);
	/* SQLite's rule: numbered ones may repeat, a bare one is one more than the largest so far. */
	translated("SELECT ?1, ?2, ?1", "SELECT $1, $2, $1", 2);
	translated("SELECT ?2, ?, ?1", "SELECT $2, $3, $1", 3);
	translated("SELECT ?10 , ?", "SELECT $10 , $11", 11);
	/* Never in literals, identifiers or comments. */
	translated("SELECT '?', \"a?b\", ? -- what?\n, ?", "SELECT '?', \"a?b\", $1 -- what?\n, $2", 2);
	translated("SELECT 'it''s ?' || ? /* ?1 ? */ || ?", "SELECT 'it''s ?' || $1 /* ?1 ? */ || $2", 2);
	translated("SELECT '中文?', ?", "SELECT '中文?', $1", 1);
	translated("SELECT 'open ?", "SELECT 'open ?", 0);
	/* SQLite's unary + planner hint goes; additions stay. */
	translated("SELECT a FROM t WHERE 1=1 AND +g.state = ? AND +m.name >= ?",
		   "SELECT a FROM t WHERE 1=1 AND g.state = $1 AND m.name >= $2", 2);
	translated("SELECT x + 1, y +?, (+z), f(a, +b), n >= +2, 'a +b', c+d, ORDER BY +n",
		   "SELECT x + 1, y +$1, (z), f(a, b), n >= 2, 'a +b', c+d, ORDER BY n", 1);
	translated("SET points = points + ?3, band+1", "SET points = points + $3, band+1", 3);
}

static void test_round_trip(void **state)
{
	struct db *db = connect();
	struct db_stmt *st;
	const char *emoji = "家 𠀀 😀"; /* 3-byte, then 4-byte characters */

	(void)state;
	assert_non_null(db);
	assert_int_equal(db_engine(db), DB_POSTGRES);
	clean(db);
	st = db_prepare(db, "INSERT INTO parent (id, name) VALUES (?, ?)");
	db_bind_int(st, 1, 1);
	db_bind_text(st, 2, emoji);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	assert_int_equal(db_changes(db), 1);
	st = db_prepare(db, "INSERT INTO child (id, parent_id, note, n, flag) VALUES (?1, ?2, ?3, ?4, ?5)");
	db_bind_int(st, 1, 10);
	db_bind_int(st, 2, 1);
	db_bind_null(st, 3);
	db_bind_int(st, 4, INT64_MAX);
	db_bind_text(st, 5, "true");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);
	st = db_prepare(db, "INSERT INTO child (id, parent_id, note, n, flag) VALUES (?1, ?2, ?3, ?4, ?5)");
	db_bind_int(st, 1, 11);
	db_bind_null(st, 2);
	db_bind_text(st, 3, "");
	db_bind_int(st, 4, INT64_MIN);
	db_bind_text(st, 5, "false");
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	st = db_prepare(db, "SELECT c.id, p.name, c.note, c.n, c.flag FROM child c LEFT JOIN parent p ON p.id = c.parent_id "
			    "ORDER BY c.id");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 10);
	assert_string_equal(db_col_text(st, 1), emoji);
	assert_true(db_col_null(st, 2));
	assert_string_equal(db_col_text(st, 2), "");
	assert_true(db_col_int(st, 3) == INT64_MAX);
	assert_int_equal(db_col_int(st, 4), 1);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_null(st, 1));
	assert_false(db_col_null(st, 2)); /* '' is not NULL */
	assert_true(db_col_int(st, 3) == INT64_MIN);
	assert_int_equal(db_col_int(st, 4), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_done(st);

	/* SUM of bigints is numeric; a count is bigint; a parameter the server cannot type gets its bind's. */
	st = db_prepare(db, "SELECT SUM(id), COUNT(*), ? FROM child");
	db_bind_int(st, 1, 42);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 21);
	assert_int_equal(db_col_int(st, 1), 2);
	assert_int_equal(db_col_int(st, 2), 42);
	db_done(st);
	/* A parameter first bound to NULL where the server cannot infer its type: text. */
	st = db_prepare(db, "SELECT COUNT(*) FROM parent WHERE (? IS NULL OR name = ?)");
	db_bind_null(st, 1);
	db_bind_null(st, 2);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 1);
	db_done(st);
	/* Cached: the same text again, other values. */
	st = db_prepare(db, "SELECT SUM(id), COUNT(*), ? FROM child");
	db_bind_int(st, 1, -7);
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 2), -7);
	db_done(st);
	db_close(db);
}

static void test_errors(void **state)
{
	struct db *db = connect();
	struct db_stmt *st;

	(void)state;
	clean(db);
	assert_int_equal(db_run(db, "INSERT INTO parent (id, name) VALUES (1, 'a')"), DB_OK);
	st = db_prepare(db, "INSERT INTO parent (id, name) VALUES (?, ?)");
	db_bind_int(st, 1, 2);
	db_bind_text(st, 2, "a");
	assert_int_equal(db_step(st), DB_UNIQUE);
	db_done(st);
	st = db_prepare(db, "INSERT INTO child (id, parent_id) VALUES (?, ?)");
	db_bind_int(st, 1, 1);
	db_bind_int(st, 2, 99);
	assert_int_equal(db_step(st), DB_FOREIGN);
	db_done(st);
	assert_int_equal(db_run(db, "INSERT INTO child (id, parent_id) VALUES (1, 1)"), DB_OK);
	assert_int_equal(db_run(db, "DELETE FROM parent WHERE id = 1"), DB_FOREIGN);
	assert_int_equal(db_run(db, "SELEC nothing"), DB_ERROR);
	/* Inside a transaction the same: and a prepare that fails keeps the transaction usable. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_run(db, "SELECT no_such_column FROM parent"), DB_ERROR);
	st = db_prepare(db, "SELECT ? || 'x'");
	db_bind_text(st, 1, "y");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "yx");
	db_done(st);
	assert_int_equal(db_commit(db), 0);
	db_close(db);
}

static int64_t count(struct db *db, const char *table)
{
	char sql[128];
	struct db_stmt *st;
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	st = db_prepare(db, sql);
	if (db_step(st) == DB_ROW)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static void test_rollback_and_visibility(void **state)
{
	struct db *a = connect(), *b = connect();

	(void)state;
	clean(a);
	assert_int_equal(db_begin(a), 0);
	assert_true(db_in_write(a));
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (5, 'gone')"), DB_OK);
	assert_int_equal(count(a, "parent"), 1);
	db_rollback(a);
	assert_false(db_in_write(a));
	assert_int_equal(count(a, "parent"), 0);
	assert_int_equal(count(b, "parent"), 0);

	/* B's snapshot stays as it was; B's next statement outside it sees A's commit. */
	assert_int_equal(db_begin_read(b), 0);
	assert_int_equal(count(b, "parent"), 0);
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (6, 'kept')"), DB_OK);
	assert_int_equal(count(b, "parent"), 0);
	assert_int_equal(db_commit(b), 0);
	assert_int_equal(count(b, "parent"), 1);
	/* A read transaction refuses to write. */
	assert_int_equal(db_begin_read(b), 0);
	assert_int_equal(db_run(b, "INSERT INTO parent (id, name) VALUES (7, 'no')"), DB_ERROR);
	db_rollback(b);
	assert_int_equal(count(a, "parent"), 1);
	db_close(a);
	db_close(b);
}

struct writer {
	struct db *db;
	const char *sql; /* a write outside a transaction; NULL: db_begin and db_commit */
	volatile int *committed;
	int saw; /* *committed when its db_begin returned */
	int rc;
};

static void *second_writer(void *arg)
{
	struct writer *w = arg;

	if (w->sql) {
		w->rc = db_run(w->db, w->sql);
		w->saw = __atomic_load_n(w->committed, __ATOMIC_SEQ_CST);
		return NULL;
	}
	w->rc = db_begin(w->db);
	w->saw = __atomic_load_n(w->committed, __ATOMIC_SEQ_CST);
	if (w->rc == 0)
		w->rc = db_commit(w->db);
	return NULL;
}

static int64_t waiting_for_lock(struct db *db)
{
	return count(db, "pg_locks WHERE locktype = 'advisory' AND NOT granted");
}

static void test_one_writer(void **state)
{
	struct db *a = connect(), *b = connect(), *watch = connect();
	volatile int committed = 0;
	struct writer w = { b, NULL, &committed, -1, -1 };
	pthread_t t;

	(void)state;
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
	/* Until the server shows B waiting for the write lock (a condition, not a time). */
	while (waiting_for_lock(watch) == 0)
		sched_yield();
	assert_int_equal(waiting_for_lock(watch), 1);
	__atomic_store_n(&committed, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(db_commit(a), 0);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.saw, 1);
	/* A write outside a transaction takes the same lock: it waits, then sees what A committed. */
	clean(a);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (1, 'first')"), DB_OK);
	committed = 0;
	w.sql = "INSERT INTO parent (id, name) SELECT MAX(id) + 1, 'second' FROM parent";
	assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
	while (waiting_for_lock(watch) == 0)
		sched_yield();
	assert_int_equal(waiting_for_lock(watch), 1);
	__atomic_store_n(&committed, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(db_commit(a), 0);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, DB_OK);
	assert_int_equal(w.saw, 1);
	assert_int_equal(count(a, "parent WHERE id = 2"), 1);
	db_close(a);
	db_close(b);
	db_close(watch);
}

static void test_backup(void **state)
{
	struct db *db = connect();
	char path[128], err[256], head[5] = { 0 };
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/baodao-pg-backup-%d.dump", (int)getpid());
	unlink(path);
	assert_int_equal(db_backup(db, path, err, sizeof(err)), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(head, 1, 5, f), 5);
	fclose(f);
	assert_memory_equal(head, "PGDMP", 5);
	/* Never over a file already there. */
	assert_int_equal(db_backup(db, path, err, sizeof(err)), -1);
	unlink(path);
	db_close(db);
}

static void test_reconnect(void **state)
{
	struct db *a = connect(), *b = connect();
	struct db_stmt *st;
	int64_t pid = 0;
	char sql[96];

	(void)state;
	st = db_prepare(a, "SELECT pg_backend_pid()");
	assert_int_equal(db_step(st), DB_ROW);
	pid = db_col_int(st, 0);
	db_done(st);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", (long long)pid);
	assert_int_equal(db_run(b, sql), DB_OK);
	/* The cached statement again, on a new session that forgot it. */
	st = db_prepare(a, "SELECT pg_backend_pid()");
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_int(st, 0) != pid);
	db_done(st);
	db_close(a);
	db_close(b);
}

/* Counts the connection's statements prepared on the server. */
static int64_t prepared_count(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM pg_prepared_statements");
	int64_t n;

	assert_int_equal(db_step(st), DB_ROW);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/*
 * More statement texts than the cache holds, inside one write transaction and
 * while many are held at once: each runs (the cache drops the least recent,
 * and one that finds no room is named and deallocated after use), and the
 * server does not keep them all.
 */
static void test_many_statements(void **state)
{
	enum { TEXTS = 3000, HELD = 40 };
	struct db *db = connect();
	struct db_stmt *held[HELD];
	char sql[64];

	(void)state;
	clean(db);
	assert_int_equal(db_begin(db), 0);
	for (int i = 0; i < TEXTS; i++) {
		struct db_stmt *st;

		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		st = db_prepare(db, sql);
		db_bind_int(st, 1, 1);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), i + 1);
		db_done(st);
	}
	/* The same text held many times at once: every copy but the cached one is a statement of its own. */
	for (int i = 0; i < HELD; i++) {
		held[i] = db_prepare(db, "SELECT ? * 2");
		db_bind_int(held[i], 1, i);
		assert_int_equal(db_step(held[i]), DB_ROW);
	}
	for (int i = 0; i < HELD; i++) {
		assert_int_equal(db_col_int(held[i], 0), 2 * i);
		db_done(held[i]);
	}
	assert_int_equal(db_run(db, "INSERT INTO parent (id, name) VALUES (1, 'still usable')"), DB_OK);
	assert_int_equal(db_commit(db), 0);
	/* Outside the transaction the dropped ones are deallocated: the cache's at most stay. */
	assert_true(prepared_count(db) <= 1024 + 1);
	db_close(db);
}

/* The session of a write transaction killed mid-way: the transaction stays dead, nothing of it is written. */
static void test_lost_in_a_transaction(void **state)
{
	struct db *a = connect(), *b = connect();
	struct db_stmt *st;
	int64_t pid;
	char sql[96];

	(void)state;
	clean(a);
	assert_int_equal(db_unavailable(a), 0);
	assert_int_equal(db_outage(a), 0);
	assert_int_equal(db_begin(a), 0);
	st = db_prepare(a, "SELECT pg_backend_pid()");
	assert_int_equal(db_step(st), DB_ROW);
	pid = db_col_int(st, 0);
	db_done(st);
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (1, 'before')"), DB_OK);
	snprintf(sql, sizeof(sql), "SELECT pg_terminate_backend(%lld)", (long long)pid);
	assert_int_equal(db_run(b, sql), DB_OK);
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (2, 'lost')"), DB_ERROR);
	assert_true(db_outage(a) >= 1);
	/* Not on a new session outside the transaction: it would commit on its own, half of a write. */
	assert_int_equal(db_run(a, "INSERT INTO parent (id, name) VALUES (3, 'after')"), DB_ERROR);
	assert_true(db_in_write(a));
	assert_int_equal(db_commit(a), -1);
	assert_false(db_in_write(a));
	/* The next request finds the connection back, and no outage of its own. */
	assert_int_equal(db_unavailable(a), 0);
	assert_int_equal(db_outage(a), 0);
	st = db_prepare(a, "SELECT count(*) FROM parent");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), 0);
	db_done(st);
	db_close(a);
	db_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders), cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_errors),	     cmocka_unit_test(test_rollback_and_visibility),
		cmocka_unit_test(test_one_writer),   cmocka_unit_test(test_backup),
		cmocka_unit_test(test_reconnect),    cmocka_unit_test(test_many_statements),
		cmocka_unit_test(test_lost_in_a_transaction),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
