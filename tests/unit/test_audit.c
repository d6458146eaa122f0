/* test_audit.c: the audit chain on a real SQLite database: appending, verifying, catching tampering */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/crypto.h"
#include "db/db.h"
#include "db/migrate.h"
#include "base/xalloc.h"
#include "domain/audit.h"
#include "domain/authz.h"

struct fixture {
	char dir[64];
	char path[96];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	uint8_t key[CRYPTO_KEY_BYTES] = { 1, 2, 3 };
	char err[256];

	snprintf(f->dir, sizeof(f->dir), "/tmp/baodao-unit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/t.db", f->dir);
	crypto_key_set(key);
	if (db_open(f->path, &f->db, err, sizeof(err)) < 0 || migrate_apply(f->db, err, sizeof(err)) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void append(struct db *db, int n)
{
	const struct actor who = { 7, "127.0.0.1" };

	for (int i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "%d", i);
		assert_int_equal(audit_record(db, &who, "unit.update", "unit", id, "/440100000000/", "ok"), 0);
	}
}

static int verify(struct db *db, int64_t *n)
{
	char err[256];

	return audit_verify(db, n, err, sizeof(err));
}

static void empty_log_verifies(void **state)
{
	struct fixture *f = *state;
	int64_t n = -1;

	assert_int_equal(verify(f->db, &n), 0);
	assert_int_equal(n, 0);
}

static void appended_entries_verify(void **state)
{
	struct fixture *f = *state;
	int64_t n;

	append(f->db, 5);
	assert_int_equal(verify(f->db, &n), 0);
	assert_int_equal(n, 5);
}

static void edited_entry_is_caught(void **state)
{
	struct fixture *f = *state;
	int64_t n;

	append(f->db, 3);
	assert_int_equal(db_run(f->db, "UPDATE audit_log SET outcome = 'denied' WHERE id = 2"), DB_OK);
	assert_int_equal(verify(f->db, &n), -1);
}

static void removed_middle_entry_is_caught(void **state)
{
	struct fixture *f = *state;
	int64_t n;

	append(f->db, 3);
	assert_int_equal(db_run(f->db, "DELETE FROM audit_log WHERE id = 2"), DB_OK);
	assert_int_equal(verify(f->db, &n), -1);
}

static void cut_tail_is_caught(void **state)
{
	struct fixture *f = *state;
	int64_t n;

	append(f->db, 3);
	assert_int_equal(db_run(f->db, "DELETE FROM audit_log WHERE id = 3"), DB_OK);
	assert_int_equal(verify(f->db, &n), -1);
}

static void rehashing_without_the_key_is_caught(void **state)
{
	struct fixture *f = *state;
	uint8_t other[CRYPTO_KEY_BYTES] = { 9 };
	int64_t n;

	append(f->db, 2);
	/* Someone without the key writes a "valid looking" chain with another key: the real key refuses it. */
	crypto_key_set(other);
	assert_int_equal(db_run(f->db, "DELETE FROM audit_log"), DB_OK);
	assert_int_equal(db_run(f->db, "DELETE FROM meta WHERE key = 'audit_head'"), DB_OK);
	append(f->db, 2);
	assert_int_equal(verify(f->db, &n), 0);
	uint8_t key[CRYPTO_KEY_BYTES] = { 1, 2, 3 };
	crypto_key_set(key);
	assert_int_equal(verify(f->db, &n), -1);
}

static void list_filters_by_scope(void **state)
{
	struct fixture *f = *state;
	const struct actor who = { 7, "127.0.0.1" };
	struct audit_filter flt = { .page = 1, .per_page = 10 };
	struct scope s = { 0 };
	struct audit_row *rows;
	size_t n;
	int64_t total;

	assert_int_equal(audit_record(f->db, &who, "region.create", "region", "a", "/440100000000/440111000000/", "ok"), 0);
	assert_int_equal(audit_record(f->db, &who, "region.create", "region", "b", "/440100000000/440104000000/", "ok"), 0);
	s.npaths = 1;
	str_copy(s.paths[0], sizeof(s.paths[0]), "/440100000000/440104000000/");
	assert_int_equal(audit_list(f->db, &s, &flt, &rows, &n, &total), 0);
	assert_int_equal(total, 1);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].target_id, "b");
	free(rows);
	s.all = true;
	assert_int_equal(audit_list(f->db, &s, &flt, &rows, &n, &total), 0);
	assert_int_equal(total, 2);
	assert_string_equal(rows[0].target_id, "b"); /* newest first */
	free(rows);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(empty_log_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(appended_entries_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(edited_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(removed_middle_entry_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_tail_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(rehashing_without_the_key_is_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(list_filters_by_scope, setup, teardown),
	};

	crypto_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
