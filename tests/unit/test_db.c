/* test_db.c: the SQLite driver's memo: kept while the file is unchanged, forgotten after any commit, unused in writes */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"

struct fixture {
	char dir[64];
	char path[96];
	struct db *a, *b; /* two connections to one file, as two worker threads have */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-unit-XXXXXX");
	if (!f || !mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	if (db_open(f->path, &f->a, err, sizeof(err)) < 0 || db_open(f->path, &f->b, err, sizeof(err)) < 0 ||
	    db_run(f->a, "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)") != DB_OK ||
	    db_run(f->a, "INSERT INTO t VALUES ('x', 'one')") != DB_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->a);
	db_close(f->b);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Starts a read on db and runs its first statement, as a request does before it asks the memo. */
static void begin_read(struct db *db)
{
	struct db_stmt *st;

	assert_int_equal(db_begin_read(db), 0);
	st = db_prepare(db, "SELECT v FROM t WHERE k = 'x'");
	assert_int_equal(db_step(st), DB_ROW);
	db_done(st);
}

/* A read that keeps "k" = "one" in the memo. */
static void keep_one(struct db *db)
{
	begin_read(db);
	db_memo_put(db, "k", "one", 4);
	db_rollback(db);
}

static void memo_keeps_values_while_nothing_changes(void **state)
{
	struct fixture *f = *state;
	char v[8] = "";
	long n = 0;

	begin_read(f->a);
	assert_false(db_memo_get(f->a, "k", v, sizeof(v)));
	db_memo_put(f->a, "k", "one", 4);
	assert_true(db_memo_get(f->a, "k", v, 4));
	assert_string_equal(v, "one");
	/* A value is given back only at the size it was kept with. */
	assert_false(db_memo_get(f->a, "k", &n, sizeof(n)));
	assert_false(db_memo_get(f->a, "other", v, 4));
	db_rollback(f->a);
	/* The next read of an unchanged file still has it. */
	begin_read(f->a);
	assert_true(db_memo_get(f->a, "k", v, 4));
	db_rollback(f->a);
}

static void memo_forgets_after_a_commit_by_another_connection(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	assert_int_equal(db_run(f->b, "UPDATE t SET v = 'two'"), DB_OK);
	begin_read(f->a);
	assert_false(db_memo_get(f->a, "k", v, 4));
	db_rollback(f->a);
}

static void memo_forgets_after_its_own_commit(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	assert_int_equal(db_begin(f->a), 0);
	assert_int_equal(db_run(f->a, "UPDATE t SET v = 'three'"), DB_OK);
	assert_int_equal(db_commit(f->a), 0);
	assert_false(db_memo_get(f->a, "k", v, 4));
}

static void memo_keeps_nothing_inside_a_write(void **state)
{
	struct fixture *f = *state;
	char v[8];

	keep_one(f->a);
	/* Inside a write: the committed value is not answered, and what is put is not kept. */
	assert_int_equal(db_begin(f->a), 0);
	assert_int_equal(db_run(f->a, "UPDATE t SET v = 'uncommitted'"), DB_OK);
	assert_false(db_memo_get(f->a, "k", v, 4));
	db_memo_put(f->a, "k", "unc", 4);
	db_rollback(f->a);
	begin_read(f->a);
	assert_true(db_memo_get(f->a, "k", v, 4));
	assert_string_equal(v, "one");
	db_rollback(f->a);
}

static void memo_skips_what_does_not_fit(void **state)
{
	struct fixture *f = *state;
	char big[DB_MEMO_VALUE_MAX + 1], key[DB_MEMO_KEY_MAX + 8];

	memset(big, 'v', sizeof(big));
	memset(key, 'k', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	begin_read(f->a);
	db_memo_put(f->a, "big", big, sizeof(big));
	assert_false(db_memo_get(f->a, "big", big, sizeof(big)));
	db_memo_put(f->a, key, "v", 2);
	assert_false(db_memo_get(f->a, key, big, 2));
	db_rollback(f->a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(memo_keeps_values_while_nothing_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_forgets_after_a_commit_by_another_connection, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_forgets_after_its_own_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_keeps_nothing_inside_a_write, setup, teardown),
		cmocka_unit_test_setup_teardown(memo_skips_what_does_not_fit, setup, teardown),
	};

	db_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
